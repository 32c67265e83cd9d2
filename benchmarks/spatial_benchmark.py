"""How long the spatial statistics of one uploaded column take for the 84 counties.

    python -m benchmarks.spatial_benchmark   (`make spatial-benchmark`)

Moran's I + LISA (999 permutations each, fixed seed) + labels + the Plotly Moran scatter,
the work behind one "compute spatial statistics" on the Your data page; then the same
through the app's cache (a rerun, a click). Medians of 7 runs after one warm-up (esda's
import and the Queen weights, paid once per process, are measured apart). Wall and CPU
time: the machine's 2 cores may be shared while it runs. Criterion: under 1 s.
Results in benchmarks/results/spatial.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.tables import load_tables

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
BUDGET_S = 1.0


def timed(fn, runs: int = RUNS) -> tuple[float, float]:
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    tables = load_tables()
    layer = build_county_layer(load_boundaries(known_adcodes=set(tables.counties["adcode"])), tables)
    esda_import = once(lambda: __import__("esda.moran"))
    from fjchains.analysis.spatial import lisa_labels, moran_analysis
    from fjchains.geo.neighbours import queen_neighbours
    from fjchains.render.spatial_views import moran_scatter

    start = time.perf_counter()
    neighbours = queen_neighbours(layer)
    weights_s = time.perf_counter() - start
    latitude = pd.Series(layer.geometry.representative_point().y.to_numpy(), index=layer["adcode"])
    names = dict(zip(layer["adcode"], layer["name_zh"]))

    def moran_lisa_scatter():
        result = moran_analysis(latitude, neighbours)
        labels = lisa_labels(result, 0.05, fdr=True)
        return moran_scatter(result, labels, names, "zh", selected="350582").to_json()

    wall, cpu = timed(moran_lisa_scatter)
    cached_wall = _through_the_cache(latitude)
    verdict = "meets" if wall < BUDGET_S else "MISSES"
    lines = [
        "| step | wall (median) | CPU (median) |", "| --- | --- | --- |",
        f"| Moran's I + LISA (999 permutations each) + labels (FDR) + Moran scatter, 84 counties | {wall:.3f} s "
        f"| {cpu:.3f} s |",
        f"| the same through the app's cache (fjchains.app.cached.moran: a rerun or a click) | {cached_wall:.4f} s | |",
        f"| once per process: import esda (with libpysal and scikit-learn; on the first toggle) | {esda_import:.2f} s | |",
        f"| once per process: Queen neighbours of the boundary file (spatial index) | {weights_s:.2f} s | |",
    ]
    print("\n".join(lines), flush=True)
    load = os.getloadavg()
    header = (f"# Spatial statistics timings (`make spatial-benchmark`)\n\n"
              f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
              f"{os.cpu_count()} cores, load average {load[0]:.1f} at the end; medians of {RUNS} runs.\n"
              f"Criterion: Moran + LISA + scatter under {BUDGET_S:g} s: **{verdict}** it.\n\n")
    out = ROOT / "benchmarks" / "results" / "spatial.md"
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return 0 if wall < BUDGET_S else 1


def _through_the_cache(values: pd.Series) -> float:
    """The app's cached call, outside a Streamlit server (st.cache_data works in bare mode)."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no ScriptRunContext" in bare mode
    from fjchains.app import cached

    data = cached.load_data()
    cached.moran(data, "latitude", values)  # fills the cache
    return timed(lambda: cached.moran(data, "latitude", values))[0]


if __name__ == "__main__":
    raise SystemExit(main())
