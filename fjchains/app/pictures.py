"""Map pictures for reports (PNG, SVG, a ZIP of every chain) and the A4 print layout."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from fjchains import captions, paths
from fjchains.app import session
from fjchains.app.cached import Data
from fjchains.colouring import Filters
from fjchains.errors import ClassifyError
from fjchains.i18n import t


def map_pictures(data: Data, key: str, lang: str, chain_id: str | None = None, uploaded=None, settings=None,
                 zip_all: bool = False) -> None:
    """PNG and SVG of the map shown (the sidebar filters, one chain, or an uploaded column),
    and with zip_all every chain's map as a ZIP. Drawn only when a button is clicked
    (fjchains.picture, ~1 s each): a click does not rerun the page (on_click="ignore"), and
    everything the drawing needs is captured here, not read from the session.
    """
    layer, tables = data.layer, data.tables
    filters = session.current_filters()
    if chain_id is not None:
        filters = Filters(chains=(chain_id,), county=filters.county)
    custom = data.custom_boundaries
    # the file's name only: a picture leaves the server, its folders stay
    note = t("boundary_custom", lang, path=Path(data.boundaries_file).name) if custom else None
    options: dict[str, Any] = {"custom_boundaries": custom, "boundary_note": note}
    view = None
    chosen = asdict(settings) if settings is not None else None
    # fjchains.picture (matplotlib, ~40 MB) is imported when a picture is first drawn, not with the page
    if uploaded is not None and chosen:
        view = captions.upload_view(uploaded, chosen)

        def build(fmt: str) -> bytes:
            from fjchains import picture

            try:
                return picture.upload_picture(layer, tables, uploaded, chosen, filters, lang, fmt, **options)
            except ClassifyError:  # as the web map: the default classes meanwhile
                fallback = {**chosen, "scheme": "quantiles", "k": 5, "breaks": None}
                return picture.upload_picture(layer, tables, uploaded, fallback, filters, lang, fmt, **options)
    else:
        def build(fmt: str) -> bytes:
            from fjchains import picture

            return picture.chain_picture(layer, tables, filters, lang, fmt, **options)

    cells = st.columns(3 if zip_all else 2)
    for cell, fmt in zip(cells, captions.FORMATS):
        cell.download_button(t(f"download_{fmt}", lang), partial(build, fmt),
                             captions.picture_filename(filters, fmt, view), captions.FORMATS[fmt],
                             key=f"dl_picture_{key}_{fmt}", on_click="ignore")
    if zip_all:
        cells[2].download_button(t("download_zip", lang), partial(_zip, layer, tables, lang, options),
                                 f"fujian_chains_each_{captions.OPINION_YEAR}.zip", "application/zip",
                                 key=f"dl_picture_{key}_zip", on_click="ignore", help=t("download_zip_help", lang))


def _zip(layer, tables, lang: str, options: dict[str, Any]) -> bytes:
    from fjchains import picture

    return picture.picture_zip(layer, tables, lang, **options)


def print_style() -> None:
    """A4 print layout (static/css/print.css) and the script that fits the map and charts to
    the page before printing (static/js/print.js); the script sits in the sidebar, which
    print hides, so it takes no room on the page."""
    st.html(paths.STATIC_DIR / "css" / "print.css")
    script = (paths.STATIC_DIR / "js" / "print.js").read_text(encoding="utf-8")
    with st.sidebar:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
