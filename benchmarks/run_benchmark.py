"""Our map explorer against the naive reference app, in headless Chromium.

    .venv/bin/python benchmarks/run_benchmark.py [--runs N]

Starts dashboard.py (page /explorer) and benchmarks/naive_app.py on free localhost ports and,
N times per app with a fresh browser context each, measures: first load, 3 county clicks,
a chain-filter change, bytes sent to the browser per phase, server rerun times, whether the
map survives (zoom and JS state kept) a click and a filter change; then RSS of each server
with 8 sessions open. Prints a table and writes benchmarks/results/latest.json and .md.
See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import re
import sys
import time
from collections import defaultdict

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import first_paint
from benchmarks.common import (
    BENCH_COUNTIES,
    CHROMIUM,
    CHROMIUM_ARGS,
    FILTER_CHAIN,
    JS_APPLIED,
    JS_DETAIL_HAS,
    JS_DRAWN,
    JS_FILL,
    JS_FILL_CHANGED,
    JS_IDLE,
    JS_SET_VIEW,
    JS_SURVIVAL,
    LOCAL,
    RECOLOUR_COUNTY,
    RESULTS,
    VIEW,
    VIEWPORT,
    PeakRss,
    click_point,
    county_points,
    machine_info,
    probe,
    quantiles,
    start_naive,
    start_ours,
    write_json,
    write_text,
)

WAIT_MS = 30_000
SUCCESS = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
#: the map component of each app: ours (fjchains/app/map_frame.py), the naive one's streamlit-folium
MAP_COMPONENTS = ("fjchains.app.map_frame.county_map", "streamlit_folium.st_folium")


def _phase_stats() -> dict:
    return {"ws_recv_bytes": 0, "ws_frames": 0, "ws_sent_bytes": 0, "map_element_bytes": 0, "map_elements": 0,
            "geometry_bytes": 0, "geometry_transfer": 0, "http_bytes": 0, "http_transfer": 0, "reruns": 0,
            "rerun_ms": [], "ref_hash_msgs": 0, "by_element": {}, "rerun_sent_at": []}


class Recorder:
    """WebSocket frames and HTTP bodies of one page, per phase, from a CDP session.

    CDP (not page.on('websocket')) because its events carry the browser's own timestamps,
    which the rerun timing needs; the frames are the same ones Playwright would report.
    Streamlit's WebSocket is uncompressed (server.enableWebsocketCompression=false), so the
    payload sizes are also the bytes on the wire.
    """

    def __init__(self, context, page):
        self.phase = "load"
        self.stats: dict[str, dict] = defaultdict(_phase_stats)
        self.pending: list[tuple[float, str]] = []  # (browser timestamp, phase) of rerun BackMsgs
        self.last_frame = time.monotonic()
        self.requests: dict[str, tuple[str, str]] = {}
        self.decode_errors = 0
        self.external: list[str] = []
        self.ws_extensions = None
        cdp = context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameReceived", self._received)
        cdp.on("Network.webSocketFrameSent", self._sent)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
        self.cdp = cdp

    @staticmethod
    def _payload(params) -> bytes:
        resp = params["response"]
        if resp.get("opcode") == 2:
            return base64.b64decode(resp.get("payloadData", ""))
        return resp.get("payloadData", "").encode()

    def _handshake(self, params):
        headers = {k.lower(): v for k, v in params["response"].get("headers", {}).items()}
        self.ws_extensions = headers.get("sec-websocket-extensions", "")

    def _sent(self, params):
        data = self._payload(params)
        self.last_frame = time.monotonic()
        s = self.stats[self.phase]
        s["ws_sent_bytes"] += len(data)
        try:
            msg = BackMsg.FromString(data)
        except Exception:
            return
        if msg.WhichOneof("type") == "rerun_script":
            s["reruns"] += 1
            s["rerun_sent_at"].append(time.perf_counter())
            self.pending.append((params["timestamp"], self.phase))

    def _received(self, params):
        data = self._payload(params)
        self.last_frame = time.monotonic()
        s = self.stats[self.phase]
        s["ws_recv_bytes"] += len(data)
        s["ws_frames"] += 1
        try:
            msg = ForwardMsg.FromString(data)
        except Exception:
            self.decode_errors += 1
            return
        kind = msg.WhichOneof("type")
        label = kind
        if kind == "delta":
            label = msg.delta.WhichOneof("type")
            if label == "new_element":
                el = msg.delta.new_element
                label = el.WhichOneof("type")
                if label == "component_instance":
                    label += ":" + el.component_instance.component_name
        s["by_element"][label] = s["by_element"].get(label, 0) + len(data)
        if kind == "ref_hash":
            s["ref_hash_msgs"] += 1
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            if el.WhichOneof("type") == "component_instance" and el.component_instance.component_name in MAP_COMPONENTS:
                s["map_element_bytes"] += len(data)
                s["map_elements"] += 1
        elif kind == "script_finished":
            status = msg.script_finished
            if not self.pending:
                return  # a rerun the script started itself (st.rerun): no BackMsg to pair with
            if status == EARLY and len(self.pending) == 1:
                return  # st.rerun inside the run the browser asked for: keep waiting
            if status == EARLY:
                self.pending.pop(0)  # superseded by a newer rerun request
                return
            sent, phase = self.pending[0]
            self.pending.clear()
            if status == SUCCESS:
                self.stats[phase]["rerun_ms"].append((params["timestamp"] - sent) * 1000)

    def _request(self, params):
        url = params["request"]["url"]
        if not url.startswith(LOCAL):
            self.external.append(url)
        self.requests[params["requestId"]] = (url, self.phase)

    def _data(self, params):
        url, phase = self.requests.get(params["requestId"], ("", self.phase))
        s = self.stats[phase]
        s["http_bytes"] += params.get("dataLength", 0)
        if "/app/static/generated/" in url:
            s["geometry_bytes"] += params.get("dataLength", 0)

    def _finished(self, params):
        url, phase = self.requests.get(params["requestId"], ("", self.phase))
        s = self.stats[phase]
        s["http_transfer"] += int(params.get("encodedDataLength", 0))
        if "/app/static/generated/" in url:
            s["geometry_transfer"] += int(params.get("encodedDataLength", 0))


JS_LOAD_BREAKDOWN = probe("loadBreakdown")


def settle(page, rec: Recorder | None, quiet: float = 0.5, timeout: float = 20, min_wait: float = 0.7) -> bool:
    """Wait until no rerun is pending, no frame came for `quiet` s and the page is idle.

    Waits at least min_wait: the naive app's streamlit-folium sends map events after a 250 ms debounce.
    """
    start = time.monotonic()
    deadline = start + timeout
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if time.monotonic() - start < min_wait:
            continue
        if rec is not None and (rec.pending or time.monotonic() - rec.last_frame < quiet):
            continue
        try:
            if page.evaluate(JS_IDLE):
                return True
        except Exception:
            pass
    return False


def one_run(browser, server, ours: bool, points: dict) -> dict:
    """One fresh browser context: load, 3 clicks, a filter change."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    rec = Recorder(context, page)
    page_errors, failed = [], []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    out: dict = {"warnings": []}

    def calm(label):
        if not settle(page, rec):
            out["warnings"].append(f"{label}: not idle after 20 s (pending reruns {len(rec.pending)})")

    try:
        url = server.url + ("/explorer" if ours else "/")
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=WAIT_MS)
        page.wait_for_function(JS_DRAWN, timeout=60_000, polling="raf")
        out["load_ms"] = (time.perf_counter() - t0) * 1000
        out["load_breakdown"] = page.evaluate(JS_LOAD_BREAKDOWN)
        calm("load")

        clicks = []
        for i, adcode in enumerate(BENCH_COUNTIES):
            point = points[adcode]
            if i == 0:
                rec.phase = "view_before_click"
                page.evaluate(JS_SET_VIEW, VIEW)
                calm("setView before click")
            rec.phase = "pan"
            reruns = rec.stats["pan"]["reruns"]
            where = click_point(page, point)
            if rec.stats["pan"]["reruns"] != reruns or rec.pending:
                calm("pan")
            if not where["onCounty"]:
                out["warnings"].append(f"click {adcode}: point not over a county path")
            rec.phase = f"click{i + 1}"
            t0 = time.perf_counter()
            page.mouse.click(where["x"], where["y"])
            page.wait_for_function(JS_DETAIL_HAS, arg=point["name"], timeout=WAIT_MS, polling="raf")
            clicks.append((time.perf_counter() - t0) * 1000)
            sent = rec.stats[rec.phase]["rerun_sent_at"]
            if sent:
                out.setdefault("click_to_request_ms", []).append((sent[0] - t0) * 1000)
            calm(f"click {adcode}")
            if i == 0:
                out["click_survival"] = page.evaluate(JS_SURVIVAL)
        out["click_ms"] = clicks

        rec.phase = "view_before_filter"
        page.evaluate(JS_SET_VIEW, VIEW)
        calm("setView before filter")
        before = page.evaluate(JS_FILL, RECOLOUR_COUNTY)
        applied_before = page.evaluate(JS_APPLIED)
        page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
        option = page.get_by_role("option", name=FILTER_CHAIN)
        option.wait_for(timeout=WAIT_MS)
        rec.phase = "filter"
        t0 = time.perf_counter()
        option.click()
        page.wait_for_function(JS_FILL_CHANGED, arg=[RECOLOUR_COUNTY, before], timeout=WAIT_MS, polling="raf")
        out["filter_ms"] = (time.perf_counter() - t0) * 1000
        out["fill_before_after"] = [before, page.evaluate(JS_FILL, RECOLOUR_COUNTY)]
        page.keyboard.press("Escape")
        calm("filter")
        out["filter_survival"] = page.evaluate(JS_SURVIVAL)
        out["fj_applied_before_after"] = [applied_before, page.evaluate(JS_APPLIED)]
        out["exceptions_on_page"] = page.locator("[data-testid=stException]").count()
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        shot = RESULTS / "logs" / f"failure-{server.name}.png"
        try:
            page.screenshot(path=str(shot))
            out["screenshot"] = str(shot)
        except Exception:
            pass
    finally:
        out["phases"] = {k: dict(v) for k, v in rec.stats.items()}
        out["page_errors"] = page_errors
        out["failed_requests"] = failed
        out["external_requests"] = rec.external
        out["ws_extensions"] = rec.ws_extensions
        out["decode_errors"] = rec.decode_errors
        context.close()
    return out


def memory_run(browser, server, ours: bool, points: dict, sessions: int = 8) -> dict:
    """RSS of a freshly started server once `sessions` contexts have each loaded and clicked."""
    start = server.rss_mb()
    with PeakRss(server) as sampler:
        big = sorted(points.items(), key=lambda kv: -kv[1]["area"])[:sessions]
        contexts, pages, errors = [], [], []
        try:
            for _ in range(sessions):
                c = browser.new_context(viewport=VIEWPORT)
                contexts.append(c)
                p = c.new_page()
                p.on("pageerror", lambda e: errors.append(str(e)))
                pages.append(p)
            url = server.url + ("/explorer" if ours else "/")
            for p in pages:  # start all loads, then wait: the sessions load concurrently
                p.goto(url, wait_until="commit", timeout=WAIT_MS)
            for p in pages:
                p.wait_for_function(JS_DRAWN, timeout=90_000, polling=200)
            for p, (_adcode, point) in zip(pages, big):
                settle(p, None, timeout=30)
                where = click_point(p, point)
                settle(p, None, timeout=30)
                where = click_point(p, point, pan_if_needed=False)
                p.mouse.click(where["x"], where["y"])
            for p, (_adcode, point) in zip(pages, big):
                p.wait_for_function(JS_DETAIL_HAS, arg=point["name"], timeout=60_000, polling=200)
            for p in pages:
                settle(p, None, timeout=30)
            time.sleep(2)
            rss = server.rss_mb()
            return {"rss_start_mb": start, "rss_8_sessions_mb": rss, "rss_peak_mb": max(sampler.peak, rss),
                    "page_errors": errors}
        except Exception as exc:
            return {"rss_start_mb": start, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}",
                    "rss_peak_mb": sampler.peak, "page_errors": errors}
        finally:
            for c in contexts:
                c.close()


# ---- summary --------------------------------------------------------------------------

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
    import statistics

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


def breakdown_md(bd: dict) -> list[str]:
    lines = ["## Where the time and bytes go (medians)", "", "| | ours | naive |", "|---|---|---|"]
    keys = list(dict.fromkeys(list(bd["ours"]["load_ms"]) + list(bd["naive"]["load_ms"])))
    for k in keys:
        o, n = bd["ours"]["load_ms"].get(k), bd["naive"]["load_ms"].get(k)
        lines.append(f"| load: {k} [ms after navigation] | {'' if o is None else f'{o:.0f}'} | {'' if n is None else f'{n:.0f}'} |")
    for phase in ("load", "click1", "filter"):
        kinds = sorted(set(bd["ours"]["ws_bytes_by_element"][phase]) | set(bd["naive"]["ws_bytes_by_element"][phase]),
                       key=lambda k: -max(bd["ours"]["ws_bytes_by_element"][phase].get(k, 0),
                                          bd["naive"]["ws_bytes_by_element"][phase].get(k, 0)))
        for k in kinds[:6]:
            o = bd["ours"]["ws_bytes_by_element"][phase].get(k, 0) / 1024
            n = bd["naive"]["ws_bytes_by_element"][phase].get(k, 0) / 1024
            lines.append(f"| WS {phase}: {k} [KB] | {o:.1f} | {n:.1f} |")
    return lines


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


def render_table(rows, markdown: bool) -> str:
    head = ["metric", "ours median (p25–p75)", "naive median (p25–p75)", "ours/naive"]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(4)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def targets(ours: dict, naive: dict, ours_runs) -> list[tuple[str, bool | None, str]]:
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="fresh browser contexts per app (default 5)")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the 8-session RSS measurement")
    parser.add_argument("--first-paint-only", action="store_true",
                        help="only the first paint of every map page, the naive app and the floor app")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    points = county_points()
    for adcode in BENCH_COUNTIES:
        if adcode not in points:
            raise SystemExit(f"no inner point for {adcode}")
    # area of the shrunk polygon, to pick counties big enough to click at the default zoom
    from fjchains.data.boundaries import load_boundaries
    b = load_boundaries()
    for adcode, geom in zip(b["adcode"], b.geometry):
        if adcode in points:
            points[adcode]["area"] = geom.buffer(-0.03).area

    results: dict[str, dict] = {"ours": {"runs": []}, "naive": {"runs": []}}
    server_logs = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            servers = {"ours": start_ours(), "naive": start_naive()}
            try:
                # one untimed warm-up load per app (first import of plotly, geopandas, ... in the server)
                for name, server in servers.items():
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
                        status = r.get("error") or (f"load {r['load_ms']:.0f} ms, clicks "
                                                    f"{', '.join(f'{c:.0f}' for c in r['click_ms'])} ms, "
                                                    f"filter {r['filter_ms']:.0f} ms")
                        print(f"run {i + 1}/{args.runs} {name}: {status}"
                              + (f" [warnings: {'; '.join(r['warnings'])}]" if r["warnings"] else ""), flush=True)
            finally:
                for name, server in servers.items():
                    server.stop()
                    server_logs[name] = server.log_text()

            for name, starter in (("ours", start_ours), ("naive", start_naive)):
                if args.skip_memory or args.first_paint_only:
                    results[name]["memory"] = {}
                    continue
                server = starter()  # fresh process: nothing left from the timed runs
                try:
                    results[name]["memory"] = memory_run(browser, server, name == "ours", points)
                finally:
                    server.stop()
                    server_logs[name + "_memory"] = server.log_text()
                mem = results[name]["memory"]
                print(f"memory {name}: " + (mem.get("error") or
                      f"start {mem['rss_start_mb']:.0f} MB, 8 sessions {mem['rss_8_sessions_mb']:.0f} MB, "
                      f"peak {mem['rss_peak_mb']:.0f} MB"), flush=True)
        finally:
            browser.close()

    summary = {name: metrics(results[name]["runs"], results[name]["memory"]) for name in results}
    bd = {name: breakdowns(results[name]["runs"]) for name in results}
    rows = table(summary["ours"], summary["naive"], results["ours"]["runs"], results["naive"]["runs"])
    goals = [] if args.first_paint_only else targets(summary["ours"], summary["naive"], results["ours"]["runs"])
    paint = first_paint.summary(paints)
    goals = first_paint.targets(paint) + goals
    tracebacks = {name: len(re.findall(r"Traceback", text)) for name, text in server_logs.items()}
    problems = []
    for name in ("ours", "naive"):
        for i, r in enumerate(results[name]["runs"]):
            for key in ("error",):
                if key in r:
                    problems.append(f"{name} run {i + 1}: {r[key]}")
            for key in ("page_errors", "failed_requests", "external_requests", "warnings"):
                for item in r.get(key, []):
                    problems.append(f"{name} run {i + 1} {key}: {item}")
            if r.get("exceptions_on_page"):
                problems.append(f"{name} run {i + 1}: {r['exceptions_on_page']} st.exception element(s)")
        if results[name]["memory"].get("error"):
            problems.append(f"{name} memory: {results[name]['memory']['error']}")
    for name, n in tracebacks.items():
        if n:
            problems.append(f"server log {name}: {n} Traceback(s)")

    info = machine_info()
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    elapsed = time.monotonic() - started
    text = render_table(rows, markdown=False)
    print()
    print(text)
    print()
    for goal, ok, value in goals:
        print(f"target {'MET   ' if ok else 'MISSED'} {goal}: {value}")
    for p in problems:
        print("problem:", p)
    print(f"\n{args.runs} runs per app, {elapsed:.0f} s; wrote {RESULTS / 'latest.json'} and latest.md")

    for label, v in paint.items():
        problems += [f"first paint {label}: {e}" for e in v["errors"]]
    print("\n".join(first_paint.table_md(paint)))
    write_json(RESULTS / "latest.json", {
        "first_paint": paint, "first_paint_raw": paints,
        "date": now, "runs_per_app": args.runs, "elapsed_s": elapsed, "machine": info,
        "summary": summary, "table": rows, "breakdown": bd,
        "targets": [{"target": g, "met": ok, "value": v} for g, ok, v in goals],
        "problems": problems, "server_tracebacks": tracebacks, "raw": results,
    })
    md = ["# Benchmark: our map explorer vs the naive reference app", "",
          f"{now} · {args.runs} fresh browser contexts per app (+1 untimed warm-up each) · {elapsed:.0f} s", "",
          "## First paint of every page with a map", "",
          *first_paint.table_md(paint), "",
          "Navigation → the 84 counties drawn and coloured (floor app: → its title shown); layout shift = "
          "the sum of the page's layout-shift entries from navigation to 4 s after drawn (at least the CLS "
          "metric). Largest shifts of the worst run per page:", "",
          *first_paint.worst_shifts_md(paint), "",
          "## Explorer: load, click, filter, bytes, memory", "",
          render_table(rows, markdown=True), "",
          "Medians with the 25th–75th percentiles; click rows pool 3 clicks per run. "
          "KB = 1024 bytes; WebSocket sizes are the frame payloads (Streamlit's WebSocket is uncompressed).", "",
          "## Targets", ""]
    md += [f"- {'met' if ok else '**missed**'}: {g} ({v})" for g, ok, v in goals]
    md += [""] + breakdown_md(bd)
    md += ["", "## Problems seen", ""] + ([f"- {p}" for p in problems] or ["- none"])
    md += ["", "## Machine", ""] + [f"- {k}: {v}" for k, v in info.items()]
    md += ["", "Command: `.venv/bin/python benchmarks/run_benchmark.py" + (f" --runs {args.runs}" if args.runs != 5 else "")
           + "`; method: benchmarks/README.md.", ""]
    write_text(RESULTS / "latest.md", "\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
