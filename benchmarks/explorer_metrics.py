"""The explorer benchmark's numbers: from the runs of benchmarks/explorer_runs.py to metrics
(median, p25–p75 per app), ours/naive rows, targets, breakdowns and the problems seen.
Pure functions over the runs' dicts; benchmarks/run_benchmark.py prints and reports them.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict

from benchmarks.common import BENCH_COUNTIES, VIEW, quantiles

#: the columns of the ours/naive table (the console's and the report's)
HEAD = ["metric", "ours median (p25–p75)", "naive median (p25–p75)", "ours/naive"]


def _kb(b):
    return b / 1024


def metrics(runs: list[dict], memory: dict) -> dict[str, dict]:
    """metric name -> {'samples': [...], 'unit': ...} for one app."""
    ok = [r for r in runs if "error" not in r]
    ph = lambda r, name: r["phases"].get(name, {})  # noqa: E731
    clicks = [f"click{i + 1}" for i in range(len(BENCH_COUNTIES))]

    def per_click(key, fn=lambda v: v):
        return [fn(ph(r, c).get(key, 0)) for r in ok for c in clicks]

    m = {
        "First load: navigation → 84 counties drawn": ("ms", [r["load_ms"] for r in runs if "load_ms" in r]),
        "First load: map payload (map element over WS + geometry over HTTP)":
            ("KB", [_kb(ph(r, "load")["map_element_bytes"] + ph(r, "load")["geometry_bytes"]) for r in ok]),
        "First load: map element(s) over WebSocket": ("KB", [_kb(ph(r, "load")["map_element_bytes"]) for r in ok]),
        "First load: geometry over HTTP (decoded)": ("KB", [_kb(ph(r, "load")["geometry_bytes"]) for r in ok]),
        "First load: geometry over HTTP (transferred, gzip)": ("KB", [_kb(ph(r, "load")["geometry_transfer"]) for r in ok]),
        "First load: all WebSocket bytes received": ("KB", [_kb(ph(r, "load")["ws_recv_bytes"]) for r in ok]),
        "First load: all HTTP bytes transferred (JS, CSS, fonts, geometry)": ("KB", [_kb(ph(r, "load")["http_transfer"]) for r in ok]),
        "First load: reruns requested by the browser": ("", [ph(r, "load")["reruns"] for r in ok]),
        "First load: server rerun time (BackMsg → script_finished)": ("ms", [v for r in ok for v in ph(r, "load")["rerun_ms"]]),
        "Click → detail panel shows the county": ("ms", [v for r in runs for v in r.get("click_ms", [])]),
        "Click: click → rerun request leaves the browser": ("ms", [v for r in runs for v in r.get("click_to_request_ms", [])]),
        "Click: WebSocket bytes received": ("KB", per_click("ws_recv_bytes", _kb)),
        "Click: map element bytes re-sent": ("KB", per_click("map_element_bytes", _kb)),
        "Click: server rerun time": ("ms", [v for r in ok for c in clicks for v in ph(r, c).get("rerun_ms", [])]),
        "Click: reruns per click": ("", per_click("reruns")),
        "Filter change → county recoloured": ("ms", [r["filter_ms"] for r in runs if "filter_ms" in r]),
        "Filter: WebSocket bytes received": ("KB", [_kb(ph(r, "filter")["ws_recv_bytes"]) for r in ok]),
        "Filter: map element bytes re-sent": ("KB", [_kb(ph(r, "filter")["map_element_bytes"]) for r in ok]),
        "Filter: server rerun time": ("ms", [v for r in ok for v in ph(r, "filter")["rerun_ms"]]),
        "Pan/zoom (setView): reruns triggered": ("", [ph(r, "view_before_click").get("reruns", 0) for r in ok]),
        "Pan/zoom (setView): WebSocket bytes received": ("KB", [_kb(ph(r, "view_before_click").get("ws_recv_bytes", 0)) for r in ok]),
        "RSS at start (no session)": ("MB", [memory.get("rss_start_mb")]),
        "RSS with 8 sessions (each loaded + 1 click)": ("MB", [memory.get("rss_8_sessions_mb")]),
        "RSS peak while the 8 sessions loaded": ("MB", [memory.get("rss_peak_mb")]),
    }
    return {k: {"unit": u, "samples": [s for s in v if s is not None], **quantiles(v)} for k, (u, v) in m.items()}


def breakdowns(runs: list[dict]) -> dict:
    """Median load milestones and median WebSocket bytes per element type and phase."""
    ok = [r for r in runs if "error" not in r]
    load = defaultdict(list)
    for r in ok:
        for k, v in (r.get("load_breakdown") or {}).items():
            load[k].append(v)
    by = {}
    for phase in ("load", "click1", "filter"):
        kinds = defaultdict(list)
        for r in ok:
            for k, v in r["phases"].get(phase, {}).get("by_element", {}).items():
                kinds[k].append(v)
        by[phase] = {k: statistics.median(v + [0] * (len(ok) - len(v))) for k, v in kinds.items()}
    return {"load_ms": {k: statistics.median(v) for k, v in load.items()}, "ws_bytes_by_element": by}


def breakdown_rows(bd: dict) -> list[list[str]]:
    """Rows of (what, ours, naive): load milestones in ms, then the 6 largest element types per phase in KB."""
    rows = []
    keys = list(dict.fromkeys(list(bd["ours"]["load_ms"]) + list(bd["naive"]["load_ms"])))
    for k in keys:
        o, n = bd["ours"]["load_ms"].get(k), bd["naive"]["load_ms"].get(k)
        rows.append([f"load: {k} [ms after navigation]", "" if o is None else f"{o:.0f}", "" if n is None else f"{n:.0f}"])
    for phase in ("load", "click1", "filter"):
        kinds = sorted(set(bd["ours"]["ws_bytes_by_element"][phase]) | set(bd["naive"]["ws_bytes_by_element"][phase]),
                       key=lambda k: -max(bd["ours"]["ws_bytes_by_element"][phase].get(k, 0),
                                          bd["naive"]["ws_bytes_by_element"][phase].get(k, 0)))
        for k in kinds[:6]:
            o = bd["ours"]["ws_bytes_by_element"][phase].get(k, 0) / 1024
            n = bd["naive"]["ws_bytes_by_element"][phase].get(k, 0) / 1024
            rows.append([f"WS {phase}: {k} [KB]", f"{o:.1f}", f"{n:.1f}"])
    return rows


def survival(runs: list[dict], key: str) -> str:
    rows = [r[key] for r in runs if key in r]
    kept = sum(1 for s in rows if s["marker"] and s["same_map"] and s["zoom"] == VIEW[1])
    zoom = sum(1 for s in rows if s["zoom"] == VIEW[1])
    return f"{kept}/{len(rows)} kept (zoom 9 kept {zoom}/{len(rows)})"


def _fmt(q: dict, unit: str) -> str:
    if not q["n"]:
        return "n/a"
    digits = 0 if unit in ("ms", "") and q["median"] >= 10 else 1
    med = f"{q['median']:.{digits}f}"
    if q["n"] == 1 or q["p25"] == q["p75"]:
        return f"{med}"
    return f"{med} ({q['p25']:.{digits}f}–{q['p75']:.{digits}f})"


def table(ours: dict, naive: dict, ours_runs, naive_runs) -> list[list[str]]:
    rows = []
    for name in ours:
        o, n = ours[name], naive[name]
        unit = o["unit"]
        ratio = "n/a"
        if o["n"] and n["n"] and n["median"]:
            ratio = f"{o['median'] / n['median']:.2f}"
        elif o["n"] and n["n"] and not n["median"] and not o["median"]:
            ratio = "—"
        rows.append([f"{name}{f' [{unit}]' if unit else ''}", _fmt(o, unit), _fmt(n, unit), ratio])
    rows.append(["Map kept after a click (JS marker + same map + zoom 9)", survival(ours_runs, "click_survival"),
                 survival(naive_runs, "click_survival"), ""])
    rows.append(["Map kept after a filter change (JS marker + same map + zoom 9)", survival(ours_runs, "filter_survival"),
                 survival(naive_runs, "filter_survival"), ""])
    return rows


def console_table(rows: list[list[str]]) -> str:
    """The ours/naive table as aligned plain text, for the terminal."""
    widths = [max(len(str(r[i])) for r in rows + [HEAD]) for i in range(len(HEAD))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEAD, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def targets(ours: dict, naive: dict, ours_runs) -> list[tuple[str, bool, str]]:
    def med(d, k):
        return d[k]["median"]

    out = []
    load_o, load_n = med(ours, "First load: map payload (map element over WS + geometry over HTTP)"), \
        med(naive, "First load: map payload (map element over WS + geometry over HTTP)")
    if load_o is not None and load_n:
        out.append(("first-load map payload ≤ 40% of naive", load_o / load_n <= 0.40, f"{load_o / load_n:.0%}"))
    c_o, c_n = med(ours, "Click → detail panel shows the county"), med(naive, "Click → detail panel shows the county")
    if c_o is not None and c_n:
        out.append(("click → detail ≤ 60% of naive", c_o / c_n <= 0.60, f"{c_o / c_n:.0%}"))
    rows = [r["filter_survival"] for r in ours_runs if "filter_survival" in r]
    out.append(("filter change without remount (zoom kept)",
                bool(rows) and all(s["marker"] and s["same_map"] and s["zoom"] == VIEW[1] for s in rows),
                survival(ours_runs, "filter_survival")))
    r_o, r_n = med(ours, "RSS with 8 sessions (each loaded + 1 click)"), med(naive, "RSS with 8 sessions (each loaded + 1 click)")
    if r_o is not None and r_n is not None:
        out.append(("RSS with 8 sessions < naive and < 450 MB", r_o < r_n and r_o < 450, f"{r_o:.0f} MB vs {r_n:.0f} MB"))
    return out


def problems(results: dict[str, dict], server_logs: dict[str, str]) -> tuple[list[str], dict[str, int]]:
    """What went wrong in the runs (errors, page errors, failed or non-local requests, warnings,
    st.exception elements, memory errors) and the Tracebacks per server log."""
    tracebacks = {name: len(re.findall(r"Traceback", text)) for name, text in server_logs.items()}
    found = []
    for name in ("ours", "naive"):
        for i, r in enumerate(results[name]["runs"]):
            if "error" in r:
                found.append(f"{name} run {i + 1}: {r['error']}")
            for key in ("page_errors", "failed_requests", "external_requests", "warnings"):
                found += [f"{name} run {i + 1} {key}: {item}" for item in r.get(key, [])]
            if r.get("exceptions_on_page"):
                found.append(f"{name} run {i + 1}: {r['exceptions_on_page']} st.exception element(s)")
        if results[name]["memory"].get("error"):
            found.append(f"{name} memory: {results[name]['memory']['error']}")
    found += [f"server log {name}: {n} Traceback(s)" for name, n in tracebacks.items() if n]
    return found, tracebacks
