"""First paint, mechanism by mechanism: all on, then each one off in turn (issue 25.5).

    .venv/bin/python -m benchmarks.first_paint_ablation [--runs N] [--pages / /explorer /chains]
    (part of `make benchmark`)

The mechanisms are the fields of fjchains.app.first_paint.Mechanisms. Each configuration is
its own server (benchmarks/ablation_serve.py: serve.py with FJ_FIRST_PAINT_OFF naming the one
mechanism off), beside the naive and the floor app; every run loads every (configuration,
page) once in a fresh browser context, in a rotated order, so the machine's drift and the
other work on it hit all alike (benchmarks/first_paint.py `one_page`: navigation → the 84
counties drawn and coloured, then 4 s of layout shifts). Also measured: the server process's
CPU time (user + system, psutil) from navigation to the end of those 4 s: one page load.

A mechanism is worth keeping when turning it off makes the first paint at least 5 % slower
(median over the pages of the ratio off ÷ all on) or the layout shift at least 0.05 larger.
Writes results/first_paint_ablation.json and .md (benchmarks/report.py; `--name` another stem).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from typing import Any

from benchmarks import first_paint
from benchmarks.common import (
    BENCH,
    CHROMIUM,
    CHROMIUM_ARGS,
    RESULTS,
    Server,
    machine_info,
    start_naive,
    start_server,
    write_json,
)
from benchmarks.report import Report, now
from fjchains.app.first_paint import Mechanisms

MECHANISMS = [f.name for f in dataclasses.fields(Mechanisms)]
CONFIGS = ["all on", *(f"{m} off" for m in MECHANISMS)]
PAGES = ["/", "/explorer", "/chains"]
#: Pages a mechanism changes anything on (default: every page): the headline row is the overview's.
APPLIES = {"sized_placeholders off": ["/"]}
NAME = "first_paint_ablation"
#: a mechanism stays if it buys at least this much (issue 25.5)
MIN_GAIN, MIN_SHIFT = 0.05, 0.05


def start_config(config: str) -> Server:
    off = "" if config == "all on" else config.removesuffix(" off")
    return start_server(f"ablation-{off or 'all'}", BENCH / "ablation_serve.py", env={"FJ_FIRST_PAINT_OFF": off})


def cpu_seconds(server: Server) -> float:
    """User + system CPU time of the server process and its children so far."""
    import psutil

    proc = psutil.Process(server.proc.pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def one_load(browser, server: Server, case: first_paint.PageCase) -> dict:
    before = cpu_seconds(server)
    out = first_paint.one_page(browser, server, case)
    out["cpu_ms"] = (cpu_seconds(server) - before) * 1000
    return out


def run(browser, servers: dict[str, Server], pages: list[str], runs: int, log=print) -> dict[str, list[dict]]:
    """label -> one result per run; labels "floor", "naive" and "<config> <page>". Per run, each
    page is loaded under every configuration one after another (in an order rotated each run),
    so the configurations of one page meet the same moment of the machine: summary() compares
    them run by run."""
    results: dict[str, list[dict]] = {"floor": [], "naive": []}
    results |= {f"{config} {path}": [] for config in CONFIGS for path in pages}
    for i in range(runs + 1):  # run 0: untimed warm-up of every case
        shift = i % len(CONFIGS)
        cases = [first_paint.PageCase("floor", "floor", "/"), first_paint.PageCase("naive", "naive", "/")]
        cases += [first_paint.PageCase(f"{config} {path}", config, path)
                  for path in pages for config in CONFIGS[shift:] + CONFIGS[:shift]]
        for case in cases:
            r = one_load(browser, servers[case.app], case)
            if i:
                results[case.label].append(r)
            log(f"{'warm-up' if not i else f'{i}/{runs}'} {case.label}: "
                + (r.get("error") or f"{r['ms']:.0f} ms, CLS {r['cls']:.3f}, CPU {r['cpu_ms']:.0f} ms"))
    return results


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summary(results: dict[str, list[dict]], pages: list[str], configs: list[str] | None = None) -> dict:
    configs = configs or CONFIGS
    def med(label: str, key: str) -> float | None:
        return _median(r.get(key) for r in results[label] if "error" not in r)

    floor, naive = med("floor", "ms"), med("naive", "ms")
    floor_cpu, naive_cpu = med("floor", "cpu_ms"), med("naive", "cpu_ms")
    rows: dict[str, dict[str, Any]] = {}
    for config in configs:
        per_page = {p: {k: med(f"{config} {p}", k) for k in ("ms", "cls", "cpu_ms")} for p in pages}
        ms = _median(v["ms"] for v in per_page.values())
        rows[config] = {
            "pages": per_page,
            "ms": ms,
            "to_naive": _median(v["ms"] / naive for v in per_page.values() if v["ms"] and naive),
            "to_floor": _median(v["ms"] / floor for v in per_page.values() if v["ms"] and floor),
            "cls": _median(v["cls"] for v in per_page.values()),
            "cpu_ms": _median(v["cpu_ms"] for v in per_page.values()),
            "cpu_to_naive": _median(v["cpu_ms"] / naive_cpu for v in per_page.values() if v["cpu_ms"] and naive_cpu),
            "cpu_to_floor": _median(v["cpu_ms"] / floor_cpu for v in per_page.values() if v["cpu_ms"] and floor_cpu),
            "errors": sum(1 for p in pages for r in results[f"{config} {p}"] if "error" in r),
        }
    for config in configs[1:]:
        row = rows[config]
        ratios, shifts = [], []  # run by run, on the pages the mechanism changes anything on
        for p in APPLIES.get(config, pages):
            if p not in pages:
                continue
            for off, on in zip(results[f"{config} {p}"], results[f"all on {p}"], strict=False):
                if "error" not in off and "error" not in on:
                    ratios.append(off["ms"] / on["ms"])
                    shifts.append(off["cls"] - on["cls"])
        row["pages_compared"] = [p for p in APPLIES.get(config, pages) if p in pages]
        row["gain"] = _median(r - 1 for r in ratios)  # how much slower the first paint is without it
        row["shift_gain"] = _median(shifts)
        row["keep"] = bool((row["gain"] or 0) >= MIN_GAIN or (row["shift_gain"] or 0) >= MIN_SHIFT)
    return {"floor_ms": floor, "naive_ms": naive, "floor_cpu_ms": floor_cpu, "naive_cpu_ms": naive_cpu,
            "configs": rows}


def _f(v, fmt: str) -> str:
    return "n/a" if v is None else format(v, fmt)


def table_rows(s: dict) -> list[list[str]]:
    out = []
    for config, row in s["configs"].items():
        verdict = "" if config == "all on" else (
            f"{_f(row['gain'] * 100 if row['gain'] is not None else None, '+.0f')} % first paint, "
            f"{_f(row['shift_gain'], '+.3f')} shift ({' '.join(row['pages_compared'])}): "
            f"{'keep' if row['keep'] else 'delete'}")
        out.append([config, _f(row["ms"], ".0f"), _f(row["to_naive"], ".2f"), _f(row["to_floor"], ".2f"),
                    _f(row["cls"], ".3f"), _f(row["cpu_ms"], ".0f"), _f(row.get("cpu_to_naive"), ".2f"),
                    _f(row.get("cpu_to_floor"), ".2f"), verdict])
    return out


HEAD = ["configuration", "first paint [ms]", "÷ naive", "÷ floor", "layout shift", "server CPU per load [ms]",
        "CPU ÷ naive", "CPU ÷ floor", "without it"]


def page_rows(s: dict, pages: list[str]) -> list[list[str]]:
    return [[config, path, _f(v["ms"], ".0f"), _f(v["cls"], ".3f"), _f(v["cpu_ms"], ".0f")]
            for config, row in s["configs"].items() for path, v in row["pages"].items()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="loads of every (configuration, page) (default 5)")
    parser.add_argument("--pages", nargs="+", default=PAGES, help=f"map pages (default {' '.join(PAGES)})")
    parser.add_argument("--off", nargs="+", choices=MECHANISMS, default=MECHANISMS,
                        help="the mechanisms to turn off, one at a time (default: each)")
    parser.add_argument("--name", default=NAME, help=f"results/<name>.json and .md (default {NAME})")
    args = parser.parse_args(argv)
    CONFIGS[:] = ["all on", *(f"{m} off" for m in args.off)]
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    servers: dict[str, Server] = {}
    try:
        servers["floor"], servers["naive"] = first_paint.start_floor(), start_naive()
        for config in CONFIGS:
            servers[config] = start_config(config)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                results = run(browser, servers, args.pages, args.runs, log=lambda line: print(line, flush=True))
            finally:
                browser.close()
    finally:
        logs = {}
        for name, server in servers.items():
            server.stop()
            logs[name] = server.log_text()
    tracebacks = [name for name, text in logs.items() if "Traceback" in text]
    cli = " ".join([*(["--runs", str(args.runs)] if args.runs != 5 else []),
                    *(["--pages", *args.pages] if args.pages != PAGES else []),
                    *(["--off", *args.off] if args.off != MECHANISMS else []),
                    *(["--name", args.name] if args.name != NAME else [])])
    result = {"date": now(), "runs": args.runs, "pages": args.pages, "configs": list(CONFIGS), "command": cli,
              "elapsed_s": time.monotonic() - started, "machine": machine_info(),
              "summary": summary(results, args.pages), "raw": results, "server_tracebacks": tracebacks}
    write_json(RESULTS / f"{args.name}.json", result)
    md = report(result)
    md.write(RESULTS / f"{args.name}.md")
    print("\n".join(md.lines))
    return 0


def report(result: dict) -> Report:
    """The Markdown report of one run (its JSON result)."""
    s, results = result["summary"], result["raw"]
    md = Report("First paint, mechanism by mechanism (ablation)",
                f"{result['runs']} interleaved loads of each configuration × page ({', '.join(result['pages'])}) · "
                f"{result['elapsed_s']:.0f} s", date=result["date"])
    md.para(f"Floor app {_f(s['floor_ms'], '.0f')} ms, naive app {_f(s['naive_ms'], '.0f')} ms (medians); their "
            f"server CPU per load {_f(s.get('floor_cpu_ms'), '.0f')} ms and {_f(s.get('naive_cpu_ms'), '.0f')} ms. "
            "Per configuration the median over the pages of each page's median; \"without it\": how much slower "
            "the first paint is and how much more the page shifts, the median of the run-by-run differences off "
            "− all on (each run loads a page under every configuration back to back), on the pages the mechanism "
            f"changes; kept when ≥ {MIN_GAIN:.0%} or ≥ {MIN_SHIFT} (issue 25.5).")
    md.table(HEAD, table_rows(s))
    md.section("Per page (medians)").table(["configuration", "page", "first paint [ms]", "layout shift",
                                            "server CPU [ms]"], page_rows(s, result["pages"]))
    md.section("Problems seen").bullets([f"{label}: {r['error']}" for label, rs in results.items() for r in rs
                                         if "error" in r]
                                        + [f"traceback in the {n} server's log" for n in result["server_tracebacks"]])
    return md.machine(result["machine"]).command("benchmarks.first_paint_ablation", result.get("command", ""),
                                                 note="method: benchmarks/README.md")


if __name__ == "__main__":
    sys.exit(main())
