"""Our map explorer against the naive reference app, in headless Chromium.

    .venv/bin/python -m benchmarks.run_benchmark [--runs N] [--skip-memory] [--first-paint-only]
    (`make benchmark`)

Starts serve.py (as `make run` does; page /explorer), benchmarks/naive_app.py and the floor
app on free localhost ports. First the first paint of every page with a map
(benchmarks/first_paint.py), then, N times per app with a fresh browser context each
(benchmarks/explorer_runs.py): first load, 3 county clicks, a chain-filter change, bytes sent
to the browser per phase, server rerun times, whether the map survives (zoom and JS state
kept) a click and a filter change; then RSS of each server with 8 sessions open. The numbers
(benchmarks/explorer_metrics.py) are printed and written to benchmarks/results/latest.json
and latest.md (benchmarks/report.py). See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks import explorer_metrics, first_paint
from benchmarks.common import (
    BENCH_COUNTIES,
    CHROMIUM,
    CHROMIUM_ARGS,
    RESULTS,
    county_points,
    machine_info,
    start_naive,
    start_ours,
    write_json,
)
from benchmarks.explorer_runs import memory_run, one_run
from benchmarks.report import Report, now

APPS = {"ours": start_ours, "naive": start_naive}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="fresh browser contexts per app (default 5)")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the 8-session RSS measurement")
    parser.add_argument("--first-paint-only", action="store_true",
                        help="only the first paint of every map page, the naive app and the floor app")
    return parser.parse_args(argv)


def click_points() -> dict[str, dict]:
    """A point inside each county, with the area of its shrunk polygon (to pick counties big
    enough to click at the default zoom)."""
    from fjchains.data.boundaries import load_boundaries

    points = county_points()
    missing = [adcode for adcode in BENCH_COUNTIES if adcode not in points]
    if missing:
        raise SystemExit(f"no inner point for {', '.join(missing)}")
    b = load_boundaries()
    for adcode, geom in zip(b["adcode"], b.geometry):
        if adcode in points:
            points[adcode]["area"] = geom.buffer(-0.03).area
    return points


def _status(r: dict) -> str:
    status = r.get("error") or (f"load {r['load_ms']:.0f} ms, clicks {', '.join(f'{c:.0f}' for c in r['click_ms'])} ms, "
                                f"filter {r['filter_ms']:.0f} ms")
    return status + (f" [warnings: {'; '.join(r['warnings'])}]" if r["warnings"] else "")


def timed_runs(browser, args, points: dict, results: dict, server_logs: dict) -> dict[str, list[dict]]:
    """The warm-ups, the first paints and the explorer runs, on one server per app; the first paints."""
    servers = {name: start() for name, start in APPS.items()}
    try:
        for name, server in servers.items():  # first import of plotly, geopandas, ... in the server
            warm = one_run(browser, server, name == "ours", points)
            print(f"warm-up {name}: {'error ' + warm['error'] if 'error' in warm else 'ok'}", flush=True)
        floor = first_paint.start_floor()
        try:
            paints = first_paint.run_pages(browser, {**servers, "floor": floor}, args.runs,
                                           log=lambda line: print(line, flush=True))
        finally:
            floor.stop()
        for i in range(0 if args.first_paint_only else args.runs):
            for name, server in servers.items():  # interleaved, so drift hits both alike
                r = one_run(browser, server, name == "ours", points)
                results[name]["runs"].append(r)
                print(f"run {i + 1}/{args.runs} {name}: {_status(r)}", flush=True)
    finally:
        for name, server in servers.items():
            server.stop()
            server_logs[name] = server.log_text()
    return paints


def memory_runs(browser, args, points: dict, results: dict, server_logs: dict) -> None:
    """RSS with 8 sessions, each app on a fresh process (nothing left from the timed runs)."""
    for name, start in APPS.items():
        if args.skip_memory or args.first_paint_only:
            results[name]["memory"] = {}
            continue
        server = start()
        try:
            results[name]["memory"] = mem = memory_run(browser, server, name == "ours", points)
        finally:
            server.stop()
            server_logs[name + "_memory"] = server.log_text()
        print(f"memory {name}: " + (mem.get("error") or f"start {mem['rss_start_mb']:.0f} MB, 8 sessions "
                                    f"{mem['rss_8_sessions_mb']:.0f} MB, peak {mem['rss_peak_mb']:.0f} MB"), flush=True)


def measure(args, points: dict) -> tuple[dict, dict, dict]:
    """Every measurement of one benchmark run: (results per app, first paints, server logs)."""
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {name: {"runs": []} for name in APPS}
    server_logs: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            paints = timed_runs(browser, args, points, results, server_logs)
            memory_runs(browser, args, points, results, server_logs)
        finally:
            browser.close()
    return results, paints, server_logs


def report(result: dict, paint: dict) -> Report:
    """latest.md: first paints, the explorer's table, targets, breakdowns, problems, machine."""
    runs = result["runs_per_app"]
    md = Report("Benchmark: our map explorer vs the naive reference app",
                f"{runs} fresh browser contexts per app (+1 untimed warm-up each) · {result['elapsed_s']:.0f} s",
                date=result["date"])
    md.section("First paint of every page with a map").raw(first_paint.table_md(paint))
    md.para("Navigation → the 84 counties drawn and coloured (floor app: → its title shown); layout shift = the sum "
            "of the page's layout-shift entries from navigation to 4 s after drawn (at least the CLS metric). "
            "Largest shifts of the worst run per page:")
    md.raw(first_paint.worst_shifts_md(paint))
    md.section("Explorer: load, click, filter, bytes, memory").table(explorer_metrics.HEAD, result["table"])
    md.para("Medians with the 25th–75th percentiles; click rows pool 3 clicks per run. KB = 1024 bytes; WebSocket "
            "sizes are the frame payloads (Streamlit's WebSocket is uncompressed).")
    md.section("Targets").bullets(f"{'met' if t['met'] else '**missed**'}: {t['target']} ({t['value']})"
                                  for t in result["targets"])
    md.section("Where the time and bytes go (medians)").table(["", "ours", "naive"],
                                                              explorer_metrics.breakdown_rows(result["breakdown"]))
    md.section("Problems seen").bullets(result["problems"])
    return md.machine(result["machine"]).command("benchmarks.run_benchmark", "" if runs == 5 else f"--runs {runs}",
                                                 note="method: benchmarks/README.md")


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    results, paints, server_logs = measure(args, click_points())
    summary = {name: explorer_metrics.metrics(results[name]["runs"], results[name]["memory"]) for name in results}
    rows = explorer_metrics.table(summary["ours"], summary["naive"], results["ours"]["runs"], results["naive"]["runs"])
    paint = first_paint.summary(paints)
    goals = first_paint.targets(paint)
    if not args.first_paint_only:
        goals += explorer_metrics.targets(summary["ours"], summary["naive"], results["ours"]["runs"])
    problems, tracebacks = explorer_metrics.problems(results, server_logs)
    problems += [f"first paint {label}: {e}" for label, v in paint.items() for e in v["errors"]]
    result = {
        "first_paint": paint, "first_paint_raw": paints,
        "date": now(), "runs_per_app": args.runs, "elapsed_s": time.monotonic() - started, "machine": machine_info(),
        "summary": summary, "table": rows, "breakdown": {name: explorer_metrics.breakdowns(results[name]["runs"])
                                                         for name in results},
        "targets": [{"target": g, "met": ok, "value": v} for g, ok, v in goals],
        "problems": problems, "server_tracebacks": tracebacks, "raw": results,
    }
    print("\n" + explorer_metrics.console_table(rows) + "\n")
    for goal, ok, value in goals:
        print(f"target {'MET   ' if ok else 'MISSED'} {goal}: {value}")
    for p in problems:
        print("problem:", p)
    print("\n".join(first_paint.table_md(paint)))
    write_json(RESULTS / "latest.json", result)
    report(result, paint).write(RESULTS / "latest.md")
    print(f"\n{args.runs} runs per app, {result['elapsed_s']:.0f} s; wrote {RESULTS / 'latest.json'} and latest.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
