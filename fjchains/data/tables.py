"""Load and validate the CSV tables in data/.

Every table is read as text (no type guessing, so adcodes keep their digits and "NA" stays
"NA"), checked against its schema and against the other tables, and returned as a
DataFrame. A broken file raises DataValidationError naming the file, the line and the
problem, so whoever edited it can fix it at once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fjchains.core import paths
from fjchains.core.errors import DataValidationError

ADCODE_RE = re.compile(r"^35\d{4}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CATEGORIES = ("pillar", "traditional", "emerging")
LEVELS = ("district", "county_city", "county")


@dataclass(frozen=True)
class Schema:
    """What one CSV must hold."""

    file: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...]
    cited: bool = True  # rows carry a `source` that must exist in sources.csv


SCHEMAS = {
    "sources": Schema(
        "sources.csv",
        ("source_id", "title_zh", "title_en", "publisher_zh", "publisher_en", "date", "url", "file", "licence", "note"),
        ("source_id", "title_zh", "title_en", "publisher_zh", "publisher_en", "date"),
        ("source_id",),
        cited=False,
    ),
    "counties": Schema(
        "counties.csv",
        ("adcode", "name_zh", "name_en", "prefecture_adcode", "prefecture_zh", "prefecture_en", "level",
         "source", "name_en_source"),
        ("adcode", "name_zh", "name_en", "prefecture_adcode", "prefecture_zh", "prefecture_en", "level",
         "source", "name_en_source"),
        ("adcode",),
    ),
    "former_names": Schema(
        "former_names.csv",
        ("former_name_zh", "former_name_en", "former_adcode", "adcode", "change_zh", "change_en", "year", "date",
         "document", "approver_zh", "approver_en", "source", "source_quote"),
        ("former_name_zh", "former_adcode", "adcode", "change_zh", "change_en", "year", "date", "document",
         "approver_zh", "approver_en", "source", "source_quote"),
        ("former_name_zh",),
    ),
    "chains": Schema(
        "chains.csv",
        ("chain_id", "name_zh", "name_en", "category", "list_ends_with_deng", "source", "source_quote"),
        ("chain_id", "name_zh", "name_en", "category", "list_ends_with_deng", "source", "source_quote"),
        ("chain_id",),
    ),
    "county_chains": Schema(
        "county_chains.csv",
        ("adcode", "chain_id", "name_in_source", "source"),
        ("adcode", "chain_id", "source"),
        ("adcode", "chain_id"),
    ),
    "golden_cards": Schema(
        "golden_cards.csv",
        ("adcode", "name_in_source", "card_zh", "card_en", "source", "source_quote"),
        ("adcode", "card_zh", "card_en", "source", "source_quote"),
        ("adcode",),
    ),
    "headline_stats": Schema(
        "headline_stats.csv",
        ("metric_id", "label_zh", "label_en", "value", "unit_zh", "unit_en", "year", "source", "source_quote"),
        ("metric_id", "label_zh", "label_en", "value", "unit_zh", "unit_en", "year", "source", "source_quote"),
        ("metric_id",),
    ),
}


@dataclass(frozen=True)
class Tables:
    """All validated tables of data/, one attribute each."""

    sources: pd.DataFrame
    counties: pd.DataFrame
    former_names: pd.DataFrame
    chains: pd.DataFrame
    county_chains: pd.DataFrame
    golden_cards: pd.DataFrame
    headline_stats: pd.DataFrame


def _line(index: int) -> int:
    """CSV line of a 0-based data row (line 1 is the header)."""
    return int(index) + 2


def read_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Read one table as text and check its own schema (columns, empties, duplicates)."""
    schema = SCHEMAS[name]
    path = Path(data_dir or paths.DATA_DIR) / schema.file
    label = f"data/{schema.file}" if data_dir is None else str(path)
    return read_csv_checked(schema, path, label)


def read_csv_checked(schema: Schema, path: Path, label: str) -> pd.DataFrame:
    """Read a CSV as text and check it against schema; errors name `label`, the line, the problem."""
    if not path.exists():
        raise DataValidationError(label, "file is missing")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataValidationError(label, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    records = list(csv.reader(io.StringIO(text)))
    if not records:
        raise DataValidationError(label, "file is empty")
    for number, record in enumerate(records[1:], start=2):
        if record and len(record) != len(records[0]):
            raise DataValidationError(label, f"{len(record)} fields, the header has {len(records[0])} "
                                      "(quote values that contain commas)", row=number)
    df = pd.DataFrame([r for r in records[1:] if r], columns=records[0], dtype=str)
    missing = [c for c in schema.columns if c not in df.columns]
    if missing:
        raise DataValidationError(label, f"missing column(s) {', '.join(missing)}")
    df = df[list(schema.columns)].apply(lambda col: col.str.strip())
    for column in schema.required:
        empty = df.index[df[column] == ""]
        if len(empty):
            what = "no source" if column == "source" else "empty value"
            raise DataValidationError(label, what, row=_line(empty[0]), column=column)
    duplicated = df.index[df.duplicated(list(schema.key), keep="first")]
    if len(duplicated):
        key = ", ".join(f"{k}={df.at[duplicated[0], k]}" for k in schema.key)
        raise DataValidationError(label, f"duplicate row ({key})", row=_line(duplicated[0]))
    df.attrs["label"] = label
    return df


def _check_values(df: pd.DataFrame, column: str, allowed, what: str) -> None:
    bad = df.index[~df[column].isin(allowed)] if not callable(allowed) else df.index[~df[column].map(allowed)]
    if len(bad):
        raise DataValidationError(df.attrs["label"], f"{what}: '{df.at[bad[0], column]}'",
                                  row=_line(bad[0]), column=column)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


#: Stored copies a quote can be checked against: text files under data/sources/.
TEXT_SUFFIXES = (".txt", ".md")


def source_texts(sources: pd.DataFrame, data_dir: Path | None = None) -> dict[str, str]:
    """source_id -> the text of its stored copy (file column, a .txt/.md under data/)."""
    base = Path(data_dir or paths.DATA_DIR)
    texts = {}
    for row in sources.itertuples():
        file = Path(row.file)
        if file.suffix in TEXT_SUFFIXES and file.parts[:1] == ("data",):
            path = base.joinpath(*file.parts[1:])
            if not path.exists():
                raise DataValidationError(sources.attrs.get("label", "data/sources.csv"),
                                          f"stored copy {row.file} of source {row.source_id} is missing")
            texts[row.source_id] = path.read_text(encoding="utf-8")
    return texts


def check_quotes(df: pd.DataFrame, texts: dict[str, str]) -> None:
    """Every row's source_quote must occur verbatim in the stored copy of its source."""
    for index, row in df.iterrows():
        text = texts.get(row["source"])
        if text is None:
            raise DataValidationError(df.attrs["label"], f"source '{row['source']}' has no stored text copy "
                                      "(data/sources/*.txt) to check the quote against", row=_line(index),
                                      column="source_quote")
        if row["source_quote"] not in text:
            raise DataValidationError(df.attrs["label"], "quote not found verbatim in the stored copy of "
                                      f"source '{row['source']}'", row=_line(index), column="source_quote")


def validate(tables: Tables, data_dir: Path | None = None) -> Tables:
    """Cross-table rules: codes exist, sources exist, quotes are verbatim, categories and numbers are valid."""
    source_ids = set(tables.sources["source_id"])
    for df in (tables.counties, tables.former_names, tables.chains, tables.county_chains,
               tables.golden_cards, tables.headline_stats):
        _check_values(df, "source", source_ids, "unknown source (not in sources.csv)")
    _check_values(tables.counties, "name_en_source", source_ids, "unknown source (not in sources.csv)")
    _check_values(tables.counties, "adcode", lambda v: bool(ADCODE_RE.match(v)), "not a Fujian 6-digit adcode")
    _check_values(tables.counties, "level", LEVELS, f"level must be one of {', '.join(LEVELS)}")
    _check_values(tables.counties, "name_zh", lambda v: "<" not in v and ">" not in v, "name contains markup")
    adcodes = set(tables.counties["adcode"])
    for df in (tables.former_names, tables.county_chains, tables.golden_cards):
        _check_values(df, "adcode", adcodes, "unknown adcode (not in counties.csv)")
    _check_values(tables.former_names, "former_adcode", lambda v: bool(ADCODE_RE.match(v)) and v not in adcodes,
                  "former adcode must be a Fujian 6-digit adcode no longer in use")
    _check_values(tables.former_names, "date", lambda v: bool(DATE_RE.match(v)), "date must be YYYY-MM-DD")
    _check_values(tables.former_names, "year", lambda v: bool(re.match(r"^\d{4}$", v)), "year must be 4 digits")
    _check_values(tables.chains, "category", CATEGORIES, f"category must be one of {', '.join(CATEGORIES)}")
    _check_values(tables.chains, "list_ends_with_deng", ("true", "false"), "must be true or false")
    _check_values(tables.county_chains, "chain_id", set(tables.chains["chain_id"]),
                  "unknown chain id (not in chains.csv)")
    _check_values(tables.headline_stats, "value", _is_number, "value is not a number")
    texts = source_texts(tables.sources, data_dir)
    for name, schema in SCHEMAS.items():
        if "source_quote" in schema.columns:
            check_quotes(getattr(tables, name), texts)
    return tables


def load_tables(data_dir: Path | None = None) -> Tables:
    """Read and validate every table; raises DataValidationError on the first problem."""
    tables = Tables(**{name: read_table(name, data_dir) for name in SCHEMAS})
    validate(tables, data_dir)
    from fjchains.data.names import build_aliases  # aliases must be unambiguous in Chinese

    build_aliases(tables.counties, tables.former_names)
    return tables


def load_counties(data_dir: Path | None = None) -> pd.DataFrame:
    """Just the county list (used by the boundary build script)."""
    return read_table("counties", data_dir)
