"""Match an uploaded table's rows to counties: by adcode, or by any name fjchains.data.names knows.

Linear in the rows: names are looked up once per distinct text, the key column is judged
on a sample, and only the first limits.MAX_SUGGESTED distinct unknown names get "did you
mean" suggestions; the report lists at most limits.MAX_REPORTED rows of each kind.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from fjchains.core import limits
from fjchains.core.errors import UploadError
from fjchains.core.numbers import numeric_columns, parse_column
from fjchains.core.textsafe import truncate
from fjchains.data.names import resolve, suggest

_ADCODE_RE = re.compile(r"^(?:156)?(35\d{4})(?:\.0+)?$")


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
        columns = [truncate(c, 30) for c in list(df.columns)[:20]] + (["…"] if len(df.columns) > 20 else [])
        raise UploadError("upload_no_county_column", name=name, columns=columns)
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
    mixed_units: list[dict] = field(default_factory=list)  # {column, cells}: 亿/万 cells left empty, unit unknown
    unmatched_count: int = 0
    ambiguous_count: int = 0
    positions_of: dict[str, list[int]] = field(default_factory=dict)  # adcode -> every matched row's position
    # the listed ambiguous rows, as `values` holds matched ones (index: their row), for apply_choices
    ambiguous_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    ambiguous_positions: dict[int, int] = field(default_factory=dict)  # ambiguous row -> its position
    first_rows: dict[str, int] = field(default_factory=dict)  # adcode -> the row its values come from

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
    positions_of: dict[str, list[int]] = {}
    unmatched: list[dict] = []
    ambiguous: list[dict] = []
    ambiguous_positions: dict[int, int] = {}
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
            positions_of.setdefault(candidates[0], []).append(position)
        elif candidates:
            ambiguous_count += 1
            if len(ambiguous) < limits.MAX_REPORTED:
                ambiguous.append({"row": line, "text": text, "candidates": candidates})
                ambiguous_positions[line] = position
        else:
            unmatched_count += 1
            if len(unmatched) < limits.MAX_REPORTED:
                if text not in suggestions and len(suggestions) < limits.MAX_SUGGESTED:
                    suggestions[text] = list(dict.fromkeys(suggest(text, aliases))) \
                        if text.strip() and len(text) <= limits.MAX_MATCH_CHARS else []
                unmatched.append({"row": line, "text": text, "suggestions": suggestions.get(text, [])})
    values = df.iloc[list(first.values())].copy()
    numeric = numeric_columns(values, exclude=(key,))
    # the ambiguous rows a user may assign later (apply_choices), read in the same units
    both = pd.concat([values, df.iloc[list(ambiguous_positions.values())]])
    mixed_units = []
    for column in numeric:
        both[column], dropped = parse_column(both[column], column)
        if dropped:
            mixed_units.append({"column": column, "cells": dropped})
    values, listed = both.iloc[:len(first)].copy(), both.iloc[len(first):].copy()
    values.index = pd.Index(list(first.keys()), name="adcode")
    listed.index = pd.Index(list(ambiguous_positions), name="row")
    return JoinReport(
        key_column=key, key_kind=kind, values=values, matched=matched,
        unmatched=unmatched, ambiguous=ambiguous,
        duplicates=[{"adcode": c, "rows": r[: limits.MAX_REPORTED]} for c, r in rows_of.items() if len(r) > 1],
        missing_adcodes=sorted(known - set(first)), numeric_columns=numeric, mixed_units=mixed_units,
        unmatched_count=unmatched_count, ambiguous_count=ambiguous_count, positions_of=positions_of,
        ambiguous_values=listed, ambiguous_positions=ambiguous_positions,
        first_rows={c: r[0] for c, r in rows_of.items()},
    )


def apply_choices(report: JoinReport, choices: Mapping[int, str]) -> JoinReport:
    """The report with ambiguous rows assigned to the county a user chose for them
    (choices: file row -> adcode, one of that row's candidates; others are ignored).

    A chosen row counts as matched. Its county takes the row's values if it had none; if it
    had a row already, that row stays and the chosen one is listed as a duplicate, as for
    any county named twice.
    """
    chosen = [(entry, choices[entry["row"]]) for entry in report.ambiguous
              if choices.get(entry["row"]) in entry["candidates"]]
    if not chosen:
        return report
    first_rows = dict(report.first_rows)
    duplicates = {d["adcode"]: list(d["rows"]) for d in report.duplicates}
    positions_of = {a: list(p) for a, p in report.positions_of.items()}
    added: dict[str, int] = {}
    for entry, adcode in chosen:
        row = entry["row"]
        if adcode in first_rows:
            rows = duplicates.setdefault(adcode, [first_rows[adcode]])
            rows[:] = sorted({*rows, row})[: limits.MAX_REPORTED]
        else:
            first_rows[adcode] = added[adcode] = row
        positions_of.setdefault(adcode, []).append(report.ambiguous_positions[row])
    new = report.ambiguous_values.loc[list(added.values())]
    new.index = pd.Index(list(added), name="adcode")
    done = {entry["row"] for entry, _ in chosen}
    return replace(
        report, values=pd.concat([report.values, new]) if len(new) else report.values,
        matched=report.matched + len(chosen), ambiguous=[e for e in report.ambiguous if e["row"] not in done],
        ambiguous_count=report.ambiguous_count - len(chosen),
        duplicates=[{"adcode": a, "rows": r} for a, r in duplicates.items()],
        missing_adcodes=[a for a in report.missing_adcodes if a not in first_rows],
        positions_of={a: sorted(p) for a, p in positions_of.items()}, first_rows=first_rows,
    )
