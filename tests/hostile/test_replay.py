"""Issue 23's attack cases replayed on a live server (`streamlit run serve.py`, 127.0.0.1):
what they leave another user, and the server's memory, as outcomes. No duration is asserted;
every wait polls a condition within a generous bound, every loop is bounded.

The clients speak Streamlit's own protocol (benchmarks/floods.py on benchmarks/protocol_session.py):
the messages a browser sends for a click, a rerun, an upload (the PUT, then the uploader's
state naming the file) and a download button's file. `python -m benchmarks.floods` measures
the same floods with timings.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.floods import (
    EXPLORER,
    PUT_BYTES,
    PUTS_PER_FLOOD,
    UPLOAD,
    Flood,
    FloodSession,
    fetch,
    open_victim,
    padded_csv,
    put_file,
    rss_bytes,
    settled_rss,
    start_server,
    unexpected_tracebacks,
    upload_through_page,
    victim_click,
    victim_points,
    wait_for,
    xsrf,
)
from fjchains.core import limits
from fjchains.core.i18n import t
from harness.server import stop_app

pytestmark = pytest.mark.e2e

MB = 2**20
ANSWER_S = 30.0  # a click, a file or a picture that has not come by then counts as not answered


def run(coro):
    """The scenario's event loop in a thread of its own (a browser test's Playwright may hold this one's)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _warm(url: str, upload: bool) -> None:
    """One visit of each page the cases use (and with `upload` one file read): what any first visitor pays."""

    async def visit():
        victim = await open_victim(url)
        await victim_click(victim, victim_points()[0], 120)
        await victim.close()
        reader = FloodSession(url, UPLOAD)
        await reader.open()
        if upload:
            outcome = await upload_through_page(reader, padded_csv(100_000), "warm.csv", xsrf(url))
            assert outcome.ok, outcome
        await reader.close()

    run(visit())


def _serve(upload: bool = True):
    proc, url = start_server()
    try:
        _warm(url, upload)
    except BaseException:
        stop_app(proc)
        raise
    return proc, url


def _stop(proc, flooded: bool = False) -> None:
    stop_app(proc)
    log = proc.log_path.read_text(encoding="utf-8", errors="replace")
    assert not unexpected_tracebacks(log, flooded), f"the server logged a traceback: see {proc.log_path}"


@pytest.fixture(scope="module")
def server():
    proc, url = _serve()
    yield proc, url
    _stop(proc)


@pytest.fixture
def fresh_server():
    """A server of its own: no memory another case freed is there to be reused."""
    proc, url = _serve()
    yield proc, url
    _stop(proc)


@pytest.fixture
def flood_server():
    """A server of its own for the rerun flood, whose flooders' own failed runs are theirs."""
    proc, url = _serve(upload=False)
    yield proc, url
    _stop(proc, flooded=True)


def test_a_rerun_flood_leaves_another_sessions_click_answered(flood_server):
    _, url = flood_server
    points = victim_points()  # 晋江市, 南安市, 翔安区

    async def scenario():
        victim = await open_victim(url)
        try:
            with Flood("reruns", url, sessions=5, seconds=90, max_messages=5_000_000, under_way=2_000) as flood:
                assert flood.wait_ready(120), "the flood did not start"
                for point in points:
                    await victim_click(victim, point, ANSWER_S)  # raises if not answered, or without the detail
                return flood.stop()
        finally:
            await victim.close()

    flood = run(scenario())
    assert "error" not in flood, flood
    assert min(flood["sent"]) >= 2_000, flood  # every flooder was flooding while the victim clicked
    # a flooding session gets no more runs than its budget allows (burst, then the rate)
    budget = limits.RERUN_BURST + limits.RERUN_RATE * flood["seconds"] + 5
    assert max(flood["runs_finished"]) <= budget, flood


def test_b_put_flood_is_refused_past_the_budget_and_its_memory_bounded(server):
    proc, url = server

    async def scenario():
        session = FloodSession(url, UPLOAD)
        await session.open()
        try:
            before = await asyncio.to_thread(settled_rss, proc.pid)
            token, data = xsrf(url), b"x" * PUT_BYTES
            statuses = []
            for i in range(PUTS_PER_FLOOD):  # back to back, each to a fresh file id
                statuses.append(await asyncio.to_thread(put_file, url, session.session_id, f"flood{i}", "flood.csv",
                                                        data, token))
            bound = before + 3 * limits.MAX_UPLOAD_BYTES
            held = await asyncio.to_thread(wait_for, lambda: rss_bytes(proc.pid) <= bound, 30.0)
            return statuses, before, rss_bytes(proc.pid), held
        finally:
            await session.close()

    statuses, before, after, held = run(scenario())
    taken = limits.UPLOADS_PER_WINDOW
    assert all(200 <= s < 300 for s in statuses[:taken]), statuses
    assert statuses[taken:] == [429] * (PUTS_PER_FLOOD - taken), statuses
    assert held, f"RSS {before / MB:.0f} MB before, {after / MB:.0f} MB after the flood"


def test_c_closed_tabs_give_their_uploads_back(fresh_server):
    proc, url = fresh_server
    tabs_count, size = 10, 8_600_000

    async def scenario():
        before = await asyncio.to_thread(settled_rss, proc.pid)
        token, data = xsrf(url), b"x" * size
        tabs = [FloodSession(url, UPLOAD) for _ in range(tabs_count)]
        await asyncio.gather(*(t.open() for t in tabs))
        statuses = [await asyncio.to_thread(put_file, url, t.session_id, "tab", "tab.csv", data, token) for t in tabs]
        peak = rss_bytes(proc.pid)
        await asyncio.gather(*(t.close() for t in tabs))
        back = await asyncio.to_thread(wait_for, lambda: rss_bytes(proc.pid) <= before + 50 * MB, 60.0)
        return statuses, before, peak, rss_bytes(proc.pid), back

    statuses, before, peak, after, back = run(scenario())
    assert all(200 <= s < 300 for s in statuses), statuses
    assert peak - before > 50 * MB, f"the uploads were not held: RSS {before / MB:.0f} → {peak / MB:.0f} MB"
    assert back, f"RSS {before / MB:.0f} MB before, {peak / MB:.0f} MB with the tabs open, {after / MB:.0f} MB after"


def test_d_eight_uploads_at_once_are_all_read(server):
    _, url = server
    count = 8

    async def scenario():
        token, data = xsrf(url), padded_csv()
        sessions = [FloodSession(url, UPLOAD) for _ in range(count)]
        await asyncio.gather(*(s.open() for s in sessions))
        try:
            return await asyncio.wait_for(
                asyncio.gather(*(upload_through_page(s, data, f"县域数据{i}.csv", token) for i, s in enumerate(sessions))),
                timeout=limits.PARSE_MAX_WAIT_S)
        finally:
            await asyncio.gather(*(s.close() for s in sessions))

    outcomes = run(scenario())
    assert len(outcomes) == count and all(200 <= o.status < 300 for o in outcomes), outcomes
    # each read (the join report, after the in-line message if it had to wait), none refused
    # for its time in line (upload_busy) or by any budget; the one exception is the parse's own
    # wall-clock limit on a machine too busy to give the (niced) child its half CPU-second in
    # limits.PARSE_TIMEOUT_S: as for tests/test_hostile.py, that time is benchmarks/floods.py's
    # to measure, and such a run is reported as an expected failure, not a pass
    too_slow = t("budget_time", "zh", seconds=limits.PARSE_TIMEOUT_S)
    slow = [o for o in outcomes if not o.ok and o.errors and all(too_slow in e for e in o.errors)]
    assert all(o.ok for o in outcomes if o not in slow), [o for o in outcomes if not o.ok and o not in slow]
    if slow:
        pytest.xfail(f"{len(slow)} of {count} refused for their parse's own {limits.PARSE_TIMEOUT_S:g} s "
                     f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), none for the line")


def test_e_zip_flood_leaves_another_sessions_picture_drawn(server):
    _, url = server
    floods = 10

    async def scenario():
        zipper, other = FloodSession(url, "chains"), FloodSession(url, EXPLORER)
        for session in (zipper, other):
            await session.open()
            await session.release()  # the picture buttons sit below the map
        try:
            asked = asyncio.Event()
            zips = asyncio.create_task(zipper.request_files([zipper.deferred_file("dl_picture_chains_zip")] * floods,
                                                            timeout=limits.PICTURE_WAIT_S * floods + 60, sent=asked))
            await asyncio.wait_for(asked.wait(), ANSWER_S)  # all ten asked for, then the other session's picture
            (_, png_url, png_error), = await other.request_files([other.deferred_file("dl_picture_explorer_png")],
                                                                 ANSWER_S)
            png = await asyncio.to_thread(fetch, url, png_url) if png_url else png_error.encode()
            answers = await zips
            first = next((a[1] for a in answers if a[1]), None)
            zipped = await asyncio.to_thread(fetch, url, first) if first else b""
            return png, answers, zipped  # fetched while the sessions hold their files
        finally:
            await zipper.close()
            await other.close()

    png, zips, zipped = run(scenario())
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), png[:200]
    delivered = [z for z in zips if z[1]]
    refused = [z for z in zips if z[2]]
    assert len(delivered) + len(refused) == floods, zips
    assert len(delivered) <= limits.PICTURE_PENDING_PER_SESSION, zips  # the rest refused at once, not drawn
    assert zipped.startswith(b"PK\x03\x04")
