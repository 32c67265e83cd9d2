"""Map pictures for reports and slides (PNG, SVG, a ZIP of every chain; portrait or 16:9
landscape; the selected county outlined or not) and the A4 print layout."""

from __future__ import annotations

import logging
import sys
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from fjchains.app import seam, session
from fjchains.app.cached import Data
from fjchains.app.scripts import page_script
from fjchains.core import paths
from fjchains.core.i18n import t
from fjchains.geo.colouring import Filters
from fjchains.render import captions

#: The picture sizes (fjchains.render.captions.SIZES) -> catalogue key of their label
SIZE_LABELS = {"portrait": "picture_size_portrait", "landscape": "picture_size_landscape"}
#: (format, size) -> catalogue key of the download button's label: the landscape one says 16:9,
#: so the button shows when a size chosen has reached it
BUTTON_LABELS = {("png", "portrait"): "download_png", ("png", "landscape"): "download_png_landscape",
                 ("svg", "portrait"): "download_svg", ("svg", "landscape"): "download_svg_landscape",
                 ("zip", "portrait"): "download_zip", ("zip", "landscape"): "download_zip_landscape"}


def map_pictures(data: Data, key: str, lang: str, chain_id: str | None = None, uploaded=None, settings=None,
                 zip_all: bool = False) -> None:
    """PNG and SVG of the map shown (the sidebar filters, one chain, or an uploaded column),
    and with zip_all every chain's map as a ZIP. Drawn only when a button is clicked
    (fjchains.render.picture, ~1 s each): a click does not rerun the page (on_click="ignore"), and
    everything the drawing needs is captured here, not read from the session.

    Streamlit runs the button's callable in one of its shared worker threads when the browser
    asks for the file (not in the script's thread); the browser shows a spinner on that button
    meanwhile. The callable delivers through fjchains.render.picture.JOBS: a picture drawn before
    (any session) comes at once; this session's requests are drawn one after another (a second
    click waits for the first picture, then downloads), at most limits.PICTURE_SLOTS in the
    process. A refused request (a script's flood, or a server that stays busy past
    limits.PICTURE_WAIT_S) raises: the browser then shows Streamlit's own line "Failed to
    generate file for download" under the button for 5 s (a callable cannot show anything
    else), which the buttons' tooltip explains in the user's language.
    """
    layer, tables = data.layer, data.tables
    filters = session.current_filters()
    if chain_id is not None:
        filters = Filters(chains=(chain_id,), county=filters.county)
    size, outline = picture_choices(key, lang)
    options = picture_options(data, lang, size, outline)
    owner = session.picture_owner()
    view = None
    chosen = asdict(settings) if settings is not None else None
    # fjchains.render.picture (matplotlib, ~40 MB) is imported when a picture is first drawn, not with the page
    if uploaded is not None and chosen:
        view = captions.upload_view(uploaded, chosen)
        order = partial(_upload_order, layer, tables, uploaded, chosen, filters, lang, options)
    else:
        order = partial(_chain_order, layer, tables, filters, lang, options)

    tip = t("picture_help", lang)
    cells = st.columns(3 if zip_all else 2)
    for cell, fmt in zip(cells, captions.FORMATS):
        cell.download_button(t(BUTTON_LABELS[fmt, size], lang), partial(_deliver, owner, order, fmt),
                             captions.picture_filename(filters, fmt, view, size=size), captions.FORMATS[fmt],
                             key=f"dl_picture_{key}_{fmt}", on_click="ignore", help=tip)
    if zip_all:
        each = f"fujian_chains_each_{captions.OPINION_YEAR}{'_16x9' if size == 'landscape' else ''}.zip"
        cells[2].download_button(t(BUTTON_LABELS["zip", size], lang),
                                 partial(_zip, owner, layer, tables, lang, options), each, "application/zip",
                                 key=f"dl_picture_{key}_zip", on_click="ignore",
                                 help=f"{t('download_zip_help', lang)} {tip}")


def picture_choices(key: str, lang: str) -> tuple[str, bool]:
    """The pictures' size (a key of captions.SIZES) and whether the selected county is
    outlined, chosen beside the picture buttons (one choice for every page: `key` names
    this page's widgets)."""
    size = session.state_widget(st.radio, t("picture_size", lang), session.PICTURE_SIZE, "portrait", scope=key,
                                options=list(captions.SIZES), horizontal=True,
                                format_func=lambda s: t(SIZE_LABELS[s], lang))
    outline = session.state_widget(st.checkbox, t("picture_outline", lang), session.PICTURE_OUTLINE, True,
                                   scope=key, help=t("picture_outline_help", lang))
    return size, bool(outline)


def picture_options(data: Data, lang: str, size: str, outline: bool) -> dict[str, Any]:
    """The drawing options every picture of this page shares (boundaries, size, outline)."""
    custom = data.custom_boundaries
    # the file's name only: a picture leaves the server, its folders stay
    note = t("boundary_custom", lang, path=Path(data.boundaries_file).name) if custom else None
    return {"custom_boundaries": custom, "boundary_note": note, "size": size, "outline": outline}


def _chain_order(layer, tables, filters: Filters, lang: str, options: dict[str, Any], fmt: str):
    from fjchains.render import picture

    return picture.chain_order(layer, tables, filters, lang, fmt, **options)


def _upload_order(layer, tables, uploaded, chosen: dict, filters: Filters, lang: str, options: dict[str, Any],
                  fmt: str):
    from fjchains.render import picture

    return picture.upload_order(layer, tables, uploaded, chosen, filters, lang, fmt, **options)


def _deliver(owner: str, order, fmt: str) -> bytes:
    """A download button's callable: one picture (raises picture.PictureBusy when refused)."""
    from fjchains.render import picture

    return picture.JOBS.deliver(owner, [order(fmt)])[0]


def _zip(owner: str, layer, tables, lang: str, options: dict[str, Any]) -> bytes:
    """Every chain's picture in a ZIP: the pictures drawn before (on the chains' pages, by
    anyone) are taken as they are; the rest are drawn in this session's turn."""
    from fjchains.render import picture

    named = picture.zip_orders(layer, tables, lang, **options)
    pictures = picture.JOBS.deliver(owner, [order for _, order in named])
    return picture.zip_pictures(zip([name for name, _ in named], pictures))


class _RefusalLog(logging.Filter):
    """A refused picture is the limit working, not a server error: Streamlit logs any failed
    deferred download with two tracebacks; this makes a refusal one warning line (installed
    through fjchains.app.seam.filter_deferred_download_log, which says what it relies on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        picture = sys.modules.get("fjchains.render.picture")
        error = record.exc_info[1] if record.exc_info else None
        cause = error.__cause__ if error is not None else None
        if picture is not None and isinstance(cause, picture.PictureBusy):
            record.msg, record.args = "map picture refused (%s): see fjchains.core.limits PICTURE_*", (cause.reason,)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


seam.filter_deferred_download_log(_RefusalLog())


def print_style() -> None:
    """A4 print layout (static/css/print.css) and the script that redraws the map and charts
    for the page before printing (static/js/print.js); the script sits in the sidebar, which
    print hides, so it takes no room on the page."""
    st.html(paths.STATIC_DIR / "css" / "print.css")
    st.html(paths.STATIC_DIR / "css" / "seam-print.css")  # its rules on Streamlit's own DOM
    with st.sidebar:
        st.html(page_script("print.js"), unsafe_allow_javascript=True)


#: The key prefix of containers that print.css leaves off paper.
SCREEN_ONLY = "screen_only_"


def screen_only(name: str):
    """A container for what only the screen needs (how to click or choose): not printed."""
    return st.container(key=f"{SCREEN_ONLY}{name}")
