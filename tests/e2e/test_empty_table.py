"""A filter no county matches: the county table says so in the interface language, in place of
an empty data grid (whose header and English "empty" ran over the caption under it)."""

from __future__ import annotations

import pytest

from fjchains.core.i18n import t
from tests.e2e.helpers import map_frame, wait_idle

pytestmark = pytest.mark.e2e

# The boxes of the table section (fjchains/app/panels/county_grid.py: title, table, caption) in page
# order, and every box inside the table's container that reaches out of it.
SECTION = """() => {
  const table = document.querySelector('.st-key-county_table');
  const block = table.parentElement.parentElement;  // the fragment's block: title, table, caption
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, text: el.innerText.slice(0, 20)}; };
  const outer = table.getBoundingClientRect();
  const spill = [...table.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && (r.bottom > outer.bottom + 1 || r.top < outer.top - 1);
  }).map((el) => el.className || el.tagName);
  return {parts: [...block.children].filter((el) => el.getClientRects().length).map(box), spill};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_matching_county_shows_a_line_not_an_empty_grid(app_url, page, lang):
    p = page.page
    p.goto(f"{app_url}/explorer?chain=food&cat=pillar&lang={lang}")  # food is no pillar chain anywhere
    map_frame(p)
    table = p.locator(".st-key-county_table")
    table.wait_for(timeout=60_000)
    wait_idle(p)
    assert table.locator("[data-testid=stDataFrame]").count() == 0
    assert table.locator("[data-testid=stAlert]").inner_text().strip() == t("no_match", lang)
    assert t("ct_title", lang, n=0) in p.locator("[data-testid=stMain]").inner_text()
    section = p.evaluate(SECTION)
    assert section["spill"] == [], section
    parts = section["parts"]
    for above, below in zip(parts, parts[1:]):  # nothing runs over what follows it
        assert above["bottom"] <= below["top"] + 1, parts
