"""The load test's browserless session (benchmarks/protocol_session.py) against the real server:
what it sends must cause what a browser's actions cause, or its timings mean nothing."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.common import county_points
from benchmarks.protocol_session import FINISHED, ProtocolSession

pytestmark = pytest.mark.e2e


def test_open_release_click_and_filter_as_a_browser_would(app_url):
    point = county_points()["350582"]  # 晋江市

    async def scenario():
        session = ProtocolSession(app_url, "explorer")
        try:
            first = await session.open()
            assert first.status in FINISHED and not first.exceptions
            assert len(first.map_args) == 1  # the first run: the map, the rest held back
            assert "产业链" not in {w.label for w in session.widgets.values()}
            released = await session.release()
            assert released and all(r.status in FINISHED and not r.exceptions for r in released)
            chains = session.widget("w_chains")
            assert chains.label == "产业链" and "集成电路" in chains.options
            assert session.keyed("chain_bars"), "the charts did not come"

            click = await session.click_map(point["lat"], point["lng"])
            assert click.status in FINISHED and not click.exceptions
            assert "### 晋江市" in click.texts
            assert session.widget("component_instance").fragment_id, "a click reruns the map's fragment"
            assert len(click.map_args) == 1 and "产业链" not in click.texts  # the fragment only

            chosen = await session.choose(chains, ["集成电路"])
            legend = json.loads(chosen.map_args[-1])["payload"]["legend"]
            assert "集成电路" in [item[0] for item in legend["items"]]
            cleared = await session.choose(chains, [])
            assert json.loads(cleared.map_args[-1])["payload"]["legend"] != legend
        finally:
            await session.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        pool.submit(asyncio.run, scenario()).result()
