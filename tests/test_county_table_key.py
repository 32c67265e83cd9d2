"""The county table keeps its data grid across map clicks (a new key remounts it, ~90 ms of
browser time a click under load) and gets a new key only when a ticked row went stale."""
from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from fjchains.app.panels.county_grid import _table_key

TABLE = pd.DataFrame({"adcode": ["350582", "350181", "350981"], "name": ["晋江市", "福清市", "福安市"]})


@pytest.fixture(autouse=True)
def fresh_state():
    st.session_state.clear()
    yield
    st.session_state.clear()


def test_map_clicks_without_a_ticked_row_keep_the_key():
    first = _table_key(TABLE, "350582")
    assert _table_key(TABLE, "350181") == first
    assert _table_key(TABLE, None) == first


def test_a_ticked_row_that_is_the_selected_county_keeps_the_key():
    key = _table_key(TABLE, None)
    st.session_state[key] = {"selection": {"rows": [1]}}  # the row 福清市 ticked, which selected it
    assert _table_key(TABLE, "350181") == key


def test_a_map_click_after_a_tick_gives_a_new_key():
    key = _table_key(TABLE, None)
    st.session_state[key] = {"selection": {"rows": [1]}}
    renewed = _table_key(TABLE, "350981")  # the map selected 福安市: the tick on 福清市 is stale
    assert renewed != key
    assert _table_key(TABLE, "350582") == renewed  # the new grid has no tick: kept from then on


def test_a_tick_beyond_a_narrowed_table_gives_a_new_key():
    key = _table_key(TABLE, None)
    st.session_state[key] = {"selection": {"rows": [7]}}  # ticked in the 84-row table, now filtered to 3
    assert _table_key(TABLE, "350582") != key
