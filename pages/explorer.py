"""Map explorer: filter by chain and category, click or search a county, read its details."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.deferred import after_map
from fjchains.app.panels.compare_panel import compare_panel
from fjchains.app.panels.county_grid import county_grid_for
from fjchains.app.panels.map_panel import filtered_chain_ids, map_and_detail, map_colouring
from fjchains.app.panels.overview import chain_bar_chart, chart, matching_counties
from fjchains.app.panels.pictures import map_pictures
from fjchains.app.panels.share import share_controls
from fjchains.core.i18n import t
from fjchains.core.layout import BAR_CHART_HEIGHT, CAPTION_HEIGHT, CHART_HEIGHT

data = entry.data_or_stop()
lang = session.lang()
colouring = map_colouring(data, lang)


def under_map() -> None:
    share_controls(lang)  # issue 27: copy link, embed
    county_grid_for(data, colouring, lang)
    map_pictures(data, "explorer", lang)


st.title(t("page_explorer", lang))
map_and_detail(data, colouring, "map_explorer", lang, side=lambda: matching_counties(data, colouring, lang, "explorer"),
               below=under_map)


def charts() -> None:
    chain_bar_chart(lang)
    chart("pairs_per_prefecture", lang, filtered_chain_ids(data))


compare_panel(data, lang)
after_map(charts, "explorer", BAR_CHART_HEIGHT + CAPTION_HEIGHT + CHART_HEIGHT, lang)
