"""One language at a time across a switch (issue 12): the filters the user chose follow the
language onto the next page. That every page, in each language, speaks only that language is
test_every_page.py's walk."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import map_frame, wait_idle

pytestmark = pytest.mark.e2e


def test_filters_survive_a_language_switch_and_a_page_change(app_url, page):
    """Streamlit's select widgets send back the label the user saw: after a switch to English
    the chain filter "食品" (food) came back as a chain called "食品" on the next page, and the
    map matched no county. The filter, its chip and the list picker follow the language."""
    p = page.page
    p.goto(f"{app_url}/explorer?chain=food")
    map_frame(p)
    sidebar = p.get_by_test_id("stSidebar")
    sidebar.get_by_text("English").click()
    sidebar.get_by_text("Chains", exact=True).wait_for(timeout=60_000)
    wait_idle(p)
    p.get_by_role("link", name="Overview").first.click()
    p.wait_for_url(f"{app_url}/?**", timeout=60_000)
    wait_idle(p)
    assert "chain=food" in p.url and "%E9%A3%9F" not in p.url and "list=" not in p.url, p.url
    chips = sidebar.get_by_test_id("stMultiSelect").first.inner_text()
    assert "Food" in chips and "食品" not in chips, chips
    assert "No county matches" not in p.get_by_test_id("stMain").inner_text()
