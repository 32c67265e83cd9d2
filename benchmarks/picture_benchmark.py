"""How long one map picture takes to draw (fjchains.render.picture), wall clock and CPU.

    python -m benchmarks.picture_benchmark   (`make picture-benchmark`)

Medians of 5 renders each after one warm-up; results in benchmarks/results/picture.md.
CPU time is given too because the machine's 2 cores may be shared while it runs.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.names import build_aliases
from fjchains.data.tables import load_tables
from fjchains.geo.colouring import Filters
from fjchains.render.picture import chain_picture, picture_zip, upload_picture
from fjchains.upload.userdata import load_user_file

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def timed(fn, runs: int = RUNS):
    fn()  # warm-up: font registration, first projection
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        size = len(fn())
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), size


def main() -> int:
    tables = load_tables()
    layer = build_county_layer(load_boundaries(known_adcodes=set(tables.counties["adcode"])), tables)
    csv = "adcode,value\n" + "".join(f"{a},{i * 37 + 1000}\n" for i, a in enumerate(tables.counties["adcode"]))
    data = load_user_file("bench.csv", csv.encode(), build_aliases(tables.counties, tables.former_names), tables.counties)
    settings = {"column": "value", "scheme": "natural_breaks", "k": 5, "breaks": None, "palette": "Blues"}
    food = Filters(chains=("food",), county="350582")
    cases = [
        ("full map, PNG (zh)", lambda: chain_picture(layer, tables, Filters(), "zh", "png")),
        ("full map, SVG (zh)", lambda: chain_picture(layer, tables, Filters(), "zh", "svg")),
        ("食品 + selected county, PNG (en)", lambda: chain_picture(layer, tables, food, "en", "png")),
        ("uploaded choropleth, PNG (zh)", lambda: upload_picture(layer, tables, data, settings, Filters(), "zh", "png")),
        ("ZIP of 8 chain pictures (zh)", lambda: picture_zip(layer, tables, "zh")),
    ]
    lines = ["| picture | wall (median) | CPU (median) | size |", "| --- | --- | --- | --- |"]
    for name, fn in cases:
        wall, cpu, size = timed(fn, 3 if name.startswith("ZIP") else RUNS)
        lines.append(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {size / 1024:.0f} KB |")
        print(lines[-1], flush=True)
    out = ROOT / "benchmarks" / "results" / "picture.md"
    out.write_text("# Map picture render times (`make picture-benchmark`)\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
