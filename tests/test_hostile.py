"""Every hostile input of issue 9 through the package: a message from the budget it breaks, no
formula, no markup, and the server process's memory untouched (the parse runs in a child
process). How fast each message comes is measured by `make benchmark` (benchmarks/budgets.py)."""

from __future__ import annotations

import csv
import io
import itertools
import resource
import select

import openpyxl
import pandas as pd
import psutil
import pytest

from fjchains.core import limits
from fjchains.core.errors import ClassifyError, UploadError
from fjchains.core.textsafe import md_literal, md_text, truncate
from fjchains.render import export
from fjchains.upload import reader, sandbox
from fjchains.upload.classify import classify
from fjchains.upload.reader import read_upload
from fjchains.upload.userdata import (
    UPLOAD_PREFIX,
    load_user_file,
    load_user_file_isolated,
    value_lines,
    with_user_columns,
)
from tests.hostile import generate

MB = 1024 * 1024

REFUSED = {  # file -> words the English message must contain
    "s1_quadratic_sniff.csv": "characters, the limit is 100,000",
    "s2_dimension.xlsx": "header but no data rows",
    "s3_zip_bomb.xlsx": "inflates to",
    "s3_shared_strings.xlsx": "sharedStrings.xml inflates to",
    "s3_unmatched.csv": "more than 100,000 data rows",
    "s3_wide.csv": "characters, the limit is 100,000",
    "s4_big_cell.xlsx": "inflates to",
    "s4_big_cell.csv": "characters, the limit is 100,000",
}


@pytest.fixture(scope="module")
def warm():
    sandbox.warm_up()  # the forkserver's first start imports pandas: not part of any budget


@pytest.fixture
def patient(monkeypatch):
    """The child's time limit, generous: what is tested is which budget's own check refuses a
    file (or that it is read), not that a busy machine gets there within limits.PARSE_TIMEOUT_S
    (benchmarks/budgets.py measures that)."""
    monkeypatch.setattr(limits, "PARSE_TIMEOUT_S", 300.0)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_ends_in_the_message_of_the_budget_it_breaks(name, aliases, tables, warm, patient):
    """Refused by the budget's own check, in both languages: not by the child's time or memory
    limit, whose message is another."""
    content = generate.FILES[name][0]()
    rss = psutil.Process().memory_info().rss
    with pytest.raises(UploadError) as err:
        load_user_file_isolated(name, content, aliases, tables.counties)
    assert psutil.Process().memory_info().rss - rss <= 200 * MB
    assert REFUSED[name] in err.value.en
    assert "Traceback" not in err.value.en and "/" not in err.value.en.split(":")[0]
    assert err.value.zh and err.value.zh != err.value.en  # a message in each language


@pytest.mark.parametrize("name", ["s1_quadratic_sniff.csv", "s3_wide.csv"])
def test_the_line_budget_refuses_the_worst_csv_files_before_any_parser_sees_them(name, monkeypatch):
    """S1 (csv.Sniffer is quadratic in a line's length) and S3 (200,000 columns) are refused by
    the one-pass line check, in this process, before the sniffer or the csv reader is called."""

    def never(*args, **kwargs):
        raise AssertionError("a parser was called on a file the line budget refuses")

    monkeypatch.setattr(reader, "_sniff_delimiter", never)
    monkeypatch.setattr(csv, "reader", never)
    with pytest.raises(UploadError) as err:
        read_upload(name, generate.FILES[name][0]())
    assert REFUSED[name] in err.value.en


def test_sniffing_sees_a_bounded_sample(monkeypatch):
    """A line of nearly 100,000 characters (the most a line may have) is sniffed as a short one
    is: csv.Sniffer, quadratic in its sample (it took 32 s at 160 KB), sees at most
    limits.SNIFF_SAMPLE_CHARS."""
    samples = []
    real = csv.Sniffer.sniff
    monkeypatch.setattr(csv.Sniffer, "sniff", lambda self, sample, *a, **k: samples.append(sample) or real(self, sample, *a, **k))
    line = 'adcode,value,note\n350582,1,"' + 'A,""' * 24_990 + '"\n350583,2,x\n'
    assert reader._sniff_delimiter(line.splitlines()) == ","
    assert samples and all(len(s) <= limits.SNIFF_SAMPLE_CHARS for s in samples)


def test_many_distinct_unmatched_names_are_read_and_reported(aliases, tables, warm, patient):
    report = load_user_file_isolated("m.csv", generate.s3_many_unmatched_within_budget(20_000), aliases,
                                     tables.counties).report
    assert report.rows == 20_000 and report.unmatched_count == 10_000
    assert len(report.unmatched) == limits.MAX_REPORTED
    with_hints = [u for u in report.unmatched if u["suggestions"]]
    assert len({u["text"] for u in report.unmatched[: limits.MAX_SUGGESTED + 10] if "suggestions" in u}) > 0
    assert len(with_hints) <= limits.MAX_SUGGESTED


def test_columns_and_cells_over_budget():
    wide = ("adcode," + ",".join(f"c{i}" for i in range(limits.MAX_COLUMNS)) + "\n350582," +
            ",".join("1" for _ in range(limits.MAX_COLUMNS)) + "\n").encode()
    with pytest.raises(UploadError, match="501 columns, the limit is 500"):
        read_upload("wide.csv", wide)
    trailing = b"adcode,v" + b"," * 2000 + b"\n350582,1" + b"," * 2000 + b"\n"
    assert list(read_upload("trailing.csv", trailing).columns) == ["adcode", "v"]  # Excel's empty columns
    big = b'adcode,note\n350582,"' + b"A\n" * 1500 + b'"\n'
    with pytest.raises(UploadError, match="column 2 has 3,000 characters"):
        read_upload("cell.csv", big)


def test_sheet_extent_not_its_dimension_tag():
    """A workbook whose <dimension> claims 16,384 columns but holds three cells reads fine."""
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>adcode</t></is></c><c r="B1" t="inlineStr"><is><t>v</t></is>'
             b'</c></row><row r="2"><c r="A2"><v>350582</v></c><c r="B2"><v>7</v></c></row></sheetData></worksheet>')
    df = read_upload("ok.xlsx", generate._xlsx([sheet]))
    assert df.shape == (1, 2)


def test_the_child_process_is_killed_at_its_time_and_memory_budgets(warm):
    with pytest.raises(sandbox.SandboxError) as err:  # a child that would block for 30 s
        sandbox.run_isolated(select.select, [], [], [], 30, timeout=1, memory=200 * MB)
    assert err.value.reason == "timeout"
    with pytest.raises(sandbox.SandboxError) as err:
        sandbox.run_isolated(bytearray, 2_000 * MB, timeout=10, memory=200 * MB)
    assert err.value.reason == "memory"
    with pytest.raises(sandbox.SandboxError) as err:  # a child that computes past its CPU seconds
        sandbox.run_isolated(sum, itertools.count(), timeout=1, memory=200 * MB)
    assert err.value.reason == "timeout"
    # the budget is the child's own CPU time, so other work on the machine does not shrink it
    assert sandbox.run_isolated(resource.getrlimit, resource.RLIMIT_CPU, timeout=3, memory=200 * MB) == (3, 4)
    with pytest.raises(UploadError, match="is empty"):  # the child's own messages come back as they are
        sandbox.run_isolated(read_upload, "e.csv", b"  ", timeout=10, memory=200 * MB)


def test_downloads_of_a_hostile_upload_hold_no_formula(layer, tables, aliases, tmp_path):
    data = load_user_file(generate.FORMULA_FILENAME, generate.s5_formulas(), aliases, tables.counties)
    table = with_user_columns(export.county_records(layer, tables, "zh"), data)
    assert not [c for c in table.columns if "HYPERLINK" in c]  # headers are not made from the file name
    assert f"{UPLOAD_PREFIX}value" in table.columns
    text = export.to_csv_bytes(table).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for column in frame.columns:
        assert not column.startswith(export.FORMULA_TRIGGERS), column
        for cell in frame[column]:
            assert not cell.startswith(export.FORMULA_TRIGGERS), (column, cell)
    assert "'=HYPERLINK(" in text and "'+1+1" in text and "'@SUM(1,1)" in text
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(table)))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'=cmd|' /C calc'!A0" for c in cells)
    numbers = frame[f"{UPLOAD_PREFIX}value"].replace("", None).dropna()
    assert numbers.map(float).tolist()  # numbers stay numbers
    assert not numbers.str.startswith("'").any()


def test_extreme_numbers_classify_or_explain(aliases, tables):
    data = load_user_file("x.csv", generate.s7_extremes(), aliases, tables.counties)
    values = data.column("big", tables.counties["adcode"])
    assert values.notna().sum() == 3  # 1e309 and -inf are not numbers anyone measured
    assert classify(values, "quantiles").legend
    with pytest.raises(ClassifyError, match="too wide a range"):
        classify(values, "equal_interval")
    lines = value_lines(data, "350582", "en")
    assert lines["big"] == "1e+308" and len(max(lines.values(), key=len)) < 20


def test_user_text_is_literal_markdown():
    shown = md_literal(generate.MARKDOWN, 400)
    assert shown.startswith("`") and shown.endswith("`") and "](http" in shown
    assert md_literal("a``b`") == "``` a``b` ```"  # the fence outlasts any run of backticks inside
    assert md_literal("x" * 500).endswith("…`") and len(md_literal("x" * 500)) == limits.MAX_SHOWN_CHARS + 2
    prose = md_text("Bad file [a](http://x.org) **b** www.y.org a@b.c :smile:")
    for markup in ("[", "]", "(", "*", "http:/", "www.", "a@", ":s"):
        assert markup not in prose, markup
    assert truncate("a\nb\x00c") == "a b c"
    assert md_literal("\u202evsc.xlsx.csv") == "`vsc.xlsx.csv`"  # no override reverses our sentence
    assert truncate("a\u2067b\u2069c\u200fd") == "a b c d"


def test_long_lines_within_budget_are_read():
    """84 rows of 200 columns of 40 characters (8,000-character lines, every budget kept) are
    read whole (the long-line check once rescanned each line from every character and took
    20 s: its time is in benchmarks/budgets.py)."""
    cell = "x" * 40
    text = "adcode," + ",".join(f"c{i}" for i in range(199)) + "\n"
    text += "".join(f"{350582 + i}," + ",".join([cell] * 199) + "\n" for i in range(84))
    frame = read_upload("wide.csv", text.encode())
    assert frame.shape == (84, 200) and set(frame.iloc[:, 1]) == {cell}


def test_a_line_too_long_is_found_whatever_ends_lines():
    over = "x" * (limits.MAX_LINE_CHARS + 1)
    for newline in ("\n", "\r\n", "\r"):
        content = newline.join(["adcode,v", "350582,1", f"350583,{over}", "350584,2"]).encode()
        with pytest.raises(UploadError, match="line 3 has 100,008 characters"):
            read_upload("long.csv", content)


def test_blank_lines_are_not_rows():
    """A file of many blank lines and one data row was refused as "more than 100,000 data rows"."""
    content = b"adcode,v\n" + b"\n" * (limits.MAX_ROWS + 10) + b",\n" * 10 + b"350582,1\n"
    frame = read_upload("blank.csv", content)
    assert frame.shape == (1, 2) and list(frame.index) == [limits.MAX_ROWS + 22]  # its line in the file
