"""The load test's sessions: each opens /explorer, then clicks counties and switches the chain
filter until the acting window ends. Driven by benchmarks/load_test.py (and session_cost.py).

A browser session (`run_session`) is a Chromium context driven by async Playwright, timed to
what a person sees. All sessions open the page at once (page-open times are reported), and
the clock starts when every map has drawn and settled: the actions measure a steady load, not
eight cold starts. Each session then repeatedly clicks a random county (a point well inside
it) or switches the chain filter (adds a random chain, or removes the one selected), with a
short random pause between actions.

A protocol session (`run_protocol_session`) has no browser: it speaks Streamlit's websocket
protocol (benchmarks/protocol_session.py), sending the messages a browser sends for the same
actions, and times each action from the message sent to the run finished with the detail (or
the restyled map) in it. Eight Chromium pages on this 2-core machine took 86 % of its CPU, so
a click's time was mostly the other browsers'; in a deployment each person's browser has a
machine of its own.

Where a click's time goes (`split_click`): from the click to the browser sending its message
on the websocket (browser), from then to the last message received before the detail shows
(server: queueing + the rerun + the transfer), and from then to the detail on screen
(browser). CPU seconds of the server and of the browsers over the acting window are read from
/proc (`cpu_seconds_by_side`). The browsers stand in for people's own machines and run niced
(`lower_priority`), below the server, so that they take the cores the server leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time

from benchmarks.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    JS_APPLIED,
    JS_DETAIL_HAS,
    JS_DRAWN,
    JS_IDLE,
    JS_POINT,
    LOCAL,
    RESULTS,
    VIEWPORT,
)

WAIT_MS = 30_000
MULTISELECT = "[data-testid=stSidebar] [data-testid=stMultiSelect]"


def chain_names() -> list[str]:
    from fjchains.data.tables import load_tables

    return load_tables().chains["name_zh"].tolist()


class Tally:
    def __init__(self):
        self.click_ms: list[float] = []
        self.filter_ms: list[float] = []
        self.actions = 0
        self.skipped = 0
        self.ui_retries = 0  # option clicks the browser list did not take (retried)
        self.errors: list[str] = []
        self.upstreams: dict[int, str] = {}  # session -> replica (X-Upstream), behind the proxy
        self.failed_sessions: set[int] = set()
        self.open_ms: list[float] = []  # navigation -> counties drawn, all sessions opening at once
        self.to_server_ms: list[float] = []  # click -> the browser's message sent
        self.server_ms: list[float] = []  # sent -> last message received before the detail showed
        self.render_ms: list[float] = []  # that message -> detail on screen
        self.ready = 0
        self.all_ready = asyncio.Event()
        self.deadline: float | None = None  # end of the acting window (monotonic)
        self.cpu: dict[str, float] = {}  # CPU seconds in the acting window: server, browsers
        # sessions that speak the websocket protocol (benchmarks/protocol_session.py): the server's
        # time, from the message sent to the run finished with the detail (or the restyled map) in it
        self.protocol_click_ms: list[float] = []
        self.protocol_filter_ms: list[float] = []

    def session_ready(self, sessions: int, seconds: float) -> None:
        self.ready += 1
        if self.ready >= sessions and not self.all_ready.is_set():
            self.deadline = time.monotonic() + seconds
            self.all_ready.set()

    def error(self, session: int, text: str) -> None:
        self.errors.append(f"session {session}: {text}")
        self.failed_sessions.add(session)


async def wait_applied_change(page, before, timeout=WAIT_MS):
    await page.wait_for_function(f"(b) => ({JS_APPLIED})() !== b", arg=before, timeout=timeout, polling=50)


def split_click(tally: Tally, frames: list[tuple[str, float]], t0: float, t_done: float) -> None:
    """Splits one click's time at the websocket (frames: those since the click): browser out,
    server, browser in."""
    sent = next((t for kind, t in frames if kind == "sent" and t >= t0), None)
    if sent is None or sent > t_done:
        return
    received = [t for kind, t in frames if kind == "received" and sent <= t <= t_done]
    if not received:
        return
    tally.to_server_ms.append((sent - t0) * 1000)
    tally.server_ms.append((received[-1] - sent) * 1000)
    tally.render_ms.append((t_done - received[-1]) * 1000)


async def run_session(i: int, browser, url: str, points: dict, chains: list[str], seconds: float,
                      tally: Tally, rng: random.Random, sessions: int) -> None:
    # bypass_csp: wait_for_function evals its predicate in the page, which the proxy's CSP forbids
    context = await browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    page = await context.new_page()
    page.on("pageerror", lambda e: tally.error(i, f"page error: {e}"))
    page.on("requestfailed", lambda r: tally.error(i, f"request failed: {r.url} {r.failure}"))
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else tally.error(i, f"non-local request {r.url}"))
    frames: list[tuple[str, float]] = []  # ("sent" | "received", perf_counter) on the app's websocket
    page.on("websocket", lambda ws: (ws.on("framesent", lambda _: frames.append(("sent", time.perf_counter()))),
                                     ws.on("framereceived", lambda _: frames.append(("received", time.perf_counter())))))
    selected: str | None = None
    county: str | None = None
    codes = sorted(points)
    ready = False
    try:
        t_open = time.perf_counter()
        response = await page.goto(url, wait_until="commit", timeout=WAIT_MS)
        upstream = response.headers.get("x-upstream") if response else None
        if upstream:
            tally.upstreams[i] = upstream.split(",")[-1].strip()
        await page.wait_for_function(JS_DRAWN, timeout=90_000, polling=100)
        tally.open_ms.append((time.perf_counter() - t_open) * 1000)
        await page.wait_for_function(JS_IDLE, timeout=90_000, polling=100)  # the parts that wait for the map
        ready = True
        tally.session_ready(sessions, seconds)
        await asyncio.wait_for(tally.all_ready.wait(), timeout=180)
        assert tally.deadline is not None
        deadline = tally.deadline
        while time.monotonic() < deadline:
            if rng.random() < 0.7:
                adcode = rng.choice([c for c in codes if c != county])
                point = points[adcode]
                where = await page.evaluate(JS_POINT, [point["lat"], point["lng"]])
                if not (where["inMap"] and where["onCounty"] and where["inViewport"]):
                    tally.skipped += 1  # under the legend or a control: pick another
                    continue
                frames.clear()
                t0 = time.perf_counter()
                await page.mouse.click(where["x"], where["y"])
                try:
                    await page.wait_for_function(JS_DETAIL_HAS, arg=point["name"], timeout=WAIT_MS, polling=50)
                except Exception:
                    tally.error(i, f"timeout: click on {adcode} {point['name']} did not show its detail")
                    continue
                t_done = time.perf_counter()
                tally.click_ms.append((t_done - t0) * 1000)
                split_click(tally, frames, t0, t_done)
                county = adcode
            else:
                before = await page.evaluate(JS_APPLIED)
                box = page.locator(MULTISELECT).first
                if selected:
                    t0 = time.perf_counter()
                    await box.get_by_role("button", name=f"Remove {selected}").click(timeout=WAIT_MS)
                    label, selected = f"remove {selected}", None
                else:
                    name = rng.choice(chains)
                    chip = box.get_by_role("button", name=f"Remove {name}")
                    # a rerun (the last change's, still finishing) may close the open list under
                    # the pointer: wait for the page to settle, and open the list again if it closed
                    await page.wait_for_function(JS_IDLE, timeout=WAIT_MS, polling=100)
                    for _attempt in range(3):
                        try:
                            await box.click(timeout=WAIT_MS)
                            # typed, as a person would: the open list draws only the options in view
                            await page.keyboard.type(name)
                            option = page.get_by_role("option", name=name, exact=True)
                            await option.wait_for(timeout=10_000)
                            t0 = time.perf_counter()
                            await option.click(timeout=5_000)
                            await page.keyboard.press("Escape")
                            await chip.wait_for(timeout=15_000)
                            break
                        except Exception:
                            tally.ui_retries += 1
                            await page.keyboard.press("Escape")
                    else:
                        tally.error(i, f"the browser never registered the choice of {name}")
                        continue
                    label, selected = f"add {name}", name
                try:
                    await wait_applied_change(page, before)
                except Exception:
                    shown = await box.inner_text()
                    tally.error(i, f"timeout: filter change ({label}) did not restyle the map "
                                   f"(the multiselect shows {shown!r})")
                    continue
                tally.filter_ms.append((time.perf_counter() - t0) * 1000)
            tally.actions += 1
            n_exc = await page.locator("[data-testid=stException]").count()
            if n_exc:
                tally.error(i, f"{n_exc} exception element(s) on the page: "
                               f"{(await page.locator('[data-testid=stException]').first.inner_text())[:300]}")
                break
            await page.wait_for_timeout(rng.randint(200, 1000))
        try:
            await page.wait_for_function(JS_IDLE, timeout=WAIT_MS, polling=100)
        except Exception:
            tally.error(i, "page not idle at the end")
        if await page.locator("[data-testid=stException]").count():
            tally.error(i, "exception element on the page at the end")
    except Exception as exc:
        if not ready:
            tally.session_ready(sessions, seconds)  # the others do not wait for a session that failed to open
        tally.error(i, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(RESULTS / "logs" / f"load-failure-{i}.png"))
    finally:
        await context.close()


async def run_protocol_session(i: int, url: str, points: dict, seconds: float, tally: Tally, rng: random.Random,
                               sessions: int) -> None:
    """A session without a browser (benchmarks/protocol_session.py), the same actions, mix and pauses."""
    from benchmarks.protocol_session import FINISHED, ProtocolSession

    base, page = url.rsplit("/", 1)
    session = ProtocolSession(base, page)
    codes = sorted(points)
    county: str | None = None
    selected: str | None = None
    ready = False

    def check(run, what: str) -> bool:
        if run.exceptions:
            tally.error(i, f"{what}: exception element {run.exceptions[0]}")
        elif run.status not in FINISHED:
            tally.error(i, f"{what}: the run ended with status {run.status}")
        else:
            return True
        return False

    try:
        t_open = time.perf_counter()
        if not check(await session.open(), "open") or not all([check(r, "release") for r in await session.release()]):
            raise RuntimeError("the page did not open")
        tally.open_ms.append((time.perf_counter() - t_open) * 1000)
        chains_box = session.widget("w_chains")
        ready = True
        tally.session_ready(sessions, seconds)
        await asyncio.wait_for(tally.all_ready.wait(), timeout=180)
        assert tally.deadline is not None
        while time.monotonic() < tally.deadline:
            if rng.random() < 0.7:
                county = rng.choice([c for c in codes if c != county])
                point = points[county]
                run = await session.click_map(point["lat"], point["lng"])
                if not check(run, f"click on {county}"):
                    break
                if not any(text == f"### {point['name']}" for text in run.texts):
                    tally.error(i, f"click on {county} {point['name']}: its detail did not come")
                    continue
                tally.protocol_click_ms.append(run.seconds * 1000)
            else:
                selected = None if selected else rng.choice(chains_box.options)
                run = await session.choose(chains_box, [selected] if selected else [])
                if not check(run, f"filter {selected}"):
                    break
                if not run.map_args:
                    tally.error(i, f"filter change ({selected}): the map's colours were not sent")
                    continue
                tally.protocol_filter_ms.append(run.seconds * 1000)
            tally.actions += 1
            await asyncio.sleep(rng.randint(200, 1000) / 1000)
    except Exception as exc:
        if not ready:
            tally.session_ready(sessions, seconds)
        tally.error(i, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    finally:
        await session.close()


def _our_browsers():
    """The Chromium processes this test started (under its Playwright driver), not others'."""
    import psutil

    return [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]


def cpu_seconds_by_side(server_pid: int | None) -> dict[str, float]:
    """CPU seconds so far of the server (with its children) and of this test's Chromium."""
    import psutil

    sides = {"server": 0.0, "browsers": 0.0, "this process": 0.0}
    server: list[psutil.Process] = []
    if server_pid is not None:
        with contextlib.suppress(psutil.NoSuchProcess):
            parent = psutil.Process(server_pid)
            server = [parent, *parent.children(recursive=True)]
    for side, procs in (("server", server), ("browsers", _our_browsers()), ("this process", [psutil.Process()])):
        for proc in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                sides[side] += times.user + times.system
    return sides


def lower_priority(niceness: int) -> None:
    """Runs the browsers at a lower CPU priority than the server.

    They stand in for eight people's own machines: on this one they share the server's cores
    and took 80-85 % of them, so the server's reruns waited for the browsers' rendering.
    Niced, they get what the server leaves. 0 leaves them as they are."""
    if not niceness:
        return
    import psutil

    for proc in _our_browsers():  # the zygote too: renderers started later inherit it
        with contextlib.suppress(psutil.Error):
            proc.nice(niceness)


async def drive(url: str, sessions: int, seconds: float, seed: int, points: dict, chains: list[str],
                server_pid: int | None = None, browser_nice: int = 10, protocol_sessions: int = 0) -> Tally:
    """Runs the sessions (the last `protocol_sessions` of them without a browser); reads the CPU
    seconds of server, browsers and this process (the protocol sessions) over the acting window."""
    from playwright.async_api import async_playwright

    tally = Tally()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        lower_priority(browser_nice)

        async def start_clock() -> None:
            await tally.all_ready.wait()
            before = cpu_seconds_by_side(server_pid)
            await asyncio.sleep(seconds)
            after = cpu_seconds_by_side(server_pid)
            tally.cpu = {side: after[side] - before[side] for side in after}

        clock = asyncio.create_task(start_clock())
        try:
            await asyncio.wait_for(
                asyncio.gather(*(run_session(i, browser, url, points, chains, seconds, tally,
                                             random.Random(seed * 1000 + i), sessions)
                                 if i < sessions - protocol_sessions else
                                 run_protocol_session(i, url, points, seconds, tally, random.Random(seed * 1000 + i),
                                                      sessions)
                                 for i in range(sessions))),
                timeout=seconds + 420)
        except TimeoutError:
            tally.errors.append("load test did not finish in time")
        finally:
            clock.cancel()
            await browser.close()
    return tally
