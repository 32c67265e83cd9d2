"""What the overview and explorer pages show around the map: headline cards, the matching
counties, and the Plotly charts (a bar click filters the map)."""

from __future__ import annotations

import unicodedata
from typing import Literal

import streamlit as st

from fjchains.app import cached, session
from fjchains.app.cached import Data, figure
from fjchains.app.first_paint import FIRST_PAINT
from fjchains.app.panels.pictures import screen_only
from fjchains.core import layout
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_text
from fjchains.geo.colouring import Colouring


def _text_width(text: str) -> int:
    """Width in half-width character cells (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _metric_width(label: str, value: str) -> int:
    """Pixels a headline figure needs: its label (14 px, plus the (?) icon) or its value
    (theme metricValueFontSize, 1.45 rem), whichever is wider."""
    return max(7 * _text_width(label) + 30, 12 * _text_width(value) + 6)


def kpi_row(data: Data, lang: str) -> None:
    """Headline figures as metric cards; hover (?) shows the source and its exact words.

    In a held first run (fjchains/app/first_paint.py) each figure's room only, an empty box of
    its size, so the row wraps as it will and nothing moves when the figures come with the
    rest once the map has drawn; the map then waits for no metric code (issue 10).
    """
    boxes = FIRST_PAINT.placeholders()
    cards = list(cached.headline_cards(data, lang))
    named = int((data.layer["chain_count"] > 0).sum())
    cards.append((t("kpi_chains", lang), str(len(data.tables.chains)), t("kpi_chains_help", lang)))
    cards.append((t("kpi_counties", lang), f"{named} / {len(data.layer)}", t("kpi_counties_help", lang)))
    # a row that wraps (a horizontal container, not columns): one line on a laptop, so the map
    # fits the screen below it; two or three a line on a phone, where columns would stack
    # one a line and push the map off the first screen. Each figure is as wide as its text
    # from the first frame: a "content" width would first be a full-width placeholder, and
    # the row would jump when the figures arrive. The same for the height: a placeholder is
    # a line high, a figure two.
    with st.container(key="kpi_row", horizontal=True, gap="small"):
        for label, value, help_text in cards:
            width = _metric_width(label, value)
            if boxes is None:  # sized placeholders off: Streamlit's own sizes
                st.metric(label, value, help=help_text)
            elif boxes:
                st.container(width=width, height=layout.METRIC_HEIGHT, border=False)
            else:
                st.metric(label, value, help=help_text, width=width, height=layout.METRIC_HEIGHT)


_LIST_ROWS = 12  # names shown in full; a longer list scrolls


def matching_counties(data: Data, colouring: Colouring, lang: str, page: str) -> None:
    """Count and names of the counties that match the filters, beside the map of `page`: each
    name a button that selects its county (the selected one shown chosen)."""
    if not colouring.matching:
        st.info(t("no_match", lang))
        return
    names = cached.county_names(data, lang)
    st.markdown(f"**{t('matching', lang, n=len(colouring.matching))}**")
    key = session.seed_pick(page, colouring.matching)
    # a long list scrolls in a box of about four rows, so the details stay near the first screen
    long_list = len(colouring.matching) > _LIST_ROWS
    height: int | Literal["content"] = layout.MATCHING_LIST_HEIGHT if long_list else "content"
    with st.container(key="matching_counties", height=height):
        st.pills(t("matching_pick", lang), colouring.matching, format_func=lambda adcode: md_text(names[adcode]),
                 key=key, on_change=session.take_pick, args=(key,), label_visibility="collapsed")


def narrowed_counties(data: Data, colouring: Colouring, lang: str) -> None:
    """The overview's names beside the map (issue 27): once a filter or a prefecture list
    narrows the map, its matching counties (matching_counties); nothing before."""
    filters = session.current_filters()
    if colouring.list_id or filters.chains or filters.categories:
        matching_counties(data, colouring, lang, "overview")


def _on_bar_select(key: str) -> None:
    points = (session.widget_value(key) or {}).get("selection", {}).get("points", [])
    chosen = [p["customdata"][0] for p in points if p.get("customdata")]
    if chosen:
        session.set_chains(chosen)  # and a new chart key: the sidebar filter is the state
        session.request_page_rerun()  # the chart sits in a fragment; the map must follow


def chart(name: str, lang: str, chain_ids=()) -> None:
    """A cached figure of fjchains.render.charts, full width."""
    st.plotly_chart(figure(name, lang, tuple(chain_ids)), width="stretch")


def chain_bar_chart(lang: str) -> None:
    """Counties per chain; clicking a bar filters the map to that chain."""
    key = session.generation_key("chain_bars", session.BARS_GENERATION)
    with st.container(key="chain_bars"):
        # the filtered chains' bars stand out (issue 11: a bar click highlights its bar)
        st.plotly_chart(figure("counties_per_chain", lang, session.current_filters().chains), width="stretch",
                        key=key, on_select=lambda: _on_bar_select(key), selection_mode="points")
    with screen_only("bar_hint"):
        st.caption(f"{t('chart_select_hint', lang)} {t('png_hint', lang)}")
