"""An analyst's own county figures on the map: from upload to colours, detail lines, tables.

Pure functions around reader.py and join.py (reading, joining) and classify.py (classes, palettes).
Uploaded data lives in the caller's session only; nothing here writes a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from fjchains.core import limits
from fjchains.core.errors import Msg, UploadError
from fjchains.core.i18n import t
from fjchains.core.numbers import format_value
from fjchains.core.textsafe import truncate
from fjchains.geo.colouring import Colouring, Filters, effective_chains
from fjchains.upload.classify import MISSING_COLOR, Classification, classify
from fjchains.upload.join import JoinReport, apply_choices, join_upload
from fjchains.upload.reader import read_upload
from fjchains.upload.sandbox import SandboxError, run_isolated
from fjchains.upload.text_columns import JOINER, TextColumns, add_rows, read_text_columns

FADED = "#f4f4f4"


@dataclass(frozen=True)
class UserData:
    """One uploaded file, joined to the 84 counties (and to the counties a user chose for
    its ambiguous names: with_choices)."""

    filename: str
    report: JoinReport
    text_columns: TextColumns | None = None  # its text columns, each a list of values (fjchains.upload.text_columns)
    choices: tuple[tuple[int, str], ...] = ()  # (file row, adcode) chosen for an ambiguous name
    as_read: UserData | None = None  # the file as the join left it, before the choices

    @property
    def numeric_columns(self) -> list[str]:
        return self.report.numeric_columns

    def column(self, name: str, adcodes) -> pd.Series:
        """A numeric column for all counties (NaN where the file has no value)."""
        return self.report.values[name].reindex(list(adcodes)).astype(float)


def load_user_file(filename: str, content: bytes, aliases: pd.DataFrame, counties: pd.DataFrame) -> UserData:
    """Read and join an uploaded file; raises upload.UploadError with a message for the user."""
    table = read_upload(filename, content)
    report = join_upload(table, aliases, counties)
    return UserData(truncate(filename), report, read_text_columns(table, report, aliases, counties))


def with_choices(data: UserData, choices: Mapping[int, str | None]) -> UserData:
    """The upload with its ambiguous rows assigned as chosen (file row -> adcode; None or a
    county that is no candidate of that row: not assigned), always from the file as read,
    so a changed choice replaces the earlier one. Numbers, text cells and a list's values
    (text columns) of a chosen row count for its county (fjchains.upload.join.apply_choices)."""
    original = data.as_read or data
    report = apply_choices(original.report, {row: a for row, a in choices.items() if a})
    picked = tuple(sorted((row, a) for row, a in choices.items()
                          if a and row in original.report.ambiguous_positions
                          and row not in {e["row"] for e in report.ambiguous}))
    if not picked:
        return original
    text_columns = original.text_columns
    if text_columns is not None:
        cells = original.report.ambiguous_values.astype(object).where(original.report.ambiguous_values.notna(), "")
        text_columns = add_rows(text_columns, [(a, {str(k): str(v) for k, v in cells.loc[row].items()})
                                           for row, a in picked])
    return UserData(original.filename, report, text_columns, picked, original)


def load_user_file_isolated(filename: str, content: bytes, aliases: pd.DataFrame,
                            counties: pd.DataFrame, on_wait: Callable[[int], object] | None = None) -> UserData:
    """load_user_file in a child process with limits.PARSE_TIMEOUT_S and PARSE_MEMORY_BYTES.

    What the budgets in fjchains.upload.reader do not catch costs this caller a message, and
    nobody else anything: the server's own memory and threads never touch the file. While
    other files are being read, `on_wait(place)` hears this one's place in the line.
    """
    try:
        return run_isolated(load_user_file, filename, content, aliases, counties,
                            timeout=limits.PARSE_TIMEOUT_S, memory=limits.PARSE_MEMORY_BYTES, on_wait=on_wait)
    except SandboxError as exc:
        if exc.reason == "busy":
            raise UploadError("upload_busy", name=truncate(filename)) from None
        reason = "time" if exc.reason == "timeout" else "memory"  # "crash": killed at the memory cap
        raise UploadError("upload_too_complex", name=truncate(filename),
                          reason=Msg(f"budget_{reason}", {"seconds": limits.PARSE_TIMEOUT_S,
                                                          "gb": limits.PARSE_MEMORY_BYTES / 1e9})) from None


def choropleth(layer: pd.DataFrame, chains: pd.DataFrame, data: UserData, column: str, filters: Filters,
               lang: str, scheme: str = "quantiles", k: int = 5, breaks: Sequence[float | str] | None = None,
               palette: str = "YlGnBu") -> tuple[Colouring, Classification, list[str]]:
    """Colours of a classified column; with a chain filter, counties outside it are faded.

    Returns the colouring, the classification and the adcodes faded by the filter.
    Raises classify.ClassifyError for an unusable column or breaks.
    """
    result = classify(data.column(column, layer["adcode"]), scheme, k=k, breaks=breaks, palette=palette, lang=lang)
    legend = [(t("missing", lang) if colour == MISSING_COLOR else label, colour) for label, colour in result.legend]
    faded: list[str] = []
    if filters.chains or filters.categories:
        wanted = set(effective_chains(filters, chains))
        faded = [a for a, ids in zip(layer["adcode"], layer["chain_ids"]) if not wanted & set(ids)]
        legend.append((t("legend_faded", lang), FADED))
    matching = [a for a in layer["adcode"] if a not in set(faded)]
    return Colouring(dict(result.colors), legend, column, matching), result, faded


def value_lines(data: UserData | None, adcode: str, lang: str) -> dict[str, str]:
    """The uploaded values of one county, as label -> text (missing shown as such)."""
    if data is None:
        return {}
    if adcode not in data.report.values.index:
        return {f"{data.filename}": t("missing", lang)}
    row = data.report.values.loc[adcode]
    out = {}
    for column in data.report.values.columns:
        value = _all_rows(data, column, adcode, row[column])
        out[str(column)] = t("missing", lang) if pd.isna(value) or value == "" else (
            format_value(value, lang) if isinstance(value, float) else str(value))
    return out


def _all_rows(data: UserData, column, adcode: str, first):
    """A text column's cell for a county: as written when the file has one row for it; every
    value of its rows (fjchains.upload.text_columns) when it has several (a list, one row per chain)."""
    listed = data.text_columns.columns.get(str(column)) if data.text_columns is not None else None
    if listed is None or len(data.report.positions_of.get(adcode, ())) < 2:
        return first
    return JOINER.join(listed.values_of.get(adcode, ()))


def tooltip_extra(data: UserData | None, column: str | None, adcodes, lang: str) -> dict[str, list[str]]:
    """One tooltip line per county for the mapped column."""
    if data is None or not column:
        return {}
    values = data.column(column, adcodes)
    colon = t("colon", lang)
    return {a: [f"{column}{colon}{t('missing', lang) if pd.isna(v) else format_value(v, lang)}"]
            for a, v in values.items()}


#: Uploaded columns in a download are named "upload: <header>" (never after the file name,
#: which a user chooses and a spreadsheet might run).
UPLOAD_PREFIX = "upload: "


def with_user_columns(table: pd.DataFrame, data: UserData | None) -> pd.DataFrame:
    """The county table plus the uploaded columns (prefixed with UPLOAD_PREFIX); where the file
    has several rows for a county, a text column gives the values of all of them."""
    if data is None:
        return table
    extra = data.report.values.copy()
    for column in (data.text_columns.columns if data.text_columns is not None else ()):
        extra[column] = [_all_rows(data, column, a, cell) for a, cell in extra[column].items()]
    extra = extra.add_prefix(UPLOAD_PREFIX)
    return table.merge(extra, left_on="adcode", right_index=True, how="left")

