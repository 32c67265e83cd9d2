"""The explorer benchmark's driver: one timed run of an app in a fresh browser context, and its
memory with 8 sessions. Used by benchmarks/run_benchmark.py; what each number means:
benchmarks/README.md.

`one_run` loads the page, clicks 3 counties and changes the chain filter, recording the
WebSocket frames and HTTP bodies of each phase (`Recorder`); `memory_run` reads a fresh
server's RSS once 8 contexts have each loaded and clicked.
"""

from __future__ import annotations

import base64
import time
from collections import defaultdict

from benchmarks.common import (
    BENCH_COUNTIES,
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
    probe,
)
from fjchains.app.seam import protocol

BackMsg, ForwardMsg = protocol().BackMsg, protocol().ForwardMsg

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
