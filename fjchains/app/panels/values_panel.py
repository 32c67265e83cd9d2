"""Your data, as a list: a text column coloured by value, its filter, map, details and downloads.

The logic is fjchains.upload.text_columns (built once in the upload's sandbox); this module only lays
it out. Values are the user's text: shown through md_text/md_literal, st.dataframe or
widgets' plain labels, never as Markdown.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from fjchains.app import session
from fjchains.app.cached import Data
from fjchains.app.panels.downloads import download_row
from fjchains.app.panels.map_panel import county_map, detail_panel, notes
from fjchains.app.panels.pictures import picture_choices, picture_options
from fjchains.core.i18n import pick, t
from fjchains.core.textsafe import md_literal, md_text, truncate
from fjchains.render import captions, export
from fjchains.upload.text_columns import TextColumn, userlist_notes, values_colouring, values_tips
from fjchains.upload.userdata import UserData, with_user_columns

MODES = {"numbers": "userlist_mode_numbers", "values": "userlist_mode_values"}  # -> catalogue key


def map_mode(uploaded: UserData, lang: str) -> str:
    """"numbers" (choropleth) or "values" (a text column's values); the user is asked only when the file
    has both kinds of column. Text columns that break a budget are reported here."""
    listed = uploaded.text_columns
    for refused in listed.refused if listed is not None else ():
        st.warning(md_text(refused.text(lang)))  # names a column: the user's text
    has_values = listed is not None and bool(listed.columns)
    if not (has_values and uploaded.numeric_columns):
        return "values" if has_values else "numbers"
    return session.state_widget(st.radio, t("userlist_mode", lang), session.UD_MODE, "numbers", options=list(MODES),
                                format_func=lambda m: t(MODES[m], lang), horizontal=True)


def values_section(data: Data, uploaded: UserData, lang: str, left, right) -> None:
    """Controls and details in the `right` column, the map in the `left` one, downloads below.

    The page's columns, shared with the choropleth: the map keeps its place and its frame.
    """
    with right:
        col, selected = values_controls(data, uploaded, lang)
    with left:
        payload = values_map(data, col, selected, lang)
        for note in userlist_notes(col, lang):
            st.caption(md_text(note))  # the first names the user's column
        notes(data, lang)
    with right:
        detail_panel(data, lang)
    values_downloads(data, uploaded, col, selected, payload, lang)


def values_controls(data: Data, uploaded: UserData, lang: str) -> tuple[TextColumn, list[str]]:
    """Which text column, which values; a summary of the column and its repeated pairs."""
    assert uploaded.text_columns is not None
    columns = uploaded.text_columns.columns
    names = list(columns)
    if session.value(session.UD_CAT_COLUMN) not in columns:  # a new file
        session.reset_widget(session.UD_CAT_COLUMN, names[0])
    chosen = session.state_widget(st.selectbox, t("userlist_column", lang), session.UD_CAT_COLUMN, names[0],
                                  options=names, format_func=truncate)
    col = columns[chosen]
    if any(v not in col.counts for v in session.value(session.UD_CAT_VALUES) or []):  # another column
        session.reset_widget(session.UD_CAT_VALUES, [])
    selected = session.state_widget(st.multiselect, t("userlist_filter", lang), session.UD_CAT_VALUES, [],
                                    options=col.values, placeholder=t("userlist_filter_all", lang),
                                    format_func=lambda v: t("userlist_filter_option", lang, value=truncate(v, 40),
                                                            n=col.counts[v]))
    st.caption(t("userlist_summary", lang, column=md_literal(col.column), values=len(col.values),
                 counties=len(col.values_of), multi=col.multi_value_cells))
    if uploaded.report.duplicates:
        st.caption(t("userlist_long_format", lang))
    if col.repeat_count:
        county_names = data.layer.set_index("adcode")
        with st.expander(t("userlist_repeats", lang, n=col.repeat_count)):
            st.dataframe([{t("county", lang): pick(county_names.loc[r["adcode"]], "name", lang),
                           t("userlist_value", lang): truncate(r["value"]),
                           t("row", lang): ", ".join(map(str, r["rows"]))} for r in col.repeats],
                         hide_index=True, key="userlist_repeats_table")
    return col, list(selected)


def values_map(data: Data, col: TextColumn, selected: list[str], lang: str) -> dict:
    """The county map coloured by value (same map key as the choropleth: switching keeps the map)."""
    adcodes = data.layer["adcode"]
    colouring = values_colouring(col, adcodes, lang, selected)
    return county_map(data, colouring, "map_upload", lang, extra_lines=values_tips(col, adcodes, lang))


def values_downloads(data: Data, uploaded: UserData, col: TextColumn, selected: list[str], payload: dict,
                       lang: str) -> None:
    """The county table with every value per county (CSV, Excel, GeoJSON), the offline map, pictures."""
    table = with_user_columns(export.county_records(data.layer, data.tables, lang, data.boundary_source), uploaded)
    title = captions.values_title(col.column, uploaded.filename, selected, lang)
    download_row(data, table, payload, "joined_county_values", title, lang,
                 " ".join(userlist_notes(col, lang)))
    size, outline = picture_choices("values", lang)
    options = {**picture_options(data, lang, size, outline), "selected_county": session.county()}
    for cell, fmt in zip(st.columns(2), captions.FORMATS):
        cell.download_button(t(f"download_{fmt}", lang),
                             partial(_picture, data, uploaded, col.column, tuple(selected), lang, fmt, options),
                             captions.values_filename(col.column, fmt, selected, size), captions.FORMATS[fmt],
                             key=f"dl_picture_values_{fmt}", on_click="ignore")


def _picture(data: Data, uploaded: UserData, column: str, selected: tuple[str, ...], lang: str, fmt: str,
             options: dict) -> bytes:
    from fjchains.render import picture  # matplotlib: imported when a picture is first drawn

    return picture.values_picture(data.layer, data.tables, uploaded, column, selected, lang, fmt, **options)
