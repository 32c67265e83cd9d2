"""How long one map picture takes to draw (fjchains.render.picture), wall clock and CPU.

    .venv/bin/python -m benchmarks.picture_benchmark [--runs 5]   (`make picture-benchmark`)

Medians of 5 renders each (the ZIP of every chain: 3) after one warm-up; results in
benchmarks/results/picture.md (benchmarks/report.py). CPU time is given too because the
machine's 2 cores may be shared while it runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.common import RESULTS, machine_info
from benchmarks.report import Report

RUNS = 5
ZIP_RUNS = 3  # a ZIP draws every chain's picture


def timed(fn, runs: int = RUNS):
    fn()  # warm-up: font registration, first projection
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        size = len(fn())
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"renders per picture (default {RUNS}; the ZIP {ZIP_RUNS})")
    args = parser.parse_args(argv)
    # here, not at the top: `--help` answers without loading matplotlib and geopandas
    from fjchains.data.boundaries import load_boundaries
    from fjchains.data.layer import build_county_layer
    from fjchains.data.names import build_aliases
    from fjchains.data.tables import load_tables
    from fjchains.geo.colouring import Filters
    from fjchains.render.picture import chain_picture, picture_zip, upload_picture
    from fjchains.upload.userdata import load_user_file

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
    rows = []
    for name, fn in cases:
        wall, cpu, size = timed(fn, min(args.runs, ZIP_RUNS) if name.startswith("ZIP") else args.runs)
        rows.append([name, f"{wall:.2f} s", f"{cpu:.2f} s", f"{size / 1024:.0f} KB"])
        print(" | ".join(rows[-1]), flush=True)
    md = Report("Map picture render times", f"medians of {args.runs} renders each (the ZIP: "
                f"{min(args.runs, ZIP_RUNS)}) after one warm-up; CPU = this process's time")
    md.table(["picture", "wall (median)", "CPU (median)", "size"], rows).machine(machine_info())
    md.command("benchmarks.picture_benchmark", "" if args.runs == RUNS else f"--runs {args.runs}",
               note="`make picture-benchmark`").write(RESULTS / "picture.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
