"""Shared by the benchmarks: servers, click points, browser probes (probes.js), quantiles, the
machine's description and atomic writes of results (Markdown reports: benchmarks/report.py).

Everything runs on localhost: `streamlit run` on free ports, Debian's headless Chromium.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from harness.server import CHROMIUM, CHROMIUM_ARGS, MAP_IFRAME, start_app, stop_app

ROOT = Path(__file__).resolve().parents[1]
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "MAP_IFRAME", "start_app"]  # the benchmarks' browser and server

BENCH = ROOT / "benchmarks"
RESULTS = BENCH / "results"
LOGS = RESULTS / "logs"
VIEWPORT = {"width": 1440, "height": 900}
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://127.0.0.1", "ws://localhost", "data:", "blob:", "about:")

# Counties clicked by the benchmark (all visible at zoom 9 around [24.8, 118.6]).
BENCH_COUNTIES = ["350582", "350583", "350213"]  # 晋江市, 南安市, 翔安区
RECOLOUR_COUNTY = "350582"  # 晋江市: count colour before, 集成电路 colour after
FILTER_CHAIN = "集成电路"
VIEW = ([24.8, 118.6], 9)


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            stop_app(self.proc)

    def rss_mb(self) -> float:
        """RSS of the server process and its children, in MB."""
        import psutil

        try:
            p = psutil.Process(self.proc.pid)
            procs = [p] + p.children(recursive=True)
        except psutil.NoSuchProcess:
            return float("nan")
        total = 0
        for q in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += q.memory_info().rss
        return total / 2**20

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start_server(name: str, script: Path, extra: list[str] | None = None, timeout: float = 60,
                 env: dict[str, str] | None = None) -> Server:
    """`streamlit run script` on a free port, through the browser tests' own starter.

    Both apps run with the same flags; the file watcher is off so edits in the tree (and
    the watcher's CPU use) do not disturb the measurement. `env` adds environment variables.
    """
    LOGS.mkdir(parents=True, exist_ok=True)
    flags = ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *(extra or [])]
    proc, url = start_app(script, env={"PYTHONUNBUFFERED": "1", **(env or {})}, timeout=timeout, extra=flags,
                          log_path=LOGS / f"{name}.log")
    return Server(name, proc, url, proc.log_path)


class PeakRss:
    """Samples a server's RSS in a background thread while the `with` block runs."""

    def __init__(self, server: Server, every: float = 0.2):
        self.server, self.every, self.peak = server, every, server.rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb())
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(2)


def start_ours() -> Server:
    return start_server("ours", ROOT / "serve.py")


def start_naive() -> Server:
    link = BENCH / "static"
    if not link.exists():
        raise RuntimeError("benchmarks/static is missing: ln -s ../static benchmarks/static")
    server = start_server("naive", BENCH / "naive_app.py", ["--server.enableStaticServing", "true"])
    try:
        urllib.request.urlopen(f"{server.url}/app/static/vendor/leaflet/leaflet.js", timeout=5).read(16)
    except OSError as exc:
        server.stop()
        raise RuntimeError(f"naive app: Leaflet not served from /app/static ({exc})") from exc
    return server


def county_points(min_area: float = 0.0) -> dict[str, dict]:
    """adcode -> {name, lat, lng}: a point well inside each county (buffer -0.03 deg).

    Counties too small to hold such a point (min_area: of the shrunk polygon, deg^2) are left out.
    """
    from fjchains.data.boundaries import load_boundaries
    from fjchains.data.tables import load_tables

    b = load_boundaries()
    names = load_tables().counties.set_index("adcode")["name_zh"]
    out = {}
    for adcode, geom in zip(b["adcode"], b.geometry):
        inner = geom.buffer(-0.03)
        if inner.is_empty or inner.area <= min_area:
            continue
        p = inner.representative_point()
        out[adcode] = {"name": names[adcode], "lat": p.y, "lng": p.x}
    return out


# ---- JavaScript run in the top page (the map iframe is same-origin) -------------------

PROBES = (Path(__file__).parent / "probes.js").read_text(encoding="utf-8")


def probe(name: str) -> str:
    """A probe of benchmarks/probes.js as a function for page.evaluate / wait_for_function."""
    return f"(arg) => ({PROBES}).{name}(arg)"


JS_DRAWN = probe("drawn")
JS_FILL = probe("fill")
JS_FILL_CHANGED = probe("fillChanged")
JS_POINT = probe("point")
JS_SET_VIEW = probe("setView")
JS_PAN_TO = probe("panTo")
JS_SCROLL_MAP = probe("scrollMapIntoView")
JS_SURVIVAL = probe("survival")
JS_DETAIL_HAS = probe("detailHas")
JS_IDLE = probe("idle")
JS_APPLIED = probe("applied")


def click_point(page, point: dict, pan_if_needed: bool = True) -> dict:
    """Viewport coordinates of a county's inner point; pans the map there if it is off-view."""
    where = page.evaluate(JS_POINT, [point["lat"], point["lng"]])
    if not where["inViewport"]:
        page.evaluate(JS_SCROLL_MAP)
        where = page.evaluate(JS_POINT, [point["lat"], point["lng"]])
    if pan_if_needed and not (where["inMap"] and where["onCounty"]):
        page.evaluate(JS_PAN_TO, [point["lat"], point["lng"]])
        page.wait_for_timeout(100)
        where = page.evaluate(JS_POINT, [point["lat"], point["lng"]])
    return where


# ---- numbers ------------------------------------------------------------------------

def quantiles(values: list[float]) -> dict:
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return {"n": 0, "median": None, "p25": None, "p75": None, "p95": None, "min": None, "max": None}
    if len(vals) == 1:
        q = [vals[0]] * 3
    else:
        q = statistics.quantiles(vals, n=4, method="inclusive")
    p95 = statistics.quantiles(vals, n=20, method="inclusive")[18] if len(vals) > 1 else vals[0]
    return {"n": len(vals), "median": statistics.median(vals), "p25": q[0], "p75": q[2], "p95": p95,
            "min": vals[0], "max": vals[-1]}


def machine_info() -> dict:
    import importlib.metadata as md

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except Exception:
        mem = "?"
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "?"
    versions = {}
    for pkg in ("streamlit", "streamlit-folium", "folium", "playwright", "geopandas", "shapely"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "?"
    return {"platform": platform.platform(), "cpu": cpu, "cpus": os.cpu_count(), "memory": mem,
            "python": platform.python_version(), "chromium": chromium, **versions}


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
