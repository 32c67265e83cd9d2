"""The county map as a picture for reports and slides: PNG or SVG, drawn server-side, portrait
(2500 × 2900 px) or 16:9 landscape (1920 × 1080 px; captions.SIZES).

Pure (no Streamlit): geopandas + matplotlib (Agg, object API, no pyplot: no figure is left
open in the server) draw the same colours and legend the web map shows
(fjchains.geo.colouring.Colouring, fjchains.upload.userdata.choropleth), in a metric projection so the
scale bar is true, with a title that names what is shown, prefecture outlines, a north
arrow, the source and date line, the 等 caveat and the boundary caveat (title and notes
wrapped to the page's width as the font draws them, never cut). Text uses the
shipped Noto Sans SC subset (fjchains.render.fonts), so Chinese renders on a fresh machine.

Titles, file names, legend numbers and the source line are in fjchains.render.captions (the
offline HTML uses the same title).

Pictures on request (issue 23): `JOBS.deliver(owner, orders)` draws each picture once per
what it shows and keeps it (a bytes-bounded LRU shared by all sessions), draws a session's
requests one at a time and at most limits.PICTURE_SLOTS in the whole process; the page's
download buttons call it (fjchains/app/panels/pictures.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
import weakref
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot; the server has no display

from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrow, Patch
from matplotlib.text import Text
from matplotlib_scalebar.scalebar import ScaleBar

from fjchains.core import limits, paths
from fjchains.core.i18n import t
from fjchains.data.tables import Tables
from fjchains.geo.colouring import NOT_NAMED, Colouring, Filters, colour_counties, effective_chains
from fjchains.render import fonts
from fjchains.render.captions import (
    FORMATS,
    OPINION_YEAR,
    SIZES,
    PictureSize,
    UploadView,
    class_legend,
    map_title,
    picture_filename,
    short_text,
    source_text,
    upload_view,
    values_title,
    wrap_text,
)

WIDTH_IN, HEIGHT_IN, DPI = SIZES["portrait"].width_in, SIZES["portrait"].height_in, SIZES["portrait"].dpi
_render_lock = threading.Lock()  # matplotlib's rcParams and font caches are process-wide

__all__ = ["FORMATS", "JOBS", "OPINION_YEAR", "SIZES", "Order", "PictureBusy", "PictureJobs", "PictureSize",
           "UploadView", "values_picture", "chain_order", "chain_picture", "map_title", "picture_filename",
           "picture_zip", "render_map", "upload_order", "upload_picture", "upload_view", "zip_orders", "zip_pictures"]

PICTURE_CRS = ("+proj=aea +lat_0=26 +lon_0=118.2 +lat_1=24.5 +lat_2=27.5 "
               "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs")
FADED_OPACITY = 0.15  # as the web map (fjchains.geo.maps): faded counties keep 15 % of their colour
LABEL_LIMIT = 30  # labels=None: name the counties shown when there are at most this many
LABEL_CLEARANCE = 22_000  # metres around the selected county's label kept free of other labels
# The page, in inches (the same on every size): text margins, and the type sizes in points.
MARGIN_IN, TOP_IN, BOTTOM_IN, GAP_IN = 0.4, 0.29, 0.3, 0.1
TITLE_PT, SUBTITLE_PT, NOTE_PT = 19, 11.5, 7.6
NOTE_STEP_IN, NOTE_GAP_IN = 0.157, 0.058  # a note's line, and the space between notes
NO_DATA_HATCH, NO_DATA_LINES = "////", "#8c8c8c"  # "no data": white with grey hatching, apart from any colour


# ---------------------------------------------------------------- drawing

@cache
def _shipped_prefectures() -> gpd.GeoDataFrame:
    return gpd.read_file(paths.PREFECTURES_GEOJSON).to_crs(PICTURE_CRS)


def _prefectures(layer: gpd.GeoDataFrame, custom_boundaries: bool) -> gpd.GeoDataFrame:
    """Prefecture outlines: geo/fujian_prefectures.geojson, or the union of custom counties."""
    if not custom_boundaries:
        return _shipped_prefectures()
    return layer[["prefecture_adcode", "geometry"]].dissolve("prefecture_adcode").to_crs(PICTURE_CRS)


def _blend(colour: str, opacity: float) -> str:
    """colour at `opacity` over white, as the faded counties look on the web map."""
    rgb = matplotlib.colors.to_rgb(colour)
    r, g, b = (opacity * c + (1 - opacity) for c in rgb)
    return matplotlib.colors.to_hex((r, g, b))


def _label_name(name: str, lang: str) -> str:
    return re.sub(r" (District|City|County)$", "", name) if lang == "en" else name


def _north_arrow(ax, lang: str, family) -> None:
    x, y = 0.06, 0.86
    ax.add_patch(FancyArrow(x, y, 0, 0.075, width=0.012, head_width=0.035, head_length=0.035,
                            length_includes_head=True, transform=ax.transAxes, color="#222222", zorder=6))
    ax.text(x, y - 0.012, t("north", lang), transform=ax.transAxes, ha="center", va="top", fontsize=15,
            family=family, color="#222222", zorder=6)


def _wrapped(renderer, text: str, points: float, width_px: float) -> str:
    """text in lines no wider than width_px as drawn in the current font at `points`."""
    prop = FontProperties(size=points)  # the family of the rc_context in force

    def measure(line: str) -> float:
        return renderer.get_text_width_height_descent(line, prop, ismath=False)[0]

    return "\n".join(wrap_text(text, width_px, measure))


@contextmanager
def _drawing(family) -> Iterator[None]:
    """One drawing at a time, in the picture's fonts (matplotlib's settings are process-wide)."""
    with _render_lock, matplotlib.rc_context({"font.family": family, "svg.fonttype": "path",
                                              "svg.hashsalt": "fjchains", "axes.unicode_minus": False}):
        yield


def _map_figure(layer: gpd.GeoDataFrame, colouring: Colouring, *, title: str, lang: str, notes: list[str],
                family, subtitle: str = "", selected: str | None = None, faded=(), labels: bool | None = None,
                custom_boundaries: bool = False, size: PictureSize = SIZES["portrait"],
                no_data: str | None = None) -> Figure:
    """The picture as a matplotlib Figure (render_map saves it; call inside _drawing).

    Title, subtitle and notes are wrapped to the page's width as the font draws them, so
    nothing is cut in either language or size; the map takes the room left between them.
    """
    counties = layer[["adcode", "name_zh", "name_en", "geometry"]].to_crs(PICTURE_CRS)
    faded = set(faded)
    fills = [colouring.fills.get(a, NOT_NAMED) for a in counties["adcode"]]
    fills = [_blend(c, FADED_OPACITY) if a in faded else c for a, c in zip(counties["adcode"], fills)]
    prefectures = _prefectures(layer, custom_boundaries)
    fig = Figure(figsize=(size.width_in, size.height_in), dpi=size.dpi)
    canvas = FigureCanvasAgg(fig)
    # geopandas asks for a redraw per layer; savefig draws once
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    renderer = canvas.get_renderer()
    text_px = (size.width_in - 2 * MARGIN_IN) * size.dpi
    left = MARGIN_IN / size.width_in
    top = fig.text(left, 1 - TOP_IN / size.height_in, _wrapped(renderer, title, TITLE_PT, text_px),
                   fontsize=TITLE_PT, va="top", ha="left", color="#111111", linespacing=1.25)
    if subtitle:
        below = top.get_window_extent(renderer).y0 / fig.bbox.height - 0.08 / size.height_in
        top = fig.text(left, below, _wrapped(renderer, subtitle, SUBTITLE_PT, text_px), fontsize=SUBTITLE_PT,
                       va="top", ha="left", color="#444444", linespacing=1.25)
    map_top = top.get_window_extent(renderer).y0 / fig.bbox.height - GAP_IN / size.height_in
    lines = [(_wrapped(renderer, note, NOTE_PT, text_px).split("\n"), i) for i, note in enumerate(notes)]
    notes_in = sum(len(part) for part, _ in lines) * NOTE_STEP_IN + max(len(lines) - 1, 0) * NOTE_GAP_IN
    y = (BOTTOM_IN + notes_in) / size.height_in
    map_bottom = y + GAP_IN / size.height_in
    for part, i in lines:
        for line in part:
            fig.text(left, y, line, fontsize=NOTE_PT, va="top", ha="left", color="#333333" if i == 0 else "#555555")
            y -= NOTE_STEP_IN / size.height_in
        y -= NOTE_GAP_IN / size.height_in
    ax = fig.add_axes((0.03, map_bottom, 0.94, map_top - map_bottom))
    ax.set_axis_off()
    ax.set_aspect("equal")
    hatched = [c == no_data for c in fills]
    counties.plot(ax=ax, color=["#ffffff" if h else c for h, c in zip(hatched, fills)], edgecolor="#ffffff",
                  linewidth=0.45)
    if any(hatched):  # printed in grey or seen by anyone, hatching is never a class colour
        counties[hatched].plot(ax=ax, facecolor="none", edgecolor=NO_DATA_LINES, hatch=NO_DATA_HATCH, linewidth=0)
        counties[hatched].boundary.plot(ax=ax, color="#ffffff", linewidth=0.45)  # county borders over the hatching
    prefectures.boundary.plot(ax=ax, color="#4a4a4a", linewidth=1.1)
    shown = set(colouring.matching) - faded
    if labels is None:
        labels = len(shown) <= LABEL_LIMIT
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    chosen = counties[counties["adcode"] == selected]
    chosen_at = chosen.geometry.iloc[0].representative_point() if len(chosen) else None
    if labels:
        for row in counties[counties["adcode"].isin(shown)].itertuples():
            p = row.geometry.representative_point()
            if row.adcode == selected or (chosen_at is not None and p.distance(chosen_at) < LABEL_CLEARANCE):
                continue  # the selected county's own, larger label goes there
            ax.text(p.x, p.y, _label_name(row.name_en if lang == "en" else row.name_zh, lang), fontsize=6.5,
                    ha="center", va="center", color="#111111", path_effects=halo, zorder=5)
    if chosen_at is not None:
        row = chosen.iloc[0]
        gpd.GeoSeries([row.geometry], crs=PICTURE_CRS).boundary.plot(ax=ax, color="#000000", linewidth=2.4,
                                                                   zorder=4)
        p = chosen_at
        ax.text(p.x, p.y, _label_name(row["name_en"] if lang == "en" else row["name_zh"], lang), fontsize=10,
                ha="center", va="center", color="#000000",
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")], zorder=6)
    handles = [Patch(facecolor="#ffffff", edgecolor=NO_DATA_LINES, hatch=NO_DATA_HATCH, linewidth=0.6, label=label)
               if c == no_data else Patch(facecolor=c, edgecolor="#999999", linewidth=0.6, label=label)
               for label, c in colouring.legend]
    # portrait: in the sea, lower right; landscape: right of the map, in the room the page's width leaves
    place = {"loc": "lower left", "bbox_to_anchor": (1.03, 0.0)} if size.width_in > size.height_in else \
        {"loc": "lower right"}
    legend = ax.legend(handles=handles, title=colouring.title, fontsize=9.5, title_fontsize=10.5, frameon=True,
                       framealpha=0.95, edgecolor="#bbbbbb", borderpad=0.8, handlelength=1.4, handleheight=1.1,
                       **place)
    legend.set_alignment("left")
    legend.set_zorder(7)
    ax.add_artist(ScaleBar(1, units="m", location="lower left", length_fraction=0.22, box_alpha=0,
                           scale_formatter=lambda value, unit: f"{value} {t('unit_' + unit, lang)}",
                           font_properties={"family": family, "size": 10}))
    _north_arrow(ax, lang, family)
    for text in fig.findobj(Text):  # "$…$" in a user's column name is text, not TeX
        text.set_parse_math(False)
    return fig


def render_map(layer: gpd.GeoDataFrame, colouring: Colouring, *, title: str, lang: str, notes: list[str],
               subtitle: str = "", selected: str | None = None, faded=(), labels: bool | None = None,
               fmt: str = "png", custom_boundaries: bool = False, font_fallbacks: bool = True,
               size: str = "portrait", outline: bool = True, no_data: str | None = None) -> bytes:
    """The picture as PNG or SVG bytes.

    colouring: the web map's fills and legend; faded: adcodes drawn at 15 % (chain filter
    over an uploaded choropleth); selected: a county drawn with a heavy outline and named,
    unless outline=False (then it is drawn as any other); labels: name the matching counties
    (None: only when there are at most LABEL_LIMIT). size: a key of SIZES, "portrait"
    (2500 × 2900 px) or "landscape" (1920 × 1080 px, 16:9 for slides). no_data: the fill that
    means "no data", drawn white with grey hatching (county and legend swatch).
    font_fallbacks=False draws with the shipped font only (tests prove it is complete).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    family = fonts.register()
    if not font_fallbacks:
        family = family[:1]
    with _drawing(family):
        fig = _map_figure(layer, colouring, title=title, lang=lang, notes=notes, family=family, subtitle=subtitle,
                          selected=selected if outline else None, faded=faded, labels=labels,
                          custom_boundaries=custom_boundaries, size=SIZES[size], no_data=no_data)
        out = io.BytesIO()
        dpi = SIZES[size].dpi
        if fmt == "png":  # zlib level 3: about half the encoding time of the default for ~10 % more bytes
            fig.savefig(out, format="png", dpi=dpi, facecolor="white", metadata={"Software": "fjchains (matplotlib)"},
                        pil_kwargs={"compress_level": 3})
        else:
            fig.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata={"Date": None})
        fig.clear()  # drop the artists now; the figure was never registered with pyplot
    return out.getvalue()


def _notes(tables: Tables, chain_ids, lang: str, boundary_note: str | None, upload: UploadView | None = None,
           today: dt.date | None = None) -> list[str]:
    return [source_text(tables, chain_ids, lang, upload, today), t("deng_note", lang),
            boundary_note or t("boundary_note", lang)]


def chain_picture(layer: gpd.GeoDataFrame, tables: Tables, filters: Filters, lang: str, fmt: str = "png", *,
                  labels: bool | None = None, boundary_note: str | None = None, custom_boundaries: bool = False,
                  today: dt.date | None = None, font_fallbacks: bool = True, size: str = "portrait",
                  outline: bool = True) -> bytes:
    """The chain map as the web shows it for these filters (count colours when unfiltered);
    size and outline as render_map."""
    colouring = colour_counties(layer, tables.chains, filters, lang)
    shown = effective_chains(filters, tables.chains)
    return render_map(layer, colouring, title=map_title(tables.chains, filters, lang), lang=lang,
                      subtitle=t("picture_subtitle", lang, n=len(colouring.matching), total=len(layer)),
                      notes=_notes(tables, shown, lang, boundary_note, today=today), selected=filters.county,
                      labels=labels, fmt=fmt, custom_boundaries=custom_boundaries, font_fallbacks=font_fallbacks,
                      size=size, outline=outline)


def upload_picture(layer: gpd.GeoDataFrame, tables: Tables, data, settings: dict, filters: Filters, lang: str,
                   fmt: str = "png", *, boundary_note: str | None = None, custom_boundaries: bool = False,
                   labels: bool | None = False, today: dt.date | None = None, font_fallbacks: bool = True,
                   size: str = "portrait", outline: bool = True) -> bytes:
    """An uploaded column as the web choropleth shows it (fjchains.upload.userdata.choropleth).

    settings: column, scheme, k, breaks, palette (as the upload page's controls return them);
    size and outline as render_map.
    Raises classify.ClassifyError as the web map would.
    """
    from fjchains.upload.classify import MISSING_COLOR
    from fjchains.upload.userdata import choropleth

    colouring, result, faded = choropleth(layer, tables.chains, data, settings["column"], filters, lang,
                                          settings["scheme"], settings.get("k", 5), settings.get("breaks"),
                                          settings.get("palette", "YlGnBu"))
    values = data.column(settings["column"], layer["adcode"])
    legend = class_legend(values, result.bins, colouring.legend, lang)
    legend = [(t("missing", lang), c) if c == MISSING_COLOR else (label, c) for label, c in legend]
    colouring = Colouring(colouring.fills, legend, short_text(colouring.title), colouring.matching)
    view = upload_view(data, settings, result)
    return render_map(layer, colouring, title=map_title(tables.chains, filters, lang, view), lang=lang,
                      subtitle=t("picture_upload_subtitle", lang, n=int(values.notna().sum()), total=len(layer)),
                      notes=_notes(tables, effective_chains(filters, tables.chains) if faded else [], lang,
                                   boundary_note, view, today),
                      selected=filters.county, faded=faded, labels=labels, fmt=fmt,
                      custom_boundaries=custom_boundaries, font_fallbacks=font_fallbacks, size=size, outline=outline,
                      no_data=MISSING_COLOR)


def values_picture(layer: gpd.GeoDataFrame, tables: Tables, data, column: str, selected, lang: str,
                     fmt: str = "png", *, boundary_note: str | None = None, custom_boundaries: bool = False,
                     selected_county: str | None = None, today: dt.date | None = None,
                     font_fallbacks: bool = True, size: str = "portrait", outline: bool = True) -> bytes:
    """An uploaded text column as the web's categorical map shows it (fjchains.upload.text_columns);
    size and outline as render_map."""
    from fjchains.upload.text_columns import userlist_notes, values_colouring

    col = data.text_columns.columns[column]
    colouring = values_colouring(col, layer["adcode"], lang, selected)
    view = UploadView(data.filename, column, "values", len(col.values))
    notes = [source_text(tables, [], lang, view, today), *userlist_notes(col, lang),
             boundary_note or t("boundary_note", lang)]
    return render_map(layer, colouring, title=values_title(column, data.filename, selected, lang), lang=lang,
                      subtitle=t("userlist_picture_subtitle", lang, n=len(colouring.matching), total=len(layer)),
                      notes=notes, selected=selected_county, labels=False, fmt=fmt,
                      custom_boundaries=custom_boundaries, font_fallbacks=font_fallbacks, size=size, outline=outline)


def zip_pictures(named: Iterable[tuple[str, bytes]], fmt: str = "png") -> bytes:
    """Pictures (file name, bytes) in one ZIP: PNGs stored as they are, SVGs compressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED if fmt == "png" else zipfile.ZIP_DEFLATED) as zf:
        for name, data in named:
            zf.writestr(name, data)
    return out.getvalue()


def picture_zip(layer: gpd.GeoDataFrame, tables: Tables, lang: str, fmt: str = "png", **kwargs) -> bytes:
    """One picture per chain (its counties named), zipped, named by picture_filename."""
    return zip_pictures(((picture_filename(Filters(chains=(c,)), fmt, size=kwargs.get("size", "portrait")),
                          chain_picture(layer, tables, Filters(chains=(c,)), lang, fmt, labels=True, **kwargs))
                         for c in tables.chains["chain_id"]), fmt)


# ---------------------------------------------------------------- pictures on request (issue 23)

class PictureBusy(Exception):
    """A picture request refused, without drawing. reason: "session" (the session already has
    limits.PICTURE_PENDING_PER_SESSION requests in flight), "turn" (its earlier pictures took
    longer than limits.PICTURE_WAIT_S) or "server" (no drawing slot came free in that time)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"picture refused ({reason})")
        self.reason = reason


@dataclass(frozen=True, eq=False)
class Order:
    """One picture to deliver: `key` says everything it shows (the same key, the same bytes),
    `anchors` are the objects the key names by id() (the cache holds them weakly, so an id
    reused by a later object never finds an earlier picture), and `draw` draws it."""

    key: tuple
    anchors: tuple
    draw: Callable[[], bytes]


class PictureCache:
    """Pictures by Order.key, least recently used first out past `max_bytes`. Thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._entries: OrderedDict[tuple, tuple[bytes, tuple[weakref.ref, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, order: Order) -> bytes | None:
        with self._lock:
            entry = self._entries.get(order.key)
            if entry is None:
                return None
            data, refs = entry
            if len(refs) != len(order.anchors) or any(r() is not a for r, a in zip(refs, order.anchors)):
                self._drop(order.key)  # drawn for an object gone since, whose id() another one now has
                return None
            self._entries.move_to_end(order.key)
            return data

    def put(self, order: Order, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        refs = tuple(weakref.ref(a) for a in order.anchors)
        with self._lock:
            self._drop(order.key)
            self._entries[order.key] = (data, refs)
            self.nbytes += len(data)
            while self.nbytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.nbytes = 0

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.nbytes -= len(entry[0])


class PictureJobs:
    """Delivers pictures: from the cache when drawn before; else in the session's turn (one
    request of a session is drawn at a time, `per_session` may be in flight, more are refused
    at once), each picture drawn once however many ask for it together, and at most `slots`
    drawn at once in the process. Every wait is bounded by `wait_s`, then PictureBusy.

    Callers run in Streamlit's shared worker threads (a download button's deferred callable):
    a refusal costs no drawing and frees the thread.
    """

    def __init__(self, cache_bytes: int = limits.PICTURE_CACHE_BYTES, slots: int = limits.PICTURE_SLOTS,
                 per_session: int = limits.PICTURE_PENDING_PER_SESSION,
                 wait_s: float = limits.PICTURE_WAIT_S) -> None:
        self.cache = PictureCache(cache_bytes)
        self.per_session, self.wait_s = per_session, wait_s
        self._slots = threading.BoundedSemaphore(slots)
        self._state = threading.Condition()  # guards what follows; notified on every change
        self._sessions: dict[str, tuple[list[int], threading.Lock]] = {}  # owner -> ([in flight], its turn)
        self._drawing: dict[tuple, threading.Event] = {}  # key -> set when that drawing ends
        self.running = 0  # pictures being drawn (each holds a slot)
        self.waiting = 0  # pictures waiting for a slot, or for another request drawing the same picture

    def deliver(self, owner: str, orders: Sequence[Order]) -> list[bytes]:
        """The pictures of `orders`, in order, for the session `owner` (raises PictureBusy)."""
        found = [self.cache.get(o) for o in orders]
        if any(data is None for data in found):
            with self._turn(owner):
                found = [data if data is not None else self._picture(o) for data, o in zip(found, orders)]
        return [data for data in found if data is not None]

    def pending(self, owner: str) -> int:
        """The session's requests in flight (drawing or waiting for their turn)."""
        with self._state:
            entry = self._sessions.get(owner)
            return entry[0][0] if entry else 0

    def wait_until(self, condition: Callable[[PictureJobs], bool], timeout: float) -> bool:
        """Block until condition(self) holds (checked on every change), at most timeout seconds."""
        with self._state:
            return self._state.wait_for(lambda: condition(self), timeout)

    @contextmanager
    def _turn(self, owner: str) -> Iterator[None]:
        with self._state:
            count, turn = self._sessions.setdefault(owner, ([0], threading.Lock()))
            if count[0] >= self.per_session:
                raise PictureBusy("session")
            count[0] += 1
            self._state.notify_all()
        try:
            if not turn.acquire(timeout=self.wait_s):
                raise PictureBusy("turn")
            try:
                yield
            finally:
                turn.release()
        finally:
            with self._state:
                count[0] -= 1
                if not count[0]:
                    del self._sessions[owner]
                self._state.notify_all()

    def _picture(self, order: Order) -> bytes:
        deadline = time.monotonic() + self.wait_s
        while True:  # someone may be drawing this very picture: wait for theirs
            data = self.cache.get(order)
            if data is not None:
                return data
            with self._state:
                other = self._drawing.get(order.key)
                if other is None:
                    mine = self._drawing[order.key] = threading.Event()
            if other is None:
                break
            with self._counting("waiting"):
                drawn = other.wait(max(0.0, deadline - time.monotonic()))
            if not drawn:
                raise PictureBusy("server")
        try:
            return self._draw(order, deadline)
        finally:
            with self._state:
                del self._drawing[order.key]
                self._state.notify_all()
            mine.set()

    def _draw(self, order: Order, deadline: float) -> bytes:
        with self._counting("waiting"):
            got = self._slots.acquire(timeout=max(0.0, deadline - time.monotonic()))
        if not got:
            raise PictureBusy("server")
        try:
            with self._counting("running"):
                data = order.draw()
        finally:
            self._slots.release()
        self.cache.put(order, data)
        return data

    @contextmanager
    def _counting(self, name: str) -> Iterator[None]:
        with self._state:
            setattr(self, name, getattr(self, name) + 1)
            self._state.notify_all()
        try:
            yield
        finally:
            with self._state:
                setattr(self, name, getattr(self, name) - 1)
                self._state.notify_all()


#: The process's pictures: every session's download buttons deliver through it.
JOBS = PictureJobs()


def chain_order(layer: gpd.GeoDataFrame, tables: Tables, filters: Filters, lang: str, fmt: str = "png", *,
                labels: bool | None = None, boundary_note: str | None = None, custom_boundaries: bool = False,
                today: dt.date | None = None, font_fallbacks: bool = True, size: str = "portrait",
                outline: bool = True) -> Order:
    """chain_picture as an Order. labels=None is decided here (as render_map would), so a
    chain's picture on its page and in the ZIP (labels=True) are one picture; size and
    outline are part of the key (a landscape or unoutlined picture is another picture)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    today = today or dt.date.today()  # the source line's date is part of the picture
    if labels is None:
        labels = len(colour_counties(layer, tables.chains, filters, lang).matching) <= LABEL_LIMIT
    key = ("chain", id(layer), id(tables), filters, lang, fmt, labels, boundary_note, custom_boundaries, today,
           font_fallbacks, size, outline)
    return Order(key, (layer, tables), partial(chain_picture, layer, tables, filters, lang, fmt, labels=labels,
                                               boundary_note=boundary_note, custom_boundaries=custom_boundaries,
                                               today=today, font_fallbacks=font_fallbacks, size=size,
                                               outline=outline))


def upload_order(layer: gpd.GeoDataFrame, tables: Tables, data, settings: dict, filters: Filters, lang: str,
                 fmt: str = "png", *, boundary_note: str | None = None, custom_boundaries: bool = False,
                 labels: bool | None = False, today: dt.date | None = None, font_fallbacks: bool = True,
                 size: str = "portrait", outline: bool = True) -> Order:
    """upload_picture as an Order, keyed by the upload itself (each file read is a new
    UserData object), the settings, the size and the outline. Settings that cannot make
    classes (classify.ClassifyError) draw 5 quantiles, as the web map shows meanwhile."""
    from fjchains.core.errors import ClassifyError

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    today = today or dt.date.today()
    settings = dict(settings)
    breaks = settings.get("breaks")
    chosen = (settings["column"], settings["scheme"], settings.get("k", 5),
              None if breaks is None else tuple(breaks), settings.get("palette", "YlGnBu"))

    def draw_with(chosen: dict) -> bytes:
        return upload_picture(layer, tables, data, chosen, filters, lang, fmt, boundary_note=boundary_note,
                              custom_boundaries=custom_boundaries, labels=labels, today=today,
                              font_fallbacks=font_fallbacks, size=size, outline=outline)

    def draw() -> bytes:
        try:
            return draw_with(settings)
        except ClassifyError:
            return draw_with({**settings, "scheme": "quantiles", "k": 5, "breaks": None})

    key = ("upload", id(layer), id(tables), id(data), chosen, filters, lang, fmt, labels, boundary_note,
           custom_boundaries, today, font_fallbacks, size, outline)
    return Order(key, (layer, tables, data), draw)


def zip_orders(layer: gpd.GeoDataFrame, tables: Tables, lang: str, fmt: str = "png",
               **kwargs) -> list[tuple[str, Order]]:
    """picture_zip's pictures as (file name, Order): the chains' own pictures, counties named."""
    return [(picture_filename(Filters(chains=(c,)), fmt, size=kwargs.get("size", "portrait")),
             chain_order(layer, tables, Filters(chains=(c,)), lang, fmt, labels=True, **kwargs))
            for c in tables.chains["chain_id"]]
