"""Read an analyst's uploaded CSV/Excel file of county rows and join it to the county list.

Uploads are untrusted and messy: GBK exports from Excel, semicolons, "1,234.5", "12.3亿",
old county names, typos. Everything here is pure (bytes in, DataFrames out, nothing written
to disk), and every problem becomes an UploadError that says, in Chinese and English, which
file, which line or column, and what to do, instead of a raw parser traceback.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from fjchains import limits
from fjchains.names import resolve, suggest

MAX_UPLOAD_BYTES = limits.MAX_UPLOAD_BYTES
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma ','", ";": "semicolon ';'", "\t": "tab", "|": "pipe '|'"}
_DELIMITER_ZH = {",": "逗号 ','", ";": "分号 ';'", "\t": "制表符", "|": "竖线 '|'"}
_MISSING_TOKENS = {"", "-", "--", "—", "——", "–", "na", "n/a", "nan", "null", "none", "无", "/"}
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_UNITS = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))
_LONG_LINE = re.compile(rf"[^\r\n]{{{limits.MAX_LINE_CHARS + 1}}}")
_ADCODE_RE = re.compile(r"^(?:156)?(35\d{4})(?:\.0+)?$")


class UploadError(ValueError):
    """A bad upload; `zh` and `en` are messages for the analyst. str() is the English one."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(en)

    def __reduce__(self):  # it crosses a process boundary (fjchains.sandbox)
        return type(self), (self.zh, self.en)


def shown(text, limit: int = limits.MAX_SHOWN_CHARS) -> str:
    """User text for a message: control characters as spaces, cut to `limit` with an ellipsis."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- reading


def read_upload(filename: str, content: bytes) -> pd.DataFrame:
    """Parse an uploaded .csv/.txt/.xlsx into a text DataFrame (all str, stripped).

    The index is the row's line number in the file (header = line 1, named "line"), so
    messages can point at the row the analyst sees in Excel or a text editor.
    """
    name = shown(filename or "upload")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(content) > MAX_UPLOAD_BYTES:
        limit = f"{MAX_UPLOAD_BYTES / 1_000_000:g} MB"
        raise UploadError(
            f"文件 {name} 太大（{len(content) / 1e6:.1f} MB），上限为 {limit}，请删去无关的行或列后再上传。",
            f"{name} is too big ({len(content) / 1e6:.1f} MB); the limit is {limit}. "
            "Remove unneeded rows or columns and upload again.")
    if not content.strip():
        raise UploadError(f"文件 {name} 是空的，请上传含表头和数据行的文件。",
                          f"{name} is empty; upload a file with a header row and data rows.")
    if ext == "xls":
        raise UploadError(f"不支持旧版 Excel 格式（{name}），请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后上传。",
                          f"Old Excel .xls files are not supported ({name}); in Excel use Save As "
                          ".xlsx or CSV UTF-8 and upload that.")
    if ext == "xlsx":
        records = _xlsx_records(name, content)
    elif ext in ("csv", "txt"):
        records = _csv_records(name, content)
    else:
        raise UploadError(f"不支持的文件类型 “.{ext}”（{name}），请上传 .csv、.txt 或 .xlsx 文件。",
                          f"Unsupported file type '.{ext}' ({name}); upload a .csv, .txt or .xlsx file.")
    return _to_frame(name, records)


def _too_big(name: str, zh: str, en: str) -> UploadError:
    """The one message for a file over a budget: what, the limit, what to do."""
    return UploadError(f"{name} 太大或太复杂，无法读取：{zh}。请删去无关的行或列，或拆分后再上传。",
                       f"{name} is too large or complex to read: {en}. Remove unneeded rows or columns, "
                       "or split it, and upload again.")


def _csv_records(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """Decode (UTF-8, UTF-8 BOM, UTF-16 BOM, GBK/GB18030), sniff the delimiter, split.

    Linear in the file: line length, rows, columns and cell size are checked as the file
    is read, and the delimiter sniffer sees a bounded sample.
    """
    if content.startswith(b"PK\x03\x04"):
        raise UploadError(f"{name} 实际是 Excel（.xlsx）文件，请把扩展名改为 .xlsx 后再上传。",
                          f"{name} is really an Excel (.xlsx) file; rename it to .xlsx and upload again.")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        text = None if b"\x00" in content else _decode(content)
    if text is None or _looks_binary(text):
        raise UploadError(f"{name} 不是文本表格（含二进制内容或无法识别的编码），"
                          "请从 Excel 另存为 CSV（UTF-8）后上传。",
                          f"{name} is not a text table (binary content or unknown encoding); "
                          "in Excel use Save As CSV UTF-8 and upload that.")
    too_long = _LONG_LINE.search(text)  # one C-speed scan, no list of lines
    if too_long:
        number = text.count("\n", 0, too_long.start()) + 1
        end = min(i for i in (text.find("\n", too_long.start()), text.find("\r", too_long.start()), len(text))
                  if i >= 0)
        length = end - (text.rfind("\n", 0, too_long.start()) + 1)
        raise _too_big(name, f"第 {number} 行有 {length:,} 个字符，每行上限 {limits.MAX_LINE_CHARS:,}",
                       f"line {number} has {length:,} characters, the limit is {limits.MAX_LINE_CHARS:,}")
    head = text[: limits.SNIFF_SAMPLE_CHARS * 4].splitlines()
    delimiter = _sniff_delimiter([ln for ln in head[:200] if ln.strip()][:50])
    # strict: an unpaired quote is an error, not the rest of the file swallowed into one cell.
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for record in reader:
            _check_record(name, start, record, len(records))
            records.append((start, record))  # the line the record starts on
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_big(name, f"第 {start} 行起有一个单元格超过 {limits.MAX_CELL_CHARS:,} 个字符",
                           f"a cell from line {start} has more than {limits.MAX_CELL_CHARS:,} characters") from None
        raise UploadError(f"{name} 第 {start} 行起无法解析（{exc}），请检查引号是否成对。",
                          f"{name}, from line {start}: cannot be parsed ({exc}); check that quotes are paired."
                          ) from None
    if records and len(records[0][1]) == 1:
        header = records[0][1][0]
        seen = [c for c in ("，", "、", " ", ":", "：") if c in header.strip()]
        hint_en = f" The header contains {', '.join(repr(c) for c in seen)}, which is not a column separator." \
            if seen else ""
        hint_zh = f"表头中含有 {'、'.join(repr(c) for c in seen)}，这不是列分隔符。" if seen else ""
        raise UploadError(
            f"{name} 只识别出一列（按{_DELIMITER_ZH[delimiter]}分隔）。{hint_zh}"
            "请用逗号、分号、制表符或竖线分隔各列，或另存为 .xlsx 后上传。",
            f"{name} has only one column (split on {_DELIMITER_NAMES[delimiter]}).{hint_en} "
            "Separate columns with commas, semicolons, tabs or '|', or save as .xlsx.")
    return records


def _check_record(name: str, line: int, record: list[str], rows_so_far: int) -> None:
    """Budgets for one record as it is read: rows, columns (trailing blanks ignored), cell size."""
    if rows_so_far > limits.MAX_ROWS:  # the header is record 0
        raise _too_big(name, f"超过 {limits.MAX_ROWS:,} 行数据", f"more than {limits.MAX_ROWS:,} data rows")
    width = len(record)
    while width and not record[width - 1].strip():
        width -= 1
    if width > limits.MAX_COLUMNS:
        raise _too_big(name, f"第 {line} 行有 {width:,} 列，上限 {limits.MAX_COLUMNS:,} 列",
                       f"line {line} has {width:,} columns, the limit is {limits.MAX_COLUMNS:,}")
    for column, cell in enumerate(record[:width], start=1):
        if len(cell) > limits.MAX_CELL_CHARS:
            raise _too_big(name, f"第 {line} 行第 {column} 列有 {len(cell):,} 个字符，"
                                 f"每格上限 {limits.MAX_CELL_CHARS:,}",
                           f"line {line}, column {column} has {len(cell):,} characters, "
                           f"the limit is {limits.MAX_CELL_CHARS:,} per cell")
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
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        best = max(_DELIMITERS, key=header.count)
        return best if header.count(best) else ","


def _check_zip(name: str, content: bytes) -> None:
    """Refuse zip bombs before openpyxl inflates anything: member count, sizes, ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError(f"{name} 不是有效的 .xlsx 文件（无法作为 zip 打开），请在 Excel 中重新另存为 .xlsx。",
                          f"{name} is not a valid .xlsx file (not a zip archive); "
                          "open it in Excel and save it again as .xlsx.") from None
    if len(members) > limits.XLSX_MAX_MEMBERS:
        raise _too_big(name, f"工作簿包含 {len(members):,} 个部件", f"the workbook has {len(members):,} parts")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(1, member.compress_size)
        if member.file_size > limits.XLSX_MAX_MEMBER_BYTES or ratio > limits.XLSX_MAX_RATIO:
            raise _too_big(name, f"工作簿的部件 {shown(member.filename, 40)} 解压后为 {member.file_size / 1e6:,.0f} MB",
                           f"workbook part {shown(member.filename, 40)} inflates to {member.file_size / 1e6:,.0f} MB")
    if total > limits.XLSX_MAX_TOTAL_BYTES:
        raise _too_big(name, f"工作簿解压后为 {total / 1e6:,.0f} MB", f"the workbook inflates to {total / 1e6:,.0f} MB")


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
                    raise _too_big(name, f"第 {number} 行有 {width:,} 列，上限 {limits.MAX_COLUMNS:,} 列",
                                   f"row {number} has {width:,} columns, the limit is {limits.MAX_COLUMNS:,}")
                record = [_cell_text(v) for v in row[:width]]
                _check_record(name, number, record, len(records))
                records.append((number, record))
        finally:
            workbook.close()
    except UploadError:
        raise
    except Exception as exc:  # BadZipFile, InvalidFileException, KeyError, ...: all mean "not a workbook"
        raise UploadError(f"{name} 不是有效的 .xlsx 文件（{type(exc).__name__}），请在 Excel 中重新另存为 .xlsx。",
                          f"{name} is not a valid .xlsx file ({type(exc).__name__}); "
                          "open it in Excel and save it again as .xlsx.") from None
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
    """Header checks and ragged rows, then a str DataFrame indexed by file line."""
    records = [(n, [c.strip() for c in r]) for n, r in records if any(c.strip() for c in r)]
    if not records:
        raise UploadError(f"文件 {name} 是空的，请上传含表头和数据行的文件。",
                          f"{name} is empty; upload a file with a header row and data rows.")
    header_line, header = records[0]
    rows = records[1:]
    if not rows:
        raise UploadError(f"{name} 只有表头，没有数据行，请在表头下方每个区县填一行。",
                          f"{name} has a header but no data rows; add one row per county below the header.")
    width = max(len(header), *(len(r) for _, r in rows))
    if width * len(rows) > limits.MAX_CELLS:
        raise _too_big(name, f"{len(rows):,} 行 × {width:,} 列超过 {limits.MAX_CELLS:,} 个单元格",
                       f"{len(rows):,} rows x {width:,} columns exceed {limits.MAX_CELLS:,} cells")
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
            raise UploadError(
                f"{name} 第 {i + 1} 列没有表头（第 {line} 行起有数据），"
                f"请在第 {header_line} 行为每列填写列名；若值中含分隔符，请加引号。",
                f"{name}: column {i + 1} has no header but holds data (from line {line}); "
                f"give every column a name in line {header_line}, or quote values that contain the separator.")
    names = [header[i] for i in keep]
    dupes = sorted(h for h, n in Counter(names).items() if n > 1)
    if dupes:
        listed = [shown(h, 30) for h in dupes[:5]]
        raise UploadError(f"{name} 的表头有重复列名：{'、'.join(listed)}，请为每列取不同的名字。",
                          f"{name} has duplicate column names: {', '.join(listed)}; give each column a unique name.")
    df = pd.DataFrame([[r[i] for i in keep] for _, r in rows], columns=names, dtype=str,
                      index=pd.Index([n for n, _ in rows], name="line"))
    df.attrs["filename"] = name
    return df


# ---------------------------------------------------------------- numbers


def parse_number(text) -> float:
    """'1,234.5', '１２３', '12.3亿', '4500万元', '5%' -> float; placeholders and junk -> NaN.

    A comma is only a thousands separator in groups of three ('12,5' is NaN, not 125),
    so a European decimal comma is never silently read as a value ten times too big.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else math.nan
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = re.sub(r"\s+", "", s)
    if s in _MISSING_TOKENS:
        return math.nan
    s = s.removesuffix("%").removesuffix("元")
    factor = 1.0
    for unit, multiplier in _UNITS:
        if s.endswith(unit):
            s, factor = s[: -len(unit)], multiplier
            break
    if "," in s:
        if not _THOUSANDS_RE.match(s):
            return math.nan
        s = s.replace(",", "")
    if not _NUMBER_RE.match(s):
        return math.nan
    value = float(s) * factor
    return value if math.isfinite(value) else math.nan  # '1e309' is not a number anyone measured


def parse_numbers(series: pd.Series) -> pd.Series:
    """parse_number on every cell, keeping the index."""
    return series.map(parse_number).astype(float)


def _filled(series: pd.Series) -> pd.Series:
    """Cells that hold something (placeholders like '-' or 'NA' count as empty)."""
    norm = series.fillna("").astype(str).map(lambda v: re.sub(r"\s+", "", unicodedata.normalize("NFKC", v)).lower())
    return series[~norm.isin(_MISSING_TOKENS)]


def numeric_columns(df: pd.DataFrame, min_share: float = 0.5, exclude=()) -> list[str]:
    """Columns where at least min_share of the filled cells are numbers (exclude: the key)."""
    found = []
    for column in df.columns:
        if column in exclude:
            continue
        filled = _filled(df[column])
        if len(filled) and parse_numbers(filled).notna().mean() >= min_share:
            found.append(column)
    return found


# ---------------------------------------------------------------- joining


def _as_adcode(text) -> str | None:
    """'350582', '350582.0' (Excel), '156350582' (ISO country prefix) -> '350582'."""
    match = _ADCODE_RE.match(str(text).strip())
    return match.group(1) if match else None


def _resolver(aliases: pd.DataFrame, counties: pd.DataFrame):
    """resolve() with a cache: files repeat names. Long cells are never county names."""
    cache: dict[str, list[str]] = {}

    def lookup(text: str) -> list[str]:
        if len(text) > limits.MAX_MATCH_CHARS:
            return []
        if text not in cache:
            cache[text] = resolve(text, aliases, counties)
        return cache[text]

    return lookup


def find_key_column(df: pd.DataFrame, aliases: pd.DataFrame, counties: pd.DataFrame) -> tuple[str, str]:
    """(column, "adcode" | "name"): the column that identifies counties.

    A column of Fujian adcodes wins (exact, no ambiguity); otherwise the column whose values
    resolve() to counties most often. At least half of the rows must match (judged on the
    first 500 rows, so the cost does not grow with the file).
    """
    name = df.attrs.get("filename", "upload")
    sample = df.head(500)
    needed = max(1, math.ceil(len(sample) / 2))
    codes = {c: sample[c].map(_as_adcode).notna().sum() for c in df.columns}
    best = max(codes, key=lambda c: codes[c], default=None)
    if best is not None and codes[best] >= needed:
        return best, "adcode"
    lookup = _resolver(aliases, counties)
    hits = {column: sum(bool(lookup(v)) for v in sample[column].fillna("").astype(str) if v)
            for column in df.columns}
    best = max(hits, key=lambda c: hits[c], default=None)
    if best is None or hits[best] < needed:
        shown_zh = "、".join(shown(c, 30) for c in list(df.columns)[:20])
        shown_en = ", ".join(shown(c, 30) for c in list(df.columns)[:20])
        more = "…" if len(df.columns) > 20 else ""
        raise UploadError(
            f"{name} 中找不到区县列：没有哪一列至少一半的行是福建区县名称或 6 位行政区划代码（350xxx）。"
            f"现有列：{shown_zh}{more}。请添加“区县”列（如 晋江市、Jinjiang）或“adcode”列（如 350582）。",
            f"No county column found in {name}: no column has county names or 6-digit Fujian adcodes "
            f"(35xxxx) in at least half of its rows. Columns: {shown_en}{more}. "
            "Add a county column (e.g. 晋江市 or Jinjiang) or an adcode column (e.g. 350582).")
    return best, "name"


@dataclass
class JoinReport:
    """What matched, what did not and why, for the upload summary shown to the analyst.

    The lists hold at most limits.MAX_REPORTED entries each; the *_count fields the totals.
    """

    key_column: str
    key_kind: str  # "adcode" or "name"
    values: pd.DataFrame  # index adcode, one row per matched county
    matched: int  # file rows matched to exactly one county (duplicates included)
    unmatched: list[dict] = field(default_factory=list)  # {row, text, suggestions}
    ambiguous: list[dict] = field(default_factory=list)  # {row, text, candidates}
    duplicates: list[dict] = field(default_factory=list)  # {adcode, rows}
    missing_adcodes: list[str] = field(default_factory=list)
    numeric_columns: list[str] = field(default_factory=list)
    unmatched_count: int = 0
    ambiguous_count: int = 0

    @property
    def rows(self) -> int:
        """Data rows read from the file."""
        return self.matched + self.unmatched_count + self.ambiguous_count


def join_upload(df: pd.DataFrame, aliases: pd.DataFrame, counties: pd.DataFrame) -> JoinReport:
    """Match each row to a county; keep the first row per county; report everything else.

    Row numbers are file lines (header = 1) when df comes from read_upload, else index + 2.
    Cell text is kept verbatim (even '<img ...>'): escaping is the renderer's job.
    Linear in the rows: names are looked up once per distinct text, and only the first
    limits.MAX_SUGGESTED distinct unknown names get "did you mean" suggestions.
    """
    key, kind = find_key_column(df, aliases, counties)
    lines = list(df.index) if df.index.name == "line" else [i + 2 for i in range(len(df))]
    known = set(counties["adcode"])
    lookup = _resolver(aliases, counties)
    first: dict[str, int] = {}
    rows_of: dict[str, list[int]] = {}
    unmatched: list[dict] = []
    ambiguous: list[dict] = []
    matched = 0
    unmatched_count = ambiguous_count = 0
    suggestions: dict[str, list[str]] = {}
    for position, (line, text) in enumerate(zip(lines, df[key].fillna("").astype(str))):
        if kind == "adcode":
            code = _as_adcode(text)
            candidates = [code] if code is not None and code in known else []
        else:
            candidates = [c for c in lookup(text) if c in known] if text else []
        if len(candidates) == 1:
            matched += 1
            first.setdefault(candidates[0], position)
            rows_of.setdefault(candidates[0], []).append(line)
        elif candidates:
            ambiguous_count += 1
            if len(ambiguous) < limits.MAX_REPORTED:
                ambiguous.append({"row": line, "text": text, "candidates": candidates})
        else:
            unmatched_count += 1
            if len(unmatched) < limits.MAX_REPORTED:
                if text not in suggestions and len(suggestions) < limits.MAX_SUGGESTED:
                    suggestions[text] = list(dict.fromkeys(suggest(text, aliases))) \
                        if text.strip() and len(text) <= limits.MAX_MATCH_CHARS else []
                unmatched.append({"row": line, "text": text, "suggestions": suggestions.get(text, [])})
    values = df.iloc[list(first.values())].copy()
    numeric = numeric_columns(values, exclude=(key,))
    for column in numeric:
        values[column] = parse_numbers(values[column])
    values.index = pd.Index(list(first.keys()), name="adcode")
    return JoinReport(
        key_column=key, key_kind=kind, values=values, matched=matched,
        unmatched=unmatched, ambiguous=ambiguous,
        duplicates=[{"adcode": c, "rows": r[: limits.MAX_REPORTED]} for c, r in rows_of.items() if len(r) > 1],
        missing_adcodes=sorted(known - set(first)), numeric_columns=numeric,
        unmatched_count=unmatched_count, ambiguous_count=ambiguous_count,
    )
