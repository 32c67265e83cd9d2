"""What a session costs one replica: memory per session, CPU per page load, click and filter change.

    .venv/bin/python -m benchmarks.session_cost [--sessions 8] [--clicks 30] [--filters 20]   (`make session-cost`)

One replica (serve.py, started as the other benchmarks start it), headless Chromium:
1. RSS (process + children, psutil) after start, idle; one session opens /explorer and
   draws its map (the process loads data, layers and caches: the fixed cost) → RSS_1;
   sessions 2..N open one after the other, each drawing its map; after 3 s idle → RSS_N.
   RSS per session = (RSS_N − RSS_1) / (N − 1). The server CPU spent opening sessions
   2..N, divided by N − 1, is the CPU of a page load.
2. In one session, the others connected and idle: `clicks` clicks on counties, one at a
   time (each waits for the detail panel), then `filters` chain filter changes (add a
   chain, remove it; each waits for the map's restyle). CPU of the server process over
   each series, minus its idle rate, divided by the count = CPU per click / per filter.
Writes results/session_cost.json and .md (benchmarks/report.py). docs/DEPLOY.md turns these
into capacity.
"""

from __future__ import annotations

import argparse
import os
import random
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
    RESULTS,
    VIEWPORT,
    county_points,
    machine_info,
    quantiles,
    start_ours,
    write_json,
)
from benchmarks.load_sessions import MULTISELECT, chain_names
from benchmarks.report import Report, now

WAIT_MS = 60_000


def cpu_s(pid: int) -> float:
    import psutil

    p = psutil.Process(pid)
    total = 0.0
    for q in [p] + p.children(recursive=True):
        t = q.cpu_times()
        total += t.user + t.system
    return total


def open_session(browser, url: str):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=WAIT_MS)
    page.wait_for_function(JS_DRAWN, timeout=90_000, polling=100)
    page.wait_for_function(JS_IDLE, timeout=WAIT_MS, polling=100)
    return context, page


def click_series(page, points: dict, n: int, rng: random.Random) -> list[float]:
    times: list[float] = []
    county, codes = None, sorted(points)
    while len(times) < n:
        adcode = rng.choice([c for c in codes if c != county])
        where = page.evaluate(JS_POINT, [points[adcode]["lat"], points[adcode]["lng"]])
        if not (where["inMap"] and where["onCounty"] and where["inViewport"]):
            continue
        t0 = time.perf_counter()
        page.mouse.click(where["x"], where["y"])
        page.wait_for_function(JS_DETAIL_HAS, arg=points[adcode]["name"], timeout=WAIT_MS, polling=50)
        times.append((time.perf_counter() - t0) * 1000)
        page.wait_for_function(JS_IDLE, timeout=WAIT_MS, polling=50)
        county = adcode
    return times


def filter_series(page, chains: list[str], n: int, rng: random.Random) -> list[float]:
    times: list[float] = []
    selected = None
    box = page.locator(MULTISELECT).first
    while len(times) < n:
        before = page.evaluate(JS_APPLIED)
        if selected:
            t0 = time.perf_counter()
            box.get_by_role("button", name=f"Remove {selected}").click(timeout=WAIT_MS)
            selected = None
        else:
            name = rng.choice(chains)
            box.click(timeout=WAIT_MS)
            option = page.get_by_role("option", name=name, exact=True)
            option.wait_for(timeout=WAIT_MS)
            t0 = time.perf_counter()
            option.click(timeout=WAIT_MS)
            page.keyboard.press("Escape")
            try:
                box.get_by_role("button", name=f"Remove {name}").wait_for(timeout=3_000)
            except Exception:
                continue
            selected = name
        page.wait_for_function(f"(b) => ({JS_APPLIED})() !== b", arg=before, timeout=WAIT_MS, polling=50)
        times.append((time.perf_counter() - t0) * 1000)
        page.wait_for_function(JS_IDLE, timeout=WAIT_MS, polling=50)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--filters", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    points = county_points(min_area=0.002)
    chains = chain_names()
    rng = random.Random(args.seed)
    load0 = os.getloadavg()[0]
    server = start_ours()
    pid = server.proc.pid
    contexts = []
    try:
        time.sleep(3)
        rss_idle = server.rss_mb()
        c0, t0 = cpu_s(pid), time.monotonic()
        time.sleep(5)
        idle_rate = (cpu_s(pid) - c0) / (time.monotonic() - t0)  # CPU s per s with no session
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            url = server.url + "/explorer"
            c0 = cpu_s(pid)
            contexts.append(open_session(browser, url))
            cpu_first = cpu_s(pid) - c0
            time.sleep(3)
            rss_1 = server.rss_mb()
            c0, t0 = cpu_s(pid), time.monotonic()
            for _ in range(args.sessions - 1):
                contexts.append(open_session(browser, url))
            cpu_loads = cpu_s(pid) - c0 - idle_rate * (time.monotonic() - t0)
            time.sleep(3)
            rss_n = server.rss_mb()
            page = contexts[0][1]
            c0, t0 = cpu_s(pid), time.monotonic()
            click_ms = click_series(page, points, args.clicks, rng)
            cpu_clicks = cpu_s(pid) - c0 - idle_rate * (time.monotonic() - t0)
            c0, t0 = cpu_s(pid), time.monotonic()
            filter_ms = filter_series(page, chains, args.filters, rng)
            cpu_filters = cpu_s(pid) - c0 - idle_rate * (time.monotonic() - t0)
            rss_end = server.rss_mb()
            for context, _ in contexts:
                context.close()
            browser.close()
    finally:
        server.stop()
    load1 = os.getloadavg()[0]
    n = args.sessions
    result = {
        "date": now(),
        "sessions": n, "clicks": args.clicks, "filters": args.filters, "seed": args.seed,
        "rss_idle_mb": rss_idle, "rss_one_session_mb": rss_1, "rss_n_sessions_mb": rss_n, "rss_end_mb": rss_end,
        "rss_per_session_mb": (rss_n - rss_1) / (n - 1),
        "idle_cpu_share": idle_rate,
        "cpu_first_session_s": cpu_first,
        "cpu_per_page_load_ms": cpu_loads / (n - 1) * 1000,
        "cpu_per_click_ms": cpu_clicks / args.clicks * 1000,
        "cpu_per_filter_ms": cpu_filters / args.filters * 1000,
        "click_to_detail_ms": quantiles(click_ms), "filter_to_recolour_ms": quantiles(filter_ms),
        "load_avg_1min_before_after": [load0, load1],
        "machine": machine_info(),
    }
    write_json(RESULTS / "session_cost.json", result)
    report(result).write(RESULTS / "session_cost.md")
    for a, b in rows(result):
        print(f"{a:60} {b}")
    print(f"wrote {RESULTS / 'session_cost.json'} and session_cost.md")
    return 0


def rows(r: dict) -> list[tuple[str, str]]:
    """The report's table: memory, CPU per action, one user's times, the load around the run."""
    return [
        ("RSS idle, no session [MB]", f"{r['rss_idle_mb']:.0f}"),
        ("RSS with 1 session (data, layers, caches loaded) [MB]", f"{r['rss_one_session_mb']:.0f}"),
        (f"RSS with {r['sessions']} sessions [MB]", f"{r['rss_n_sessions_mb']:.0f}"),
        ("**RSS per additional session [MB]**", f"**{r['rss_per_session_mb']:.1f}**"),
        ("CPU of the first session (loads data, builds caches) [s]", f"{r['cpu_first_session_s']:.1f}"),
        ("**CPU per page load (later sessions) [ms]**", f"**{r['cpu_per_page_load_ms']:.0f}**"),
        ("**CPU per click (map click → detail) [ms]**", f"**{r['cpu_per_click_ms']:.0f}**"),
        ("**CPU per filter change (→ map restyled) [ms]**", f"**{r['cpu_per_filter_ms']:.0f}**"),
        ("idle CPU (websocket keep-alive etc.) [% of a core]", f"{100 * r['idle_cpu_share']:.1f}"),
        ("click → detail p50 / p95, one active user [ms]",
         f"{r['click_to_detail_ms']['median']:.0f} / {r['click_to_detail_ms']['p95']:.0f}"),
        ("filter → restyled p50 / p95, one active user [ms]",
         f"{r['filter_to_recolour_ms']['median']:.0f} / {r['filter_to_recolour_ms']['p95']:.0f}"),
        ("load average (1 min) before → after", "{:.1f} → {:.1f}".format(*r["load_avg_1min_before_after"])),
    ]


def report(r: dict) -> Report:
    md = Report("What a session costs one replica",
                f"one replica, {r['sessions']} sessions on /explorer, {r['clicks']} clicks and {r['filters']} filter "
                "changes in one of them (method: `benchmarks/session_cost.py` docstring). CPU = user + system time of "
                "the server process, its idle rate subtracted.", date=r["date"])
    md.table(["", ""], rows(r)).machine(r["machine"])
    return md.command("benchmarks.session_cost", f"--sessions {r['sessions']} --clicks {r['clicks']} "
                                                 f"--filters {r['filters']} --seed {r['seed']}")

if __name__ == "__main__":
    sys.exit(main())
