"""The CJK font the map pictures are drawn with, shipped in static/fonts/.

A subset of Noto Sans SC (SIL OFL 1.1) made by scripts/vendor_font.sh, so Chinese renders on
a fresh machine with no system font. matplotlib learns it once per process.
"""

from __future__ import annotations

import threading
from functools import cache

from fontTools.ttLib import TTFont

from fjchains.core import paths

FAMILY = "Noto Sans SC FJ Subset"
FONT_PATH = paths.STATIC_DIR / "fonts" / "NotoSansSC-Regular-subset.ttf"
# Tried in order for each character: the shipped subset first, then fonts a machine may
# have, so a rare character in an uploaded column name is still drawn where possible.
FALLBACKS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "DejaVu Sans")
_lock = threading.Lock()


@cache
def characters() -> frozenset[str]:
    """Every character the shipped font has a glyph for."""
    return frozenset(chr(c) for c in TTFont(FONT_PATH).getBestCmap())


def missing(text: str) -> list[str]:
    """Characters of text the shipped font cannot draw (whitespace ignored)."""
    have = characters()
    return sorted({c for c in text if not c.isspace() and c not in have})


def register() -> list[str]:
    """Add the shipped font to matplotlib's font manager (once); the family list to use."""
    from matplotlib import font_manager

    with _lock:
        known = {f.name for f in font_manager.fontManager.ttflist}
        if FAMILY not in known:
            font_manager.fontManager.addfont(str(FONT_PATH))
            known.add(FAMILY)
    return [FAMILY] + [f for f in FALLBACKS if f in known]
