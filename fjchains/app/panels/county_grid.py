"""The county table under a map: the matching counties, sortable; a row selects its county
(map, detail and URL follow) and the selected county's row is highlighted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fjchains.app import session
from fjchains.app.cached import Data
from fjchains.app.deferred import after_map
from fjchains.core import layout
from fjchains.core.i18n import t
from fjchains.core.numbers import format_value
from fjchains.geo.colouring import Colouring
from fjchains.render.county_rows import county_rows

HIGHLIGHT = "background-color: #fff1a8; font-weight: 600"


def _on_row_select(table: pd.DataFrame, key: str) -> None:
    rows = (session.widget_value(key) or {}).get("selection", {}).get("rows", [])
    if rows:
        session.select_county(table["adcode"].iloc[rows[0]])
        session.request_page_rerun()  # the table waits in a fragment of its own: the map must follow


def _uploaded_values(lang: str) -> tuple[pd.Series | None, str]:
    """The uploaded column the map shows (or the file's first numeric one), and its label."""
    uploaded = session.userdata()
    if uploaded is None or not uploaded.numeric_columns:
        return None, ""
    name = session.value(session.UD_COLUMN) or uploaded.numeric_columns[0]
    if name not in uploaded.numeric_columns:
        name = uploaded.numeric_columns[0]
    return uploaded.report.values[name], t("uploaded_column", lang, name=name)


def _table_key(table: pd.DataFrame, selected: str | None) -> str:
    """The table's key: a new one only when a ticked row is not the selected county any more.

    A map click then clears the stale tick, while every other click keeps the same data grid
    (a new key remounts it: ~90 ms of browser time per click, benchmarks/README.md).
    """
    def key() -> str:
        return session.generation_key("county_table", session.TABLE_GENERATION)

    ticked = (session.widget_value(key()) or {}).get("selection", {}).get("rows", [])
    if ticked and (ticked[0] >= len(table) or table["adcode"].iloc[ticked[0]] != selected):
        session.bump(session.TABLE_GENERATION)
    return key()


def county_grid(data: Data, lang: str, adcodes: list[str] | None = None) -> None:
    """The table of `adcodes` (None: all 84 counties) with the current selection highlighted.

    Uploaded headers are shown as cell text by the data grid, never as Markdown. With no rows
    (a filter no county matches) a line says so instead: the data grid drew its header and an
    English "empty" over the caption under it.
    """
    values, label = _uploaded_values(lang)
    table = county_rows(data.layer, data.tables.chains, adcodes, lang, values, label)
    st.markdown(f"**{t('ct_title', lang, n=len(table))}**")
    with st.container(key="county_table"):  # the skip link's target (static/js/page-access.js)
        if table.empty:
            st.info(t("no_match", lang))
            return
        selected = session.county()
        key = _table_key(table, selected)
        styled = table.style.apply(lambda row: [HIGHLIGHT if row["adcode"] == selected else ""] * len(row), axis=1)
        if values is not None:  # as details and tooltips write it (1,350, 13.7亿), not 1350.000000; sorts by value
            styled = styled.format(lambda v: format_value(v, lang), subset=[label], na_rep=t("missing", lang))
        st.dataframe(styled, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 320),
                     column_config={"adcode": None}, key=key, on_select=lambda: _on_row_select(table, key),
                     selection_mode="single-row")
    st.caption(t("ct_caption", lang))



def county_grid_for(data: Data, colouring: Colouring, lang: str) -> None:
    """The table beside a map: the counties its colours mark as matching when a filter or a
    prefecture list narrows the map, all 84 when nothing does (the accessible map).

    Drawn once the map has drawn: the data grid's script would otherwise hold the map back
    by ~0.75 s (benchmarks/README.md)."""
    filters = session.current_filters()
    narrowed = bool(colouring.list_id or filters.chains or filters.categories)
    county_grid_after_map(data, lang, list(colouring.matching) if narrowed else None)


def county_grid_after_map(data: Data, lang: str, adcodes: list[str] | None = None) -> None:
    """county_grid, once the session's map has drawn (fjchains.app.deferred)."""
    after_map(lambda: county_grid(data, lang, adcodes), "table", layout.TABLE_HEIGHT, lang, kind="table")
