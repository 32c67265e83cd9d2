"""What a map picture or an offline map says in words: its title, file name, legend numbers
and source line (fjchains.render.picture draws them; the offline HTML uses the same title)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from fjchains.core.i18n import column, t
from fjchains.data.tables import Tables
from fjchains.geo.colouring import Filters, effective_chains

OPINION_YEAR = 2024  # the opinion the chain lists come from (闽政办〔2024〕25号, July 2024)
# An Albers equal-area projection fitted to Fujian (standard parallels through the
# province): distances on the map are true to well under 0.5 %, so the scale bar holds.
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class PictureSize:
    """A picture's page: inches and dots per inch (a PNG is width_in × dpi pixels wide)."""

    width_in: float
    height_in: float
    dpi: int

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


#: Portrait for reports (2500 × 2900 px) and 16:9 landscape for slides (1920 × 1080 px).
SIZES = {"portrait": PictureSize(10.0, 11.6, 250), "landscape": PictureSize(12.8, 7.2, 150)}
TEXT_LIMIT = 40  # characters of a user's column or file name kept in a title or file name


@dataclass(frozen=True)
class UploadView:
    """What an uploaded choropleth shows: file, column, classification, number of classes."""

    filename: str
    column: str
    scheme: str
    k: int


# ---------------------------------------------------------------- titles and file names

def short_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """User text for a title or legend: one line, no control characters, at most `limit`."""
    text = "".join(c for c in str(text) if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filter_label(chains: pd.DataFrame, filters: Filters, lang: str) -> str:
    """The chain filter in words: chain names, else the chosen categories; '' if none."""
    if not filters.chains and not filters.categories:
        return ""
    sep = "、" if lang == "zh" else ", "
    names = chains.set_index("chain_id")[column("name", lang)]
    cats = sep.join(t(f"cat_{c}", lang) for c in filters.categories)
    if filters.chains:
        shown = effective_chains(filters, chains)
        text = sep.join(names[c] for c in shown) if shown else t("title_no_chain", lang)
        return text + (t("title_in_categories", lang, cats=cats) if filters.categories else "")
    return t("title_categories", lang, cats=cats)


def map_title(chains: pd.DataFrame, filters: Filters, lang: str, upload: UploadView | None = None) -> str:
    """What a map shows, for the picture's title and the offline HTML's title."""
    shown = filter_label(chains, filters, lang)
    if upload is not None:
        title = t("title_upload", lang, column=short_text(upload.column), file=short_text(upload.filename),
                  scheme=t(f"scheme_{upload.scheme}", lang), k=upload.k)
        return title + (t("title_upload_filter", lang, chains=shown) if shown else "")
    if not shown:
        return t("title_count", lang, year=OPINION_YEAR)
    return t("title_chains", lang, chains=shown, year=OPINION_YEAR)


def _slug(text: str, limit: int = TEXT_LIMIT) -> str:
    """A file-name-safe part: letters (any script), digits, '-' and '_' only."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[^\w-]+", "_", text, flags=re.UNICODE).strip("_-")
    return text[:limit].strip("_-") or "data"


def picture_filename(filters: Filters, ext: str, upload: UploadView | None = None, lang: str | None = None,
                     size: str = "portrait") -> str:
    """fujian_chains_all_2024.png, fujian_chains_food_2024.png, fujian_chains_cat-emerging_2024.svg,
    fujian_<column>_<scheme><k>[_<chains>].png; '_en' / '_zh' appended when lang is given,
    '_16x9' for the landscape size."""
    parts = []
    if filters.chains:
        parts.append("-".join(filters.chains))
    if filters.categories:
        parts.append("cat-" + "-".join(filters.categories))
    chains = "_".join(parts)
    if upload is not None:
        stem = f"fujian_{_slug(upload.column)}_{upload.scheme}{upload.k}" + (f"_{chains}" if chains else "")
    else:
        stem = f"fujian_chains_{chains or 'all'}_{OPINION_YEAR}"
    return f"{stem}{'_' + lang if lang else ''}{_size_suffix(size)}.{ext}"


def _size_suffix(size: str) -> str:
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    return "_16x9" if size == "landscape" else ""


def values_title(column: str, filename: str, selected, lang: str) -> str:
    """What a map of an uploaded text column shows: column, file, and the value filter."""
    title = t("userlist_title", lang, column=short_text(column), file=short_text(filename))
    if selected:
        shown = t("list_sep", lang).join(short_text(v, 20) for v in list(selected)[:5])
        title += t("userlist_title_filter", lang, values=shown + ("…" if len(selected) > 5 else ""))
    return title


def values_filename(column: str, ext: str, selected=(), size: str = "portrait") -> str:
    """fujian_<column>_values[_<value>-<value>][_16x9].png"""
    chosen = "-".join(_slug(v, 15) for v in list(selected)[:3])
    return f"fujian_{_slug(column)}_values" + (f"_{chosen}" if chosen else "") + f"{_size_suffix(size)}.{ext}"


# ---------------------------------------------------------------- numbers, legend, notes

def class_legend(values: pd.Series, bins: list[float], legend: list[tuple[str, str]],
                 lang: str) -> list[tuple[str, str]]:
    """The choropleth's class labels redone in the language's number format (colours kept)."""
    from fjchains.upload.classify import class_label  # mapclassify and SciPy load only when needed

    present = pd.to_numeric(values, errors="coerce").dropna()
    if present.empty or not bins:
        return legend
    lows = [min(float(present.min()), bins[0])] + list(bins[:-1])
    out = []
    for i, (label, colour) in enumerate(legend):
        if i < len(bins):
            lo, hi = lows[i], bins[i]
            label = class_label(lo, hi, lang)
        out.append((label, colour))
    return out


def source_text(tables: Tables, chain_ids, lang: str, upload: UploadView | None = None,
                today: dt.date | None = None) -> str:
    """Source and date line: the sources of the chain lists shown, the upload, the drawing date."""
    used = tables.county_chains.loc[tables.county_chains["chain_id"].isin(list(chain_ids)), "source"]
    sources = tables.sources.set_index("source_id")
    items = []
    for sid in dict.fromkeys(sorted(set(used))):
        s = sources.loc[sid]
        title = s["title_en"] if lang == "en" else s["title_zh"]
        url = str(s["url"]).split(" ; ")[0].strip() if isinstance(s["url"], str) and s["url"] else ""
        if lang == "en":
            items.append(f"{title} ({s['date']})" + (f" {url}" if url else ""))
        else:
            title = title if title.startswith("《") else f"《{title}》"
            items.append(f"{title}（{s['date']}）" + (f" {url}" if url else ""))
    parts = [t("picture_sources", lang, sources=("; " if lang == "en" else "；").join(items))] if items else []
    if upload is not None:
        parts.append(t("picture_upload_source", lang, name=short_text(upload.filename)))
    date = (today or dt.date.today()).isoformat()
    parts.append(t("picture_drawn", lang, app=t("app_title", lang), date=date))
    return " ".join(parts)


#: Characters a line never starts with (Chinese line-breaking rules): they stay with the word before.
_NO_LINE_START = set("，。、；：？！）》」』】”’·…%,.;:?!)]")


def _units(text: str) -> float:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_text(text: str, width: float, measure: Callable[[str], float] | None = None) -> list[str]:
    """Lines no wider than `width`, broken at spaces for Latin text and between characters
    for Chinese (never right before closing punctuation or a middle dot, which stay with the
    word they follow).

    measure: a line's width (a picture passes the drawn width of its font); by default a CJK
    character counts 2 units and any other 1. A single word wider than `width` gets a line of
    its own (it is never cut).
    """
    measure = measure or _units
    lines: list[str] = []
    tokens: list[str] = []
    for token in re.findall(r"[A-Za-z0-9(),.;:'\"/_\-–’“”%²≥<>&+=?!]+|\s|.", text):
        if tokens and "".join(tokens).strip() and measure("".join(tokens + [token]).rstrip()) > width:
            if token.isspace():
                lines.append("".join(tokens).rstrip())
                tokens = []
                continue
            carried: list[str] = []  # the word a closing mark follows comes along (the line keeps another)
            while (carried or [token])[0][0] in _NO_LINE_START and len(tokens) > 1 and not tokens[-1].isspace():
                carried.insert(0, tokens.pop())
            lines.append("".join(tokens).rstrip())
            tokens = carried
        tokens.append(token)
    if "".join(tokens).strip():
        lines.append("".join(tokens).rstrip())
    return [line.lstrip() for line in lines]


def upload_view(data, settings: dict, result=None) -> UploadView:
    """The UploadView of an upload page's settings (k: the classes actually drawn, if known)."""
    k = len(result.bins) if result is not None else (
        len(settings.get("breaks") or []) + 1 if settings["scheme"] == "user_defined" else settings.get("k", 5))
    return UploadView(data.filename, settings["column"], settings["scheme"], k)
