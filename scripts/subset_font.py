"""Subset Noto Sans SC to the characters the dashboard's pictures can need (fontTools).

    python scripts/subset_font.py SOURCE.ttf [--check]

Keeps: every character of data/*.csv and data/sources/*.txt, every interface string in
fjchains/core/i18n.py (both languages), printable ASCII, Latin-1, common CJK and typographic
punctuation, and the 3,755 level-1 hanzi of GB 2312 (the most common characters, so an
uploaded column name in Chinese renders too). The family is renamed, so a system-wide
"Noto Sans SC" is never confused with this subset. scripts/vendor_font.sh fetches the
source TTF from the npm registry and calls this script; the result is committed.
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from fjchains.core.i18n import CATALOGUES
from fjchains.render.fonts import FAMILY, FONT_PATH

ROOT = Path(__file__).resolve().parents[1]

EXTRA = "·–—‘’“”…、。，：；！？（）《》〈〉「」『』【】〔〕％＋－／～×÷≥≤±°²³ⓘ→←↑↓"


def gb2312_level1() -> str:
    """The 3,755 level-1 hanzi of GB 2312 (rows 16-55)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes([row, cell]).decode("gb2312"))
    return "".join(chars)


def wanted_text() -> str:
    parts = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)]
    for path in sorted((ROOT / "data").glob("*.csv")) + sorted((ROOT / "data" / "sources").glob("*")):
        parts.append(path.read_text(encoding="utf-8"))
    for zh, en in zip(CATALOGUES["zh"].values(), CATALOGUES["en"].values(), strict=True):
        parts += [zh, en]
    parts += [EXTRA, gb2312_level1()]
    return "".join(parts)


def subset_font(source: Path, target: Path) -> None:
    text = wanted_text()
    options = subset.Options()
    options.hinting = False  # matplotlib's Agg renderer hints by itself
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.drop_tables += ["DSIG"]
    font = TTFont(source, recalcTimestamp=False)  # byte-identical rebuilds
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    args = parser.parse_args()
    subset_font(args.source, FONT_PATH)
    cmap = TTFont(FONT_PATH).getBestCmap()
    print(f"{FONT_PATH.relative_to(ROOT)}: {FONT_PATH.stat().st_size / 1024:.0f} KB, {len(cmap)} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
