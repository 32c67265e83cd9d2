"""Overview: headline figures, the county map coloured by chain count, the category mix."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.deferred import after_map
from fjchains.app.panels.compare_panel import compare_panel
from fjchains.app.panels.county_grid import county_grid_for
from fjchains.app.panels.map_panel import map_and_detail, map_colouring
from fjchains.app.panels.overview import chart, kpi_row, narrowed_counties
from fjchains.app.panels.pictures import map_pictures
from fjchains.app.panels.share import share_controls
from fjchains.core.i18n import t
from fjchains.core.layout import CHART_HEIGHT

data = entry.data_or_stop()
lang = session.lang()

st.title(t("app_title", lang))
st.caption(t("app_subtitle", lang))
kpi_row(data, lang)
colouring = map_colouring(data, lang)


def under_map() -> None:
    share_controls(lang)  # issue 27: copy link, embed
    county_grid_for(data, colouring, lang)  # issue 11: the table beside every map
    map_pictures(data, "overview", lang)


map_and_detail(data, colouring, "map_overview", lang, side=lambda: narrowed_counties(data, colouring, lang),
               below=under_map)


def charts() -> None:
    left, right = st.columns(2)
    with left:
        chart("category_mix", lang)
    with right:
        chart("pairs_per_prefecture", lang)


compare_panel(data, lang, picker=False)  # issue 11: a shared ?compare= link shows its comparison
after_map(charts, "overview", CHART_HEIGHT, lang)
