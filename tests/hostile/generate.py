"""Build every hostile input the dashboard must survive (issue 9): `python -m tests.hostile.generate DIR`.

Each entry is (file name, bytes, what it attacks). The files are made here, small on disk,
so tests and a human tester use the same ones; nothing is committed but this script.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

# Text payloads: shown anywhere, they must stay literal text.
MARKDOWN = ("[Your session expired - click here](http://127.0.0.1:9/phish) "
            "![t](http://127.0.0.1:9/x.png) **BOLD** $x^2$ :red[red] :material/home: <b>html</b>")
XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)",
            "\t=1+2", "\r=3+4"]
FORMULA_FILENAME = '=HYPERLINK("evil","x")+1.csv'

_CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_EMPTY_SST = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>'


def _xlsx(sheet_chunks, shared_chunks=(_EMPTY_SST,)) -> bytes:
    """A minimal workbook whose sheet1.xml / sharedStrings.xml are streamed from chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, body in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)):
            archive.writestr(name, body)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet_chunks), ("xl/sharedStrings.xml", shared_chunks)):
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def _repeat(chunk: bytes, total: int):
    for _ in range(total // len(chunk)):
        yield chunk


def s1_quadratic_sniff(size: int = 4_200_000) -> bytes:
    """csv.Sniffer's regexes are quadratic in this line's length."""
    n = size // 4
    return b'adcode,value,note\n350582,1,"' + b'A,""' * n + b'"\n350583,2,x\n'


def s2_dimension_xlsx() -> bytes:
    """<dimension> claims A1:XFD1048576 and one cell sits in the last row: openpyxl pads rows."""
    sheet = (_SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>'
             b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
             b"</sheetData></worksheet>")
    return _xlsx([sheet])


def s3_zip_bomb_xlsx(inflated: int = 120_000_000) -> bytes:
    """A sheet that inflates to 120 MB (past every budget) from a few hundred KB; the budgets
    would refuse 1 GB the same way, before inflating a byte."""
    row = b'<row><c t="inlineStr"><is><t>350582</t></is></c><c><v>1</v></c></row>' * 1000
    return _xlsx([_SHEET_HEAD + b"<sheetData>", *_repeat(row, inflated), b"</sheetData></worksheet>"])


def s3_shared_strings_bomb_xlsx(inflated: int = 60_000_000) -> bytes:
    """Millions of shared strings, loaded whole by openpyxl before the first row."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    sheet = _SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return _xlsx([sheet], [head, *_repeat(b"<si><t>ab</t></si>" * 1000, inflated), b"</sst>"])


def s3_unmatched_names(rows: int = 1_000_000) -> bytes:
    """A million distinct names that match no county (suggest() per row was 1.5 ms)."""
    lines = [b"county,value"] + [b"q%x,1" % i for i in range(rows)]
    return b"\n".join(lines) + b"\n"


def s3_many_unmatched_within_budget(rows: int = 100_000) -> bytes:
    """Half known names, half 50,000 distinct unknown ones: inside the budgets, so it must be
    read quickly and reported, not refused."""
    known = ["晋江市", "福清市", "龙海市", "Jinjiang", "长乐", "蕉城区"]
    lines = ["county,value"] + [known[i % len(known)] if i % 2 == 0 else f"nowhere{i}" for i in range(rows)]
    return ("\n".join(line if line == lines[0] else f"{line},1" for line in lines) + "\n").encode("utf-8")


def s3_wide(columns: int = 200_000) -> bytes:
    """200,000 columns and one row (names.count was quadratic)."""
    header = b",".join(b"c%d" % i for i in range(columns))
    return b"adcode," + header + b"\n350582," + b",".join(b"1" for _ in range(columns)) + b"\n"


def s4_big_cell_xlsx(chars: int = 60_000_000) -> bytes:
    """One 60 MB cell in a small workbook (the attack used 300 MB; any size past the budget is
    refused the same way)."""
    return _xlsx([_SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>adcode</t></is></c>'
                  b'<c r="B1" t="inlineStr"><is><t>note</t></is></c></row><row r="2"><c r="A2"><v>350582</v></c>'
                  b'<c r="B2" t="inlineStr"><is><t>', *_repeat(b"A" * 100_000, chars),
                  b"</t></is></c></row></sheetData></worksheet>"])


def s4_big_cell_csv(chars: int = 5_000_000) -> bytes:
    """A 5 MB cell, unquoted (it used to say 'check that quotes are paired')."""
    return b"adcode,note\n350582," + b"A" * chars + b"\n"


def s5_formulas() -> bytes:
    """Spreadsheet formulas in every text cell and in a header."""
    rows = ["adcode,value,note,=SUM(1;2)"]
    for code, formula in zip(("350582", "350181", "350583", "350521", "350525", "350526", "350981"), FORMULAS):
        quoted = '"' + formula.replace('"', '""') + '"'
        rows.append(f"{code},{len(rows)},{quoted},{quoted}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def s6_markdown() -> bytes:
    """Markdown and HTML in the key column's header, in cells and in a name."""
    def q(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    rows = [f"{q(MARKDOWN)},gdp,note", f"晋江市,100,{q(MARKDOWN)}", f"福清市,200,{q(XSS)}", f"{q(MARKDOWN)},300,x"]
    return ("\n".join(rows) + "\n").encode("utf-8")


def s7_extremes() -> bytes:
    """Numbers at and past the edge of float."""
    return b"adcode,big\n350582,1e308\n350181,-1e308\n350583,1e309\n350521,5\n350525,-inf\n"


#: file name -> (builder, what it attacks); the S3 bombs are built on demand (they are large).
FILES = {
    "s1_quadratic_sniff.csv": (s1_quadratic_sniff, "S1 quadratic CSV sniffing"),
    "s2_dimension.xlsx": (s2_dimension_xlsx, "S2 <dimension> padding"),
    "s3_zip_bomb.xlsx": (s3_zip_bomb_xlsx, "S3 zip bomb"),
    "s3_shared_strings.xlsx": (s3_shared_strings_bomb_xlsx, "S3 sharedStrings bomb"),
    "s3_unmatched.csv": (s3_unmatched_names, "S3 a million unmatched names"),
    "s3_wide.csv": (s3_wide, "S3 200,000 columns"),
    "s4_big_cell.xlsx": (s4_big_cell_xlsx, "S4 300 MB cell"),
    "s4_big_cell.csv": (s4_big_cell_csv, "S4 5 MB unquoted cell"),
    "s5_formulas.csv": (s5_formulas, "S5 formula injection"),
    "s6_markdown.csv": (s6_markdown, "S6 Markdown/HTML injection"),
    "s7_extremes.csv": (s7_extremes, "S7 extreme numbers"),
}


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name, (build, what) in FILES.items():
        content = build()
        (target / name).write_bytes(content)
        print(f"{name:28} {len(content):>10,} bytes  {what}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="hostile-files", help="where the files go (default: hostile-files)")
    main(parser.parse_args().folder)
