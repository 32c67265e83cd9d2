"""Uploaded county tables: encodings, delimiters, Excel, refusals, numbers, and the join report."""

from __future__ import annotations

import io
import math
import re
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fjchains.core import paths
from fjchains.core.errors import UploadError
from fjchains.core.numbers import numeric_columns, parse_number, parse_numbers
from fjchains.upload import reader
from fjchains.upload.join import find_key_column, join_upload
from fjchains.upload.reader import read_upload

FIXTURES = Path(__file__).parent / "fixtures"
JINJIANG, LONGHAI, CHANGLE, FUAN = "350582", "350604", "350112", "350981"
LICHENG_PUTIAN, LICHENG_QUANZHOU = "350304", "350502"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list], extra_sheet: list[list] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    if extra_sheet:
        other = workbook.create_sheet("other")
        for row in extra_sheet:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def join(aliases, tables):
    """read_upload + join_upload in one call."""
    def run(filename: str, content: bytes):
        return join_upload(read_upload(filename, content), aliases, tables.counties)
    return run


# ---------------------------------------------------------------- encodings and delimiters


def test_utf8_csv_parses_units_and_thousands(join):
    report = join("counties_utf8.csv", fixture("counties_utf8.csv"))
    assert (report.key_column, report.key_kind) == ("区县", "name")
    assert report.numeric_columns == ["GDP（亿元）", "规上工业企业数"]
    values = report.values
    assert list(values.index) == [JINJIANG, LONGHAI, CHANGLE, FUAN]
    assert values.at[JINJIANG, "GDP（亿元）"] == 3207.4
    assert values.at[LONGHAI, "GDP（亿元）"] == 12.3  # "12.3亿" in the header's unit, 亿元
    assert values.at[CHANGLE, "GDP（亿元）"] == 0.45  # "4500万"
    assert values.at[FUAN, "GDP（亿元）"] == 1234.5  # full-width comma
    assert values.at[CHANGLE, "规上工业企业数"] == 1024
    assert math.isnan(values.at[FUAN, "规上工业企业数"])  # "-"
    assert values.at[JINJIANG, "备注"] == "民营经济"  # text columns stay text
    assert report.matched == 4 and report.unmatched == [] and report.ambiguous == []
    assert len(report.missing_adcodes) == 84 - 4 and JINJIANG not in report.missing_adcodes
    assert report.missing_adcodes == sorted(report.missing_adcodes)


def test_utf8_bom_is_not_part_of_the_first_header():
    df = read_upload("bom.csv", b"\xef\xbb\xbf" + fixture("counties_utf8.csv"))
    assert list(df.columns)[0] == "区县"


def test_invisible_characters_are_removed_from_headers_and_cells(join):
    """Zero-width characters, a BOM and bidi controls draw nothing: a header "\ufeffGDP" is GDP,
    a header of nothing else is no header, a cell of nothing else is empty (issue 23.5)."""
    df = read_upload("bom.csv", csv_bytes("区县,\ufeffGDP,\u200b\u2066\n晋\u200b江市,\u202e1\u00ad2,\n"
                                          "龙海市,\u200d,\ufeff\n"))
    assert list(df.columns) == ["区县", "GDP"]  # the invisible header had no data: no column
    assert df.loc[2].tolist() == ["晋江市", "12"] and df.loc[3].tolist() == ["龙海市", ""]
    report = join("bom.csv", csv_bytes("区县,\ufeffGDP\n晋\u200b江市,\u202e12\n"))
    assert report.numeric_columns == ["GDP"] and report.values.at[JINJIANG, "GDP"] == 12
    with pytest.raises(UploadError, match="column 2 has no header"):
        read_upload("nohead.csv", csv_bytes("区县,\u200b\n晋江市,1\n"))


def test_invisible_characters_are_removed_from_workbooks():
    df = read_upload("bom.xlsx", xlsx_bytes([["区县", "\ufeffGDP"], ["晋\u2060江市", "\u200b"], ["龙海市", 5]]))
    assert list(df.columns) == ["区县", "GDP"] and df["区县"].tolist() == ["晋江市", "龙海市"]
    assert df["GDP"].tolist() == ["", "5"]


def test_gbk_csv_with_former_names(join):
    content = fixture("counties_gbk.csv")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the fixture really is GBK
    report = join("counties_gbk.csv", content)
    assert list(report.values.index) == [JINJIANG, LONGHAI, CHANGLE]  # 龙海市, 长乐市 are former names
    assert report.values.at[LONGHAI, "区县"] == "龙海市"
    assert report.values.at[CHANGLE, "地区生产总值"] == 1100.0


def test_kinmen_and_sha_county_are_accepted_in_uploads(join):
    report = join("names.csv", csv_bytes("county,value\nKinmen,1\nSha County,2\nShaxian,3\nJinjiang,4\n"))
    assert report.matched == 4 and report.unmatched == []
    assert list(report.values.index) == ["350527", "350405", JINJIANG]  # Shaxian: a duplicate of Sha County
    assert [d["adcode"] for d in report.duplicates] == ["350405"]


def test_semicolon_delimiter_with_pinyin_names(join):
    report = join("counties_semicolon.csv", fixture("counties_semicolon.csv"))
    assert (report.key_column, report.key_kind) == ("county", "name")
    assert list(report.values.index) == [JINJIANG, LONGHAI, FUAN]  # Jinjiang, Longhai, Fu'an
    assert math.isnan(report.values.at[JINJIANG, "gdp"])  # "3207,4" is a decimal comma, not 32074
    assert report.values.at[FUAN, "gdp"] == 1234.5


def test_tab_delimited_txt_with_adcodes(join):
    report = join("counties_tab.txt", fixture("counties_tab.txt"))
    assert (report.key_column, report.key_kind) == ("adcode", "adcode")
    assert report.numeric_columns == ["gdp"]
    assert report.values.at[LONGHAI, "gdp"] == 1200.0


def test_pipe_delimiter_and_utf16_excel_text():
    df = read_upload("p.csv", csv_bytes(" name | gdp\n Jinjiang |1 \nLonghai|2\n"))
    assert list(df.columns) == ["name", "gdp"]
    assert df["name"].tolist() == ["Jinjiang", "Longhai"] and df.loc[2, "gdp"] == "1"  # stripped text
    df = read_upload("unicode.txt", "name\tgdp\n晋江市\t1\n".encode("utf-16"))
    assert df.loc[2, "name"] == "晋江市"


def test_line_numbers_follow_the_file_despite_blank_lines(join):
    report = join("gaps.csv", csv_bytes("name,gdp\n\n晋江市,1\n\nAtlantis,2\n"))
    assert report.unmatched[0]["row"] == 5
    assert report.values.at[JINJIANG, "gdp"] == 1.0


# ---------------------------------------------------------------- Excel


def test_xlsx_first_sheet_adcode_as_int_and_float(join):
    content = xlsx_bytes([["adcode", "GDP"], [350582, 3207.4], [350604.0, "1,200"], ["350981", None]],
                         extra_sheet=[["ignored"], ["x"]])
    df = read_upload("data.xlsx", content)
    assert list(df.index) == [2, 3, 4]
    assert df["adcode"].tolist() == ["350582", "350604", "350981"]
    report = join("data.xlsx", content)
    assert report.key_kind == "adcode"
    assert report.values.at[LONGHAI, "GDP"] == 1200.0
    assert math.isnan(report.values.at[FUAN, "GDP"])


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"\x00\x01\x02garbage", b"name,gdp\n"])
def test_broken_xlsx_is_an_upload_error(content):
    with pytest.raises(UploadError) as err:
        read_upload("broken.xlsx", content)
    assert "not a valid .xlsx" in err.value.en and "broken.xlsx" in err.value.en
    assert "xlsx" in err.value.zh
    assert not re.search(r"[A-Z][a-z]+[A-Z]|Error|Exception", err.value.zh)  # no Python class names


def test_xls_and_unknown_extensions_are_refused():
    with pytest.raises(UploadError, match=r"\.xls files are not supported.*\.xlsx"):
        read_upload("old.xls", b"\xd0\xcf\x11\xe0rest")
    with pytest.raises(UploadError, match=r"Unsupported file type '\.pdf'"):
        read_upload("report.pdf", b"%PDF-1.4")
    with pytest.raises(UploadError, match="Unsupported file type"):
        read_upload("noextension", b"a,b\n1,2\n")


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("content", [b"", b"  \n\r\n", b",,\n,,\n"])
def test_empty_file(content):
    with pytest.raises(UploadError, match="empty") as err:
        read_upload("empty.csv", content)
    assert "空" in err.value.zh


def test_header_only():
    with pytest.raises(UploadError, match="no data rows"):
        read_upload("header.csv", csv_bytes("区县,GDP\n"))


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 4,  # NUL bytes
    bytes(range(128, 256)) * 4,  # neither UTF-8 nor GB18030
    b"a,b\n" + bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20,  # decodes, but control characters
])
def test_binary_junk_named_csv(content):
    with pytest.raises(UploadError, match="not a text table") as err:
        read_upload("junk.csv", content)
    assert "junk.csv" in err.value.en and "CSV" in err.value.zh


def test_xlsx_renamed_to_csv_says_rename():
    with pytest.raises(UploadError, match="rename it to .xlsx"):
        read_upload("data.csv", xlsx_bytes([["a", "b"], [1, 2]]))


def test_too_big(monkeypatch):
    # the same number of bytes as Streamlit's uploader (server.maxUploadSize, in units of 1,000,000)
    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1_000_000 == reader.MAX_UPLOAD_BYTES
    monkeypatch.setattr(reader, "MAX_UPLOAD_BYTES", 1_000_000)
    with pytest.raises(UploadError, match="too big.*limit is 1 MB"):
        read_upload("big.csv", b"a,b\n" + b"1,2\n" * 300_000)
    monkeypatch.setattr(reader, "MAX_UPLOAD_BYTES", 2_000_000)
    with pytest.raises(UploadError, match="limit is 2 MB") as err:
        read_upload("big.csv", b"a,b\n" + b"1,2\n" * 600_000)
    assert "2 MB" in err.value.zh


def test_single_column_names_the_delimiter():
    with pytest.raises(UploadError) as err:
        read_upload("wrong.csv", csv_bytes("区县，GDP\n晋江市，3207\n龙海市，1200\n"))
    assert "only one column" in err.value.en and "'，'" in err.value.en
    assert "只识别出一列（按逗号 ','分隔）" in err.value.zh


def test_duplicate_and_empty_headers():
    with pytest.raises(UploadError, match="duplicate column names: GDP"):
        read_upload("dup.csv", csv_bytes("name,GDP,GDP\n晋江市,1,2\n"))
    with pytest.raises(UploadError, match="column 2 has no header but holds data \\(from line 3\\)"):
        read_upload("nohead.csv", csv_bytes("name,,gdp\n晋江市,,1\n龙海市,x,2\n"))
    with pytest.raises(UploadError, match="column 3 has no header.*line 2"):  # unquoted "3,207"
        read_upload("ragged.csv", csv_bytes("name,gdp\n晋江市,3,207\n龙海市,1200\n"))


def test_trailing_empty_columns_are_dropped():
    df = read_upload("excel.csv", csv_bytes("name,gdp,,\n晋江市,1,,\n龙海市,2,,\n"))
    assert list(df.columns) == ["name", "gdp"]


def test_unpaired_quote_is_an_error_not_a_swallowed_file():
    with pytest.raises(UploadError, match="from line 2: cannot be parsed.*quotes are paired") as err:
        read_upload("quote.csv", csv_bytes('name,gdp\n"晋江市,1\n龙海市,2\n'))
    assert "引号未闭合" in err.value.zh and "unexpected" not in err.value.zh  # not Python's English words
    with pytest.raises(UploadError) as err:
        read_upload("quote.csv", csv_bytes('name,gdp\n"晋江市"x,1\n'))
    assert "右引号后紧跟着其他字符" in err.value.zh and "expected" not in err.value.zh


def test_quoted_newline_row_keeps_its_starting_line():
    df = read_upload("multi.csv", csv_bytes('name,note\n晋江市,"two\nlines"\n龙海市,x\n'))
    assert list(df.index) == [2, 4] and df.loc[2, "note"] == "two\nlines"


def test_nothing_is_written_to_disk(tmp_path, monkeypatch, join):
    monkeypatch.chdir(tmp_path)
    join("counties_utf8.csv", fixture("counties_utf8.csv"))
    join("x.xlsx", xlsx_bytes([["name", "v"], ["晋江市", 1]]))
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("text, expected", [
    ("1,234.5", 1234.5), ("1，234", 1234.0), ("１２３", 123.0), (" 12 345 ", 12345.0),
    ("12.3亿", 12.3e8), ("12.3亿元", 12.3e8), ("4500万", 4.5e7), ("4500万元", 4.5e7), ("2万亿", 2e12),
    ("5.5%", 5.5), ("-3.2", -3.2), ("+7", 7.0), ("1e3", 1000.0), ("３．５", 3.5), (42, 42.0), (1.5, 1.5),
])
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [
    "-", "—", "", "NA", "N/A", "无", "null", None, float("nan"), "abc", "12,5", "1,23,456", "inf", "nan",
    "12亿abc", "1_000", "350582号", "<img src=x onerror=alert(1)>",
])
def test_parse_number_gives_nan(text):
    assert math.isnan(parse_number(text))


def test_parse_numbers_keeps_index():
    series = pd.Series(["1,000", "x", "2万"], index=["a", "b", "c"])
    parsed = parse_numbers(series)
    assert parsed.dtype == float and list(parsed.index) == ["a", "b", "c"]
    assert parsed["a"] == 1000 and math.isnan(parsed["b"]) and parsed["c"] == 20000


def test_numeric_columns_share_and_placeholders():
    df = pd.DataFrame({"name": ["晋江市", "龙海市", "长乐市", "福安市"],
                       "gdp": ["1", "-", "NA", "2"],  # placeholders do not count against it
                       "mixed": ["1", "x", "y", "z"],
                       "half": ["1", "2", "x", "y"],
                       "blank": ["", "", "", ""]})
    assert numeric_columns(df) == ["gdp", "half"]
    assert numeric_columns(df, min_share=0.6) == ["gdp"]
    assert numeric_columns(df, exclude=("gdp",)) == ["half"]


def test_no_numeric_columns(join):
    report = join("text.csv", csv_bytes("区县,主导产业\n晋江市,鞋服\n龙海市,食品\n"))
    assert report.numeric_columns == []
    assert report.values.at[JINJIANG, "主导产业"] == "鞋服"


# ---------------------------------------------------------------- key column and join


def test_find_key_column_prefers_adcodes(aliases, tables):
    df = pd.DataFrame({"name": ["晋江市", "龙海市"], "code": ["350582.0", "156350604"], "v": ["1", "2"]})
    assert find_key_column(df, aliases, tables.counties) == ("code", "adcode")
    df = pd.DataFrame({"note": ["shoes", "food", "tea"], "county": ["Jinjiang", "Longhai", "Fu'an"]})
    assert find_key_column(df, aliases, tables.counties) == ("county", "name")


def test_no_key_column(aliases, tables):
    df = pd.DataFrame({"城市": ["Atlantis", "Gotham", "晋江市"], "gdp": ["1", "2", "3"]})
    with pytest.raises(UploadError, match="No county column found.*Columns: 城市, gdp") as err:
        find_key_column(df, aliases, tables.counties)
    assert "找不到区县列" in err.value.zh


def test_adcode_strings_float_and_iso_prefix(join):
    report = join("codes.csv", csv_bytes("code,gdp\n350582.0,1\n156350604,2\n350981,3\n350500,4\n"))
    assert report.key_kind == "adcode"
    assert list(report.values.index) == [JINJIANG, LONGHAI, FUAN]
    assert [u["text"] for u in report.unmatched] == ["350500"]  # a prefecture, not a county
    assert report.unmatched[0]["row"] == 5


def test_duplicates_keep_first_row(join):
    report = join("dup.csv", csv_bytes("name,gdp\n晋江市,1\n龙海市,2\nJinjiang,3\n晋江,4\n"))
    assert report.duplicates == [{"adcode": JINJIANG, "rows": [2, 4, 5]}]
    assert report.values.at[JINJIANG, "gdp"] == 1.0
    assert report.matched == 4 and len(report.values) == 2


def test_unmatched_with_suggestions(join):
    report = join("typo.csv", csv_bytes("name,gdp\n晋江市,1\nJinjang,2\n龙海市,3\n,4\n"))
    assert [(u["row"], u["text"]) for u in report.unmatched] == [(3, "Jinjang"), (5, "")]
    assert report.unmatched[0]["suggestions"][0] == "Jinjiang City"
    assert len(report.unmatched[0]["suggestions"]) == len(set(report.unmatched[0]["suggestions"]))
    assert report.unmatched[1]["suggestions"] == []


def test_html_name_is_kept_as_text_and_unmatched(join):
    evil = "<img src=x onerror=alert(1)>"
    report = join("xss.csv", csv_bytes(f'name,gdp\n晋江市,1\n"{evil}",2\n龙海市,3\n'))
    assert report.unmatched == [{"row": 3, "text": evil, "suggestions": []}]
    assert evil not in report.values["name"].tolist()


def test_ambiguous_licheng(join):
    report = join("amb.csv", csv_bytes("county,gdp\nLicheng,1\n晋江市,2\nPutian Licheng,3\n鲤城区,4\n"))
    assert report.ambiguous == [{"row": 2, "text": "Licheng", "candidates": [LICHENG_PUTIAN, LICHENG_QUANZHOU]}]
    assert set(report.values.index) == {JINJIANG, LICHENG_PUTIAN, LICHENG_QUANZHOU}
    assert report.matched == 3


def test_a_chosen_county_takes_an_ambiguous_row(join):
    """Issue 27: "Licheng" (鲤城区 or 荔城区) is assigned as the user chooses; a county that has a
    row already keeps it and the chosen row is reported as its duplicate."""
    from fjchains.upload.join import apply_choices

    report = join("amb.csv", csv_bytes("county,gdp\nLicheng,1\n晋江市,2\nLicheng,4500万\n鲤城区,4\n"))
    assert [a["row"] for a in report.ambiguous] == [2, 4] and report.matched == 2
    chosen = apply_choices(report, {2: LICHENG_PUTIAN, 4: LICHENG_QUANZHOU})
    assert chosen.matched == 4 and chosen.ambiguous == [] and chosen.ambiguous_count == 0
    assert chosen.values.at[LICHENG_PUTIAN, "gdp"] == 1.0
    assert chosen.values.at[LICHENG_QUANZHOU, "gdp"] == 4.0  # 鲤城区's own row stays
    assert chosen.duplicates == [{"adcode": LICHENG_QUANZHOU, "rows": [4, 5]}]
    assert LICHENG_PUTIAN not in chosen.missing_adcodes
    assert apply_choices(report, {2: JINJIANG, 3: LICHENG_PUTIAN}) is report  # no candidate, no ambiguous row
    assert report.matched == 2 and LICHENG_PUTIAN not in report.values.index  # the report as read is unchanged


def test_choices_carry_a_lists_values_and_can_be_changed(aliases, tables):
    from fjchains.upload.userdata import load_user_file, with_choices

    content = "county,chain\nJinjiang,Food\nLicheng District,Textiles；Food\nLicheng District,Shoes\n".encode()
    data = load_user_file("list.csv", content, aliases, tables.counties)
    assert data.text_columns.columns["chain"].values_of == {JINJIANG: ("Food",)}
    chosen = with_choices(data, {3: LICHENG_QUANZHOU, 4: LICHENG_PUTIAN})
    col = chosen.text_columns.columns["chain"]
    assert col.values_of[LICHENG_QUANZHOU] == ("Textiles", "Food") and col.values_of[LICHENG_PUTIAN] == ("Shoes",)
    assert col.counts == {"Food": 2, "Textiles": 1, "Shoes": 1}
    assert chosen.choices == ((3, LICHENG_QUANZHOU), (4, LICHENG_PUTIAN)) and chosen.as_read is data
    again = with_choices(chosen, {3: LICHENG_QUANZHOU, 4: None})  # from the file as read, not on top
    assert again.choices == ((3, LICHENG_QUANZHOU),) and again.report.matched == 2
    assert LICHENG_PUTIAN not in again.text_columns.columns["chain"].values_of
    assert with_choices(again, {3: None}) is data


def test_row_counts_add_up_and_plain_frames_use_index_plus_two(aliases, tables):
    df = pd.DataFrame({"name": ["晋江市", "Licheng", "Nowhere", "龙海市", "晋江市"], "v": ["1", "2", "3", "4", "5"]})
    report = join_upload(df, aliases, tables.counties)
    assert report.matched + len(report.unmatched) + len(report.ambiguous) == len(df)
    assert report.unmatched[0]["row"] == 4 and report.duplicates[0]["rows"] == [2, 6]
    assert report.values.index.name == "adcode"
