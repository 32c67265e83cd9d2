"""Read an analyst's uploaded CSV/Excel file into a text table, within budgets.

Uploads are untrusted and messy: GBK exports from Excel, semicolons, ragged rows, zip bombs.
Everything here is pure (bytes in, a DataFrame out, nothing written to disk) and linear in
the file (fjchains.core.limits); every problem becomes an UploadError whose catalogue message
says which file, which line or column, and what to do. Numbers: fjchains.core.numbers; the join
to counties: fjchains.upload.join.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections import Counter

import pandas as pd

from fjchains.core import limits
from fjchains.core.errors import Msg, UploadError
from fjchains.core.textsafe import clean_text, truncate

MAX_UPLOAD_BYTES = limits.MAX_UPLOAD_BYTES
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}  # -> catalogue "delimiter_<name>"
# Tried only where a line starts (the look-behind fails in O(1) elsewhere): unanchored, the
# search rescanned a long line from each of its characters, quadratic in the line's length
# (84 lines of 8,000 characters took 20 s).
_LONG_LINE = re.compile(rf"(?<![^\r\n])[^\r\n]{{{limits.MAX_LINE_CHARS + 1}}}")


# ---------------------------------------------------------------- reading


def read_upload(filename: str, content: bytes) -> pd.DataFrame:
    """Parse an uploaded .csv/.txt/.xlsx into a text DataFrame (all str, cleaned: textsafe.clean_text).

    The index is the row's line number in the file (header = line 1, named "line"), so
    messages can point at the row the analyst sees in Excel or a text editor.
    """
    name = truncate(filename or "upload")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadError("upload_too_big", name=name, size=f"{len(content) / 1e6:.1f}",
                          limit=f"{MAX_UPLOAD_BYTES / 1_000_000:g}")
    if not content.strip():
        raise UploadError("upload_empty", name=name)
    if ext == "xls":
        raise UploadError("upload_xls", name=name)
    if ext == "xlsx":
        records = _xlsx_records(name, content)
    elif ext in ("csv", "txt"):
        records = _csv_records(name, content)
    else:
        raise UploadError("upload_type", name=name, ext=truncate(ext, 10))
    return _to_frame(name, records)


def _too_big(name: str, reason: str, **values) -> UploadError:
    """The one message for a file over a budget: which budget (catalogue "budget_<reason>"), what to do."""
    return UploadError("upload_too_complex", name=name, reason=Msg(f"budget_{reason}", values))


def _csv_problem(exc: csv.Error) -> Msg:
    """Python's csv error (English, technical) as a catalogue reason the user can act on."""
    text = str(exc)
    if "unexpected end of data" in text:
        return Msg("csv_quote_unclosed", {})
    if "expected after" in text:
        return Msg("csv_after_quote", {})
    return Msg("csv_malformed", {})


def _csv_records(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """Decode (UTF-8, UTF-8 BOM, UTF-16 BOM, GBK/GB18030), sniff the delimiter, split.

    Linear in the file: line length, rows, columns and cell size are checked as the file
    is read, and the delimiter sniffer sees a bounded sample.
    """
    if content.startswith(b"PK\x03\x04"):
        raise UploadError("upload_really_xlsx", name=name)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        text = None if b"\x00" in content else _decode(content)
    if text is None or _looks_binary(text):
        raise UploadError("upload_not_text", name=name)
    too_long = _LONG_LINE.search(text)  # one C-speed pass, no list of lines
    if too_long:  # it starts where its line does; lines end in \n, \r\n or \r
        start = too_long.start()
        number = text.count("\n", 0, start) + text.count("\r", 0, start) - text.count("\r\n", 0, start) + 1
        end = min(i for i in (text.find("\n", start), text.find("\r", start), len(text)) if i >= 0)
        length = end - start
        raise _too_big(name, "line", line=number, length=length, limit=limits.MAX_LINE_CHARS)
    head = text[: limits.SNIFF_SAMPLE_CHARS * 4].splitlines()
    delimiter = _sniff_delimiter([ln for ln in head[:200] if ln.strip()][:50])
    # strict: an unpaired quote is an error, not the rest of the file swallowed into one cell.
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for record in reader:
            _check_record(name, start, record, len(records))
            if record:  # blank lines are not rows (a file of blank lines was refused as too many rows)
                records.append((start, record))  # the line the record starts on
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_big(name, "cell_from", line=start, limit=limits.MAX_CELL_CHARS) from None
        raise UploadError("upload_unparsable", name=name, line=start, detail=_csv_problem(exc)) from None
    if records and len(records[0][1]) == 1:
        header = records[0][1][0].strip()
        seen = [repr(c) for c in ("，", "、", " ", ":", "：") if c in header]
        hint = Msg("upload_one_column_hint", {"chars": seen}) if seen else ""
        raise UploadError("upload_one_column", name=name, hint=hint,
                          delimiter=Msg(f"delimiter_{DELIMITERS[delimiter]}", {}))
    return records


def _check_record(name: str, line: int, record: list[str], rows_so_far: int) -> None:
    """Budgets for one record as it is read: rows, columns (trailing blanks ignored), cell size."""
    if rows_so_far > limits.MAX_ROWS:  # the header is record 0
        raise _too_big(name, "rows", limit=limits.MAX_ROWS)
    width = len(record)
    while width and not record[width - 1].strip():
        width -= 1
    if width > limits.MAX_COLUMNS:
        raise _too_big(name, "columns", line=line, width=width, limit=limits.MAX_COLUMNS)
    for column, cell in enumerate(record[:width], start=1):
        if len(cell) > limits.MAX_CELL_CHARS:
            raise _too_big(name, "cell", line=line, column=column, length=len(cell), limit=limits.MAX_CELL_CHARS)
    del record[width:]


def _decode(content: bytes) -> str | None:
    """UTF-8 first (it rarely decodes non-UTF-8 by accident), then GB18030 (superset of GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _looks_binary(text: str) -> bool:
    """GB18030 decodes many random bytes; control characters betray them."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\r\n")
    return controls > max(2, len(sample) // 200)


def _sniff_delimiter(lines: list[str]) -> str:
    """csv.Sniffer restricted to , ; tab |, on a bounded sample (its cost is quadratic in
    the sample's length); if it fails, the candidate seen most in the header."""
    sample = "\n".join(lines)[: limits.SNIFF_SAMPLE_CHARS]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        best = max(DELIMITERS, key=header.count)
        return best if header.count(best) else ","


def _check_zip(name: str, content: bytes) -> None:
    """Refuse zip bombs before openpyxl inflates anything: member count, sizes, ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError("upload_not_zip", name=name) from None
    if len(members) > limits.XLSX_MAX_MEMBERS:
        raise _too_big(name, "zip_parts", parts=len(members))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(1, member.compress_size)
        if member.file_size > limits.XLSX_MAX_MEMBER_BYTES or ratio > limits.XLSX_MAX_RATIO:
            raise _too_big(name, "zip_part", part=truncate(member.filename, 40), mb=member.file_size / 1e6)
    if total > limits.XLSX_MAX_TOTAL_BYTES:
        raise _too_big(name, "zip_total", mb=total / 1e6)


def _xlsx_records(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """First sheet of a workbook, cell values as text; any openpyxl/zip failure is wrapped.

    The sheet's real extent is read, not its <dimension> tag (which can claim 16,384
    columns); empty rows are skipped and every budget is checked per row.
    """
    import openpyxl

    _check_zip(name, content)
    records: list[tuple[int, list[str]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles/data validation
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > limits.XLSX_MAX_SHEET_ROWS:
                    break
                width = len(row)
                while width and row[width - 1] in (None, ""):
                    width -= 1
                if not width:
                    continue
                if width > limits.MAX_COLUMNS:
                    raise _too_big(name, "columns", line=number, width=width, limit=limits.MAX_COLUMNS)
                record = [_cell_text(v) for v in row[:width]]
                _check_record(name, number, record, len(records))
                records.append((number, record))
        finally:
            workbook.close()
    except UploadError:
        raise
    except Exception:  # BadZipFile, InvalidFileException, KeyError, ...: all mean "not a workbook"
        raise UploadError("upload_bad_xlsx", name=name) from None
    return records


def _cell_text(value) -> str:
    """Excel stores 350582 as 350582.0: show whole numbers without the '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _to_frame(name: str, records: list[tuple[int, list[str]]]) -> pd.DataFrame:
    """Header checks and ragged rows, then a str DataFrame indexed by file line.

    Every header and cell of both file types passes here once: textsafe.clean_text removes
    what draws nothing (a header "\ufeffGDP" is GDP; a cell of a zero-width space is empty).
    """
    cleaned = ((n, [clean_text(c) for c in r]) for n, r in records)
    records = [(n, r) for n, r in cleaned if any(r)]
    if not records:
        raise UploadError("upload_empty", name=name)
    header_line, header = records[0]
    rows = records[1:]
    if not rows:
        raise UploadError("upload_no_rows", name=name)
    width = max(len(header), *(len(r) for _, r in rows))
    if width * len(rows) > limits.MAX_CELLS:
        raise _too_big(name, "cells", rows=len(rows), width=width, limit=limits.MAX_CELLS)
    header = header + [""] * (width - len(header))
    rows = [(n, r + [""] * (width - len(r))) for n, r in rows]
    # Columns with neither a header nor any data (Excel's trailing commas) are not columns.
    filled = [bool(h) for h in header]
    for _, r in rows:
        for i, cell in enumerate(r):
            if cell:
                filled[i] = True
    keep = [i for i, f in enumerate(filled) if f]
    for i in keep:
        if not header[i]:
            line = next(n for n, r in rows if r[i])
            raise UploadError("upload_no_header", name=name, column=i + 1, line=line, header_line=header_line)
    names = [header[i] for i in keep]
    dupes = sorted(h for h, n in Counter(names).items() if n > 1)
    if dupes:
        listed = [truncate(h, 30) for h in dupes[:5]]
        raise UploadError("upload_duplicate_columns", name=name, columns=listed)
    df = pd.DataFrame([[r[i] for i in keep] for _, r in rows], columns=names, dtype=str,
                      index=pd.Index([n for n, _ in rows], name="line"))
    df.attrs["filename"] = name
    return df
