"""8 concurrent sessions clicking counties and switching chain filters on our app.

    .venv/bin/python benchmarks/load_test.py [--seconds 60] [--sessions 8] [--protocol-sessions 7] [--seed 1]
    .venv/bin/python benchmarks/load_test.py --url http://127.0.0.1:8080/fujian   (a running deployment)
    .venv/bin/python benchmarks/load_test.py --replicas 0,1,2   (1 replica direct, then via the proxy on 1 and 2)

By default it starts dashboard.py itself. `--url` drives a deployment that is already up
(e.g. `make cluster`): no server is started and no RSS is read. `--replicas 0,1,2` starts the
local cluster (deploy/cluster.py: nginx + N replicas, as `make cluster`) once per count (0:
one replica driven directly, the baseline without the proxy),
same load, same run, and writes results/cluster_load.json and .md instead, with the RSS and
CPU of every replica and which replica each session landed on (the proxy's X-Upstream).

Of the sessions, `--protocol-sessions` (default 7) have no browser: they speak Streamlit's
websocket protocol (benchmarks/protocol_session.py), sending the messages a browser sends for
the same actions, and time each action from the message sent to the run finished with the
detail (or the restyled map) in it. Eight Chromium pages on this 2-core machine took 86 % of
its CPU, so a click's time was mostly the other browsers'; in a deployment each person's
browser has a machine of its own. The others (default 1) are real browser sessions, timed
to what a person sees; `--protocol-sessions 0` runs every session in a browser, as before.
One headless Chromium, one context per browser session, all driven concurrently (async
Playwright) against serve.py /explorer on a free localhost port. All sessions open the page at once
(page-open times are reported), and the clock starts when every map has drawn and settled:
the actions measure a steady load, not eight cold starts. Each session then repeatedly clicks
a random county (a point well inside it) or switches the chain filter (adds a random chain,
or removes the one selected), with a short random pause between actions.

Where a click's time goes: from the click to the browser sending its message on the
websocket (browser), from then to the last message received before the detail shows
(server: queueing + the rerun + the transfer), and from then to the detail on screen
(browser). CPU seconds of the server and of the browsers over the acting window are read
from /proc, so the report says which side the machine's cores went to. The browsers stand in
for people's own machines and run niced (--browser-nice 10), below the server, so that they
take the cores the server leaves; --browser-nice 0 runs them as the server.

Errors: Streamlit exception elements on the page, page (JS) errors, failed or non-local
requests, timeouts waiting for the detail panel / the recolour, "Traceback" in the server
log. Writes benchmarks/results/load.json and load.md; exits 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import random
import re
import sys
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
    ROOT,
    VIEWPORT,
    PeakRss,
    county_points,
    machine_info,
    quantiles,
    start_ours,
    write_json,
    write_text,
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


def _q(d: dict) -> str:
    return "n/a" if not d["n"] else f"{d['median']:.0f} / {d['p95']:.0f} (max {d['max']:.0f})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="how long every session keeps acting (default 60)")
    parser.add_argument("--sessions", type=int, default=8, help="concurrent sessions (default 8)")
    parser.add_argument("--protocol-sessions", type=int, default=7,
                        help="how many of them speak Streamlit's websocket protocol instead of driving a browser "
                             "(benchmarks/protocol_session.py; default 7: one real browser; 0: all browsers)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--browser-nice", type=int, default=10,
                        help="run the browsers at this niceness, below the server (default 10; 0: as the server)")
    parser.add_argument("--url", help="drive this running app (e.g. http://127.0.0.1:8080/fujian) instead of starting one")
    parser.add_argument("--replicas", help="comma-separated replica counts behind the local proxy, e.g. 1,2 "
                                           "(0: one replica driven directly, without the proxy)")
    args = parser.parse_args(argv)
    if args.replicas:
        return run_cluster(args, [int(n) for n in args.replicas.split(",")])
    return run_single(args)


def run_single(args) -> int:
    points = county_points(min_area=0.002)  # counties big enough to hit at the province-wide zoom
    chains = chain_names()
    started = time.monotonic()
    server = None if args.url else start_ours()
    try:
        if server:
            with PeakRss(server, every=0.5) as sampler:
                tally = asyncio.run(drive(server.url + "/explorer", args.sessions, args.seconds, args.seed, points,
                                          chains, server.proc.pid, args.browser_nice, args.protocol_sessions))
                rss_end = server.rss_mb()
        else:
            tally = asyncio.run(drive(args.url.rstrip("/") + "/explorer", args.sessions, args.seconds, args.seed,
                                      points, chains, browser_nice=args.browser_nice,
                                      protocol_sessions=args.protocol_sessions))
            sampler, rss_end = None, float("nan")
    finally:
        if server:
            server.stop()
    if server:
        log = server.log_text()
        tracebacks = len(re.findall(r"Traceback", log))
        if tracebacks:
            tally.errors.append(f"server log: {tracebacks} Traceback(s), see {server.log.relative_to(ROOT)}")
    browsers = args.sessions - args.protocol_sessions
    if browsers and (not tally.click_ms or not tally.filter_ms):
        tally.errors.append(f"too few actions: {len(tally.click_ms)} clicks, {len(tally.filter_ms)} filter changes")
    if args.protocol_sessions and (not tally.protocol_click_ms or not tally.protocol_filter_ms):
        tally.errors.append(f"too few protocol actions: {len(tally.protocol_click_ms)} clicks, "
                            f"{len(tally.protocol_filter_ms)} filter changes")
    elapsed = time.monotonic() - started

    click, filt = quantiles(tally.click_ms), quantiles(tally.filter_ms)
    proto_click, proto_filt = quantiles(tally.protocol_click_ms), quantiles(tally.protocol_filter_ms)
    peak = sampler.peak if sampler else float("nan")
    result = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "target": args.url or "serve.py",
        "sessions": args.sessions, "protocol_sessions": args.protocol_sessions, "seconds": args.seconds, "seed": args.seed, "browser_nice": args.browser_nice,
        "elapsed_s": elapsed,
        "actions": tally.actions, "clicks": len(tally.click_ms), "filter_changes": len(tally.filter_ms),
        "skipped_points": tally.skipped, "ui_retries": tally.ui_retries, "click_to_detail_ms": click, "filter_to_recolour_ms": filt,
        "protocol_click_ms": proto_click, "protocol_filter_ms": proto_filt,
        "rss_peak_mb": peak, "rss_end_mb": rss_end, "errors": tally.errors, "error_count": len(tally.errors),
        "open_ms": quantiles(tally.open_ms), "click_split_ms": click_split(tally),
        "cpu_s": tally.cpu, "cores": os.cpu_count(), "machine": machine_info(),
    }
    name = "load_url" if args.url else "load"
    write_json(RESULTS / f"{name}.json", result)

    rows = [("sessions × seconds", f"{args.sessions} × {args.seconds:g} s"),
            ("of which without a browser (websocket protocol)", str(args.protocol_sessions)),
            ("actions (clicks + filter changes)",
             f"{tally.actions} ({len(tally.click_ms) + len(tally.protocol_click_ms)} + "
             f"{len(tally.filter_ms) + len(tally.protocol_filter_ms)})"),
            ("browser sessions: click → detail on screen p50 / p95 [ms]", _q(click)),
            ("browser sessions: filter change → map restyled p50 / p95 [ms]", _q(filt)),
            ("protocol sessions: click → run finished with the detail p50 / p95 [ms]", _q(proto_click)),
            ("protocol sessions: filter change → run finished with the map p50 / p95 [ms]", _q(proto_filt)),
            (f"page open ({args.sessions} at once) → counties drawn p50 / p95 [ms]", _q(result["open_ms"])),
            *[(f"click: {part} p50 / p95 [ms]", _q(q)) for part, q in result["click_split_ms"].items()],
            ("CPU in the acting window: server / browsers / protocol sessions [s]", _cpu_text(tally.cpu, args.seconds)),
            ("server RSS peak / at end [MB]", f"{peak:.0f} / {rss_end:.0f}" if server else "not measured (--url)"),
            ("option clicks the open list did not take (retried)", str(tally.ui_retries)),
            ("errors", str(len(tally.errors)))]
    md = ["# Load test: our app, concurrent sessions", "", f"{result['date']} · {elapsed:.0f} s in all"
          + (f" · target {args.url}" if args.url else ""), "", "| | |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    md += ["", "## Errors", ""] + ([f"- {e}" for e in tally.errors[:50]] or ["- none"])
    md += ["", "## Machine", ""] + [f"- {k}: {v}" for k, v in result["machine"].items()]
    md += ["", f"Command: `.venv/bin/python benchmarks/load_test.py --seconds {args.seconds:g} "
               f"--sessions {args.sessions} --protocol-sessions {args.protocol_sessions} --seed {args.seed} "
               f"--browser-nice {args.browser_nice}"
               + (f" --url {args.url}" if args.url else "") + "`", ""]
    write_text(RESULTS / f"{name}.md", "\n".join(md))

    for a, b in rows:
        print(f"{a:45} {b}")
    for e in tally.errors[:20]:
        print("error:", e)
    print(f"wrote {RESULTS / (name + '.json')} and {name}.md")
    return 1 if tally.errors else 0


def click_split(tally: Tally) -> dict[str, dict]:
    return {"browser, click → message sent": quantiles(tally.to_server_ms),
            "server, sent → last reply received": quantiles(tally.server_ms),
            "browser, reply → detail on screen": quantiles(tally.render_ms)}


def _cpu_text(cpu: dict[str, float], seconds: float) -> str:
    if not cpu:
        return "not measured"
    cores = os.cpu_count() or 1
    sides = ("server", "browsers", "this process")
    whole = cores * seconds
    return (" / ".join(f"{cpu.get(s, 0):.0f}" for s in sides) + f" of {whole:.0f} core-seconds ("
            + " / ".join(f"{100 * cpu.get(s, 0) / whole:.0f} %" for s in sides) + ")")


def _cpu_seconds(pid: int) -> float:
    import psutil

    try:
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    except psutil.NoSuchProcess:
        return float("nan")


def run_cluster(args, counts: list[int]) -> int:
    """The same load through the proxy on 1, 2, … replicas, one after the other, same run."""

    from benchmarks.common import Server
    from deploy.cluster import Cluster, EdgeLimits

    points = county_points(min_area=0.002)
    chains = chain_names()
    runs = []
    for n in counts:
        started = time.monotonic()
        # every simulated user comes from 127.0.0.1: the per-address limits scaled to them;
        # X-Upstream tells which replica serves each session
        limits = EdgeLimits().scaled(max(1.0, args.sessions / 4))
        with Cluster(replicas=max(n, 1), run_dir=RESULTS / "logs" / f"cluster-{n}", expose_upstream=True,
                     limits=limits) as cluster:
            target = cluster.nodes[0].url if n == 0 else cluster.url  # 0: the replica itself, no proxy
            servers = [Server(f"replica-{r.index}", r.proc, r.url, r.log_path) for r in cluster.nodes]
            cpu0 = [_cpu_seconds(r.proc.pid) for r in cluster.nodes]
            load0 = os.getloadavg()[0]
            samplers = [PeakRss(s, every=0.5) for s in servers]
            for smp in samplers:
                smp.__enter__()
            try:
                tally = asyncio.run(drive(target + "/explorer", args.sessions, args.seconds, args.seed, points, chains,
                                          browser_nice=args.browser_nice))
                rss_end = [s.rss_mb() for s in servers]
                cpu = [_cpu_seconds(r.proc.pid) - c for r, c in zip(cluster.nodes, cpu0)]
            finally:
                for smp in samplers:
                    smp.__exit__(None, None, None)
            load1 = os.getloadavg()[0]
            addresses = [r.address for r in cluster.nodes]
            for node in cluster.nodes:
                log = node.log_path.read_text(encoding="utf-8", errors="replace")
                if "Traceback" in log:
                    tally.errors.append(f"replica {node.index}: Traceback in {node.log_path.relative_to(ROOT)}")
        if n == 0:
            tally.upstreams = {i: addresses[0] for i in range(args.sessions)}
        if len(tally.upstreams) < args.sessions:
            tally.errors.append(f"only {len(tally.upstreams)} of {args.sessions} sessions reported their replica")
        per = [{"replica": i, "sessions": sum(1 for u in tally.upstreams.values() if u == a),
                "rss_peak_mb": smp.peak, "rss_end_mb": rss_end[i], "cpu_s": cpu[i]}
               for i, (a, smp) in enumerate(zip(addresses, samplers))]
        runs.append({
            "replicas": n, "elapsed_s": time.monotonic() - started, "load_avg_1min_before_after": [load0, load1],
            "sessions_held": args.sessions - len(tally.failed_sessions), "actions": tally.actions,
            "clicks": len(tally.click_ms), "filter_changes": len(tally.filter_ms), "ui_retries": tally.ui_retries,
            "click_to_detail_ms": quantiles(tally.click_ms), "filter_to_recolour_ms": quantiles(tally.filter_ms),
            "per_replica": per, "errors": tally.errors, "error_count": len(tally.errors),
        })
        print(f"{n} replica(s): {runs[-1]['sessions_held']}/{args.sessions} sessions held, {tally.actions} actions, "
              f"click p50/p95 {_q(runs[-1]['click_to_detail_ms'])} ms, {len(tally.errors)} errors", flush=True)
    result = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "sessions": args.sessions,
              "seconds": args.seconds, "seed": args.seed, "runs": runs, "machine": machine_info()}
    write_json(RESULTS / "cluster_load.json", result)

    md = ["# Load through the proxy: " + " vs ".join("1 without proxy" if n == 0 else str(n) for n in counts)
          + " replica(s)", "",
          f"{result['date']} · {args.sessions} sessions × {args.seconds:g} s per run, the same seed, one after the "
          "other in the same run; nginx with route-cookie affinity on 127.0.0.1 in front of N `streamlit run` "
          "replicas (deploy/cluster.py, as `make cluster`), browsers on the same machine.", "",
          "| replicas | sessions held | actions (clicks + filters) | click → detail p50 / p95 [ms] | "
          "filter → restyled p50 / p95 [ms] | sessions per replica | RSS peak per replica [MB] | "
          "CPU per replica [s] | errors | load avg before → after |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        per = r["per_replica"]
        counts_text = " / ".join(str(p["sessions"]) for p in per)
        rss_text = " / ".join(f"{p['rss_peak_mb']:.0f}" for p in per)
        cpu_text = " / ".join(f"{p['cpu_s']:.0f}" for p in per)
        label = "1, no proxy" if r["replicas"] == 0 else str(r["replicas"])
        md.append(f"| {label} | {r['sessions_held']}/{args.sessions} | {r['actions']} ({r['clicks']} + "
                  f"{r['filter_changes']}) | {_q(r['click_to_detail_ms'])} | {_q(r['filter_to_recolour_ms'])} | "
                  f"{counts_text} | {rss_text} | {cpu_text} | {r['error_count']} | "
                  f"{r['load_avg_1min_before_after'][0]:.1f} → {r['load_avg_1min_before_after'][1]:.1f} |")
    md += ["", "## Errors", ""]
    for r in runs:
        label = "1 replica, no proxy" if r["replicas"] == 0 else f"{r['replicas']} replica(s)"
        md += [f"- {label}: {e}" for e in r["errors"][:20]] or [f"- {label}: none"]
    md += ["", "## Machine", ""] + [f"- {k}: {v}" for k, v in result["machine"].items()]
    md += ["", f"Command: `.venv/bin/python benchmarks/load_test.py --replicas {args.replicas} --seconds {args.seconds:g} "
               f"--sessions {args.sessions} --seed {args.seed}`", ""]
    write_text(RESULTS / "cluster_load.md", "\n".join(md))
    print(f"wrote {RESULTS / 'cluster_load.json'} and cluster_load.md")
    return 1 if any(r["errors"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
