"""Write every map picture to a folder, for people who script their reports.

    python scripts/make_figures.py [FOLDER]   (default: figures/; `make figures`)

FOLDER/zh/ and FOLDER/en/ each get the full map (fujian_chains_all_2024.png) and one map
per chain (fujian_chains_food_2024.png, …), as PNG and SVG.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from fjchains.core import paths
from fjchains.core.i18n import LANGUAGES, t
from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.tables import load_tables
from fjchains.geo.colouring import Filters
from fjchains.render.picture import FORMATS, chain_picture, picture_filename

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "figures",
                        help="where zh/ and en/ go (default: figures/)")
    folder = parser.parse_args(argv).folder
    tables = load_tables()
    boundaries_file = paths.boundaries_path()
    custom = boundaries_file != paths.COUNTIES_GEOJSON
    layer = build_county_layer(load_boundaries(boundaries_file, set(tables.counties["adcode"])), tables)
    views = [(Filters(), None)] + [(Filters(chains=(c,)), True) for c in tables.chains["chain_id"]]
    count, start = 0, time.perf_counter()
    for lang in LANGUAGES:
        note = t("boundary_custom", lang, path=boundaries_file.name) if custom else None
        (folder / lang).mkdir(parents=True, exist_ok=True)
        for filters, labels in views:
            for fmt in FORMATS:
                target = folder / lang / picture_filename(filters, fmt)
                target.write_bytes(chain_picture(layer, tables, filters, lang, fmt, labels=labels,
                                                 boundary_note=note, custom_boundaries=custom))
                count += 1
    print(f"{count} pictures in {folder} ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
