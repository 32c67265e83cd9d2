"""Tables and files to take away: the county table, the sources, and one download row per map."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from fjchains.app import cached, session
from fjchains.app.cached import Data
from fjchains.core.i18n import column, pick, t
from fjchains.core.textsafe import md_text
from fjchains.data.chain_lists import list_caveats, list_source, list_table, list_title
from fjchains.geo import maps
from fjchains.render import export
from fjchains.render.captions import map_title

_WEB_ADDRESS = re.compile(r"https?://[^\s;<>]+")


def boundary_note(data: Data, lang: str) -> str:
    """The boundary caveat for the file in use (the shipped one's, or the configured file's name)."""
    if data.custom_boundaries:
        return t("boundary_custom", lang, path=Path(data.boundaries_file).name)
    return t("boundary_note", lang)


# Bounded: an upload's view holds ~8 MB of files (CSV, Excel, GeoJSON, HTML); idle views go after 10 min
@st.cache_data(show_spinner=False, max_entries=16, ttl=600)
def _download_files(_data: Data, table: pd.DataFrame, payload: dict, stem: str, title: str, lang: str,
                    boundaries_file: str, note: str | None = None) -> list[tuple[str, bytes, str, str]]:
    """(label key, bytes, file name, mime) for CSV, Excel, GeoJSON and the offline map.

    Built once per view and passed to st.download_button as bytes: Streamlit names a file
    by its content, so the same view keeps the same link across reruns and a click that
    lands during a rerun still finds its file (a deferred callable's link is renewed on
    every rerun, and a click holding the old one got nothing).
    """
    note = f"{note or t('deng_note', lang)} {boundary_note(_data, lang)}"
    html = maps.standalone_html(cached.topojson_text(_data), payload, lang, title, note,
                                tips=cached.tooltips(_data, lang))
    return [
        ("download_csv", export.to_csv_bytes(table), f"{stem}.csv", "text/csv"),
        ("download_xlsx", export.to_excel_bytes(table, notes=[title, note, t("download_note", lang)]), f"{stem}.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("download_geojson", export.to_geojson_bytes(_data.layer, table), f"{stem}.geojson", "application/geo+json"),
        ("download_html", html.encode("utf-8"), f"{stem}_map.html", "text/html"),
    ]


def download_row(data: Data, table: pd.DataFrame, payload: dict, stem: str, title: str, lang: str,
                 note: str | None = None) -> None:
    """CSV, Excel, GeoJSON of a county table, and the map of `payload` as offline HTML.

    A click neither reruns the page (on_click="ignore") nor depends on a file built for an
    earlier run, so four quick clicks give four files.
    """
    files = _download_files(data, table, payload, stem, title, lang, data.boundaries_file, note)
    for cell, (label, content, name, mime) in zip(st.columns(len(files)), files, strict=True):
        cell.download_button(t(label, lang), content, name, mime, key=f"dl_{stem}_{label}", on_click="ignore")
    st.caption(t("download_note", lang))


def shipped_table(data: Data, lang: str) -> pd.DataFrame:
    return export.county_records(data.layer, data.tables, lang, data.boundary_source)


def download_buttons(data: Data, lang: str) -> None:
    """The shipped data: joined table and the current chain map (or the chosen prefecture list)."""
    from fjchains.app.panels.map_panel import current_list, map_colouring
    from fjchains.app.panels.pictures import map_pictures

    payload = maps.style_payload(data.layer, data.tables.chains, map_colouring(data, lang),
                                 session.current_filters(), lang)
    chosen = current_list(data)
    if chosen is None:
        download_row(data, shipped_table(data, lang), payload, "fujian_county_chains",
                     map_title(data.tables.chains, session.current_filters(), lang), lang)
        map_pictures(data, "data", lang)
        return
    note = " ".join(list_caveats(chosen, lang) + [f"{t('source', lang)}{t('colon', lang)}"
                                                   f"{list_source(chosen, data.tables, lang)}"])
    download_row(data, list_table(data.layer, chosen, lang, data.boundary_source), payload, chosen.list_id,
                 list_title(chosen, lang), lang, note)


def shipped_table_grid(data: Data, lang: str) -> None:
    st.dataframe(export.localised(shipped_table(data, lang), lang), hide_index=True, width="stretch")


def sources_list(data: Data, lang: str) -> None:
    """Every source: title, publisher and date, and its addresses as links; then the full
    records (licence, notes as recorded) in a grid.

    The grid alone cut titles mid-word and kept the addresses off screen, as plain text. Our
    own data, still shown through md_text like any text.
    """
    for _, source in data.tables.sources.iterrows():
        links = " · ".join(f"<{url}>" for url in _WEB_ADDRESS.findall(source["url"]))
        lines = [f"**{md_text(pick(source, 'title', lang))}**",
                 md_text(f"{pick(source, 'publisher', lang)}{t('date_sep', lang)}{source['date']}"),
                 *([f"{t('col_url', lang)}{t('colon', lang)}{links}"] if links else [])]
        with st.container(border=True):
            st.markdown("  \n".join(lines))
    src = data.tables.sources.rename(columns={column("title", lang): "title", column("publisher", lang): "publisher"})
    st.dataframe(export.localised(src[["source_id", "title", "publisher", "date", "url", "file", "licence", "note"]],
                                  lang), hide_index=True, width="stretch")
