"""An analyst's own chain list (or any text column) on the map: one colour per value.

Provinces and prefectures publish longer lists than the opinion's examples. A file may give
one value per row, several in one cell ("纺织鞋服；食品加工"), or one row per county and
chain; all three become, per county, the values the file names. Everything here is pure:
read_text_columns runs once in the upload's sandbox (fjchains.upload.userdata), the rest on each
rerun. Values are the user's text: callers show them as text only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from fjchains.core import limits
from fjchains.core.errors import Msg
from fjchains.core.i18n import t
from fjchains.core.textsafe import truncate
from fjchains.data.names import resolve
from fjchains.geo.colouring import NOT_NAMED, SEVERAL, Colouring
from fjchains.upload.join import JoinReport

#: What separates several values in one cell: ; ； 、 , ，
SEPARATORS = re.compile(r"[;；、,，]")
PALETTE_SIZE = 12  # values with a colour of their own; the rest are grouped as "other"
OTHER = "#BBBBBB"  # Paul Tol's grey (bright scheme): the grouped values
JOINER = "; "  # several values of one county in a table cell


def split_cell(text: str) -> list[str]:
    """'纺织鞋服；食品、 ' -> ['纺织鞋服', '食品']: split on SEPARATORS, trimmed, blanks dropped.

    Repeats stay (the caller reports them as duplicates).
    """
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


@dataclass(frozen=True)
class TextColumn:
    """One text column, per county: the values it names, and what was odd about them."""

    column: str
    values_of: dict[str, tuple[str, ...]]  # adcode -> values in file order
    counts: dict[str, int]  # value -> counties naming it, most first (ties: first seen)
    repeats: list[dict]  # {adcode, value, rows}: a county-value pair given more than once
    repeat_count: int
    multi_value_cells: int  # cells holding several values

    @property
    def values(self) -> list[str]:
        return list(self.counts)


@dataclass(frozen=True)
class TextColumns:
    """The text columns of an upload that can be mapped, and why others cannot (Msg each)."""

    columns: dict[str, TextColumn]
    refused: list[Msg]


def _names_column(cells: Sequence[str], aliases: pd.DataFrame, counties: pd.DataFrame) -> bool:
    """A second county-name column (the template's name_en, say) is not a list of values."""
    sample = [c for c in cells[:500] if c and len(c) <= limits.MAX_MATCH_CHARS]
    if not sample:
        return False
    distinct = {c: bool(resolve(c, aliases, counties)) for c in set(sample)}
    return sum(distinct[c] for c in sample) * 2 >= len(sample)


def read_text_columns(df: pd.DataFrame, report: JoinReport, aliases: pd.DataFrame,
                    counties: pd.DataFrame) -> TextColumns:
    """Every text column (not the county key, not numeric, not county names) read as lists of values.

    Uses every matched row, not only each county's first: in a file of one row per county
    and chain, several rows per county are the point. Columns are read in file order until
    limits.MAX_TEXT_CELLS cells have been read; the rest are reported, not read.
    """
    lines = list(df.index) if df.index.name == "line" else [i + 2 for i in range(len(df))]
    adcode_at = {p: a for a, positions in report.positions_of.items() for p in positions}
    order = sorted(adcode_at)
    columns: dict[str, TextColumn] = {}
    refused: list[Msg] = []
    budget = limits.MAX_TEXT_CELLS
    for column in df.columns:
        if column == report.key_column or column in report.numeric_columns:
            continue
        if budget < len(order):
            refused.append(Msg("userlist_cells_budget", {"column": truncate(column, 40),
                                                         "limit": limits.MAX_TEXT_CELLS}))
            continue
        budget -= len(order)
        cells = df[column].fillna("").astype(str).tolist()
        if _names_column([cells[p] for p in order[:500]], aliases, counties):
            continue
        built = _column(str(column), [(adcode_at[p], lines[p], cells[p]) for p in order])
        if isinstance(built, Msg):
            refused.append(built)
        elif built is not None:
            columns[str(column)] = built
    return TextColumns(columns, refused)


def add_rows(report: TextColumns, rows: Sequence[tuple[str, dict[str, str]]]) -> TextColumns:
    """The report with more rows read into its columns: (adcode, cells by column), such as the
    ambiguous rows a user assigned to a county (fjchains.upload.join.apply_choices). Values
    past a column's budgets are left out; counts and their order are redone (ties: the values
    known before first)."""
    columns = {}
    for name, col in report.columns.items():
        values_of = {a: list(v) for a, v in col.values_of.items()}
        known = list(col.counts)  # in order: the values known before, then new ones as read
        multi = col.multi_value_cells
        for adcode, cells in rows:
            cell = str(cells.get(name) or "")
            parts = split_cell(cell) if SEPARATORS.search(cell) else ([cell.strip()] if cell.strip() else [])
            parts = parts[: limits.MAX_VALUES_PER_CELL]
            multi += len(parts) > 1
            have = values_of.setdefault(adcode, [])
            for value in parts:
                if value not in have and (value in col.counts or value in known
                                          or len(known) < limits.MAX_TEXT_VALUES):
                    have.append(value)
                    known += [] if value in known else [value]
        counts: dict[str, int] = dict.fromkeys(known, 0)
        for held in values_of.values():
            for value in held:
                counts[value] += 1
        ranked = dict(sorted(((v, n) for v, n in counts.items() if n), key=lambda item: -item[1]))
        columns[name] = TextColumn(col.column, {a: tuple(v) for a, v in values_of.items() if v}, ranked,
                                       col.repeats, col.repeat_count, multi)
    return TextColumns(columns, report.refused)


def _column(column: str, rows: Iterable[tuple[str, int, str]]) -> TextColumn | Msg | None:
    """(adcode, line, cell) rows -> the column's values per county; a Msg past a budget; None if empty."""
    name = truncate(column, 40)
    lines_of: dict[tuple[str, str], list[int]] = {}
    distinct: set[str] = set()
    multi = 0
    for adcode, line, cell in rows:
        parts = split_cell(cell) if SEPARATORS.search(cell) else ([cell.strip()] if cell.strip() else [])
        if len(parts) > limits.MAX_VALUES_PER_CELL:
            return Msg("userlist_too_many_in_cell", {"column": name, "line": line, "n": len(parts),
                                                     "limit": limits.MAX_VALUES_PER_CELL})
        multi += len(parts) > 1
        for value in parts:
            lines_of.setdefault((adcode, value), []).append(line)
            distinct.add(value)
        if len(distinct) > limits.MAX_TEXT_VALUES:
            return Msg("userlist_too_many_values", {"column": name, "limit": limits.MAX_TEXT_VALUES})
    if not lines_of:
        return None
    values_of: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for adcode, value in lines_of:
        values_of.setdefault(adcode, []).append(value)
        counts[value] = counts.get(value, 0) + 1
    ranked = dict(sorted(counts.items(), key=lambda item: -item[1]))  # stable: ties stay in file order
    repeats = [{"adcode": a, "value": v, "rows": r[: limits.MAX_REPORTED]}
               for (a, v), r in lines_of.items() if len(r) > 1]
    return TextColumn(column, {a: tuple(v) for a, v in values_of.items()}, ranked,
                          repeats[: limits.MAX_REPORTED], len(repeats), multi)


# ---------------------------------------------------------------- colours


@cache
def _tol() -> dict:
    """Paul Tol's schemes as the tol-colors package ships them (its colors.json, read as data:
    importing the package would import matplotlib)."""
    path = Path(str(metadata.distribution("tol-colors").locate_file("tol_colors/colors.json")))
    return json.loads(path.read_text(encoding="utf-8"))


def palette(n: int) -> list[str]:
    """n colour-blind-safe colours (n <= PALETTE_SIZE): Tol's muted scheme up to 9, his
    discrete rainbow (the variant made for n colours) for 10 to 12."""
    n = max(0, min(n, PALETTE_SIZE))
    schemes = _tol()
    if n <= 9:
        muted = [c for name, c in schemes["colorsets"]["muted"].items() if name != "pale_grey"]
        return [c.upper() for c in muted[:n]]
    rainbow = schemes["rainbow_discrete"]
    return [rainbow["colors"][i].upper() for i in rainbow["indexes"][n - 1]]


def value_colours(col: TextColumn, selected: Sequence[str] = ()) -> dict[str, str]:
    """A colour per value: the PALETTE_SIZE most frequent keep theirs under any filter;
    a filter on rarer values colours the chosen ones instead. Values not here are "other"."""
    top = col.values[:PALETTE_SIZE]
    colours = dict(zip(top, palette(len(top))))
    chosen = [v for v in col.values if v in set(selected)]
    if chosen and not set(chosen) <= set(top):
        return dict(zip(chosen, palette(len(chosen))))
    return colours


def values_colouring(col: TextColumn, adcodes: Iterable[str], lang: str,
                       selected: Sequence[str] = ()) -> Colouring:
    """Fill per county and a legend with counts.

    A county with one value (of the chosen ones, under a filter) takes its colour; several
    values, dark grey; values past the palette, "other" grey; none, light grey. Legend
    counts are counties naming each value, several-valued counties included.
    """
    colours = value_colours(col, selected)
    wanted = set(selected) or set(col.values)
    fills: dict[str, str] = {}
    matching: list[str] = []
    several = other_counties = 0
    for adcode in adcodes:
        held = [v for v in col.values_of.get(adcode, ()) if v in wanted]
        groups = {colours.get(v, OTHER) for v in held}
        if not held:
            fills[adcode] = NOT_NAMED
            continue
        matching.append(adcode)
        other_counties += any(v not in colours for v in held)
        several += len(groups) > 1
        fills[adcode] = groups.pop() if len(groups) == 1 else SEVERAL
    shown = [v for v in col.values if v in wanted]
    legend = [(f"{truncate(v, 40)} ({col.counts[v]})", colours[v]) for v in shown if v in colours]
    others = [v for v in shown if v not in colours]
    if others:
        legend.append((t("userlist_legend_other", lang, values=len(others), n=other_counties), OTHER))
    if several:
        legend.append((t("userlist_legend_several", lang, n=several), SEVERAL))
    legend.append((t("userlist_legend_none" if not selected else "userlist_legend_not_chosen", lang,
                     n=sum(1 for c in fills.values() if c == NOT_NAMED)), NOT_NAMED))
    return Colouring(fills, legend, t("userlist_legend_title", lang, column=truncate(col.column, 40)), matching)


def values_tips(col: TextColumn, adcodes: Iterable[str], lang: str) -> dict[str, list[str]]:
    """One tooltip line per county: the column and its values (or "no data")."""
    sep = t("list_sep", lang)
    name = truncate(col.column, 40)
    missing, colon = t("missing", lang), t("colon", lang)
    return {a: [f"{name}{colon}{truncate(sep.join(col.values_of[a]), 120) if a in col.values_of else missing}"]
            for a in adcodes}


def userlist_notes(col: TextColumn, lang: str) -> list[str]:
    """What a reader of this map must know: whose words, several values, grouped values."""
    notes = [t("userlist_note_source", lang, column=truncate(col.column, 40)),
             t("userlist_note_several", lang)]
    if len(col.values) > PALETTE_SIZE:
        notes.append(t("userlist_note_other", lang, shown=PALETTE_SIZE, n=len(col.values) - PALETTE_SIZE))
    return notes
