/* County layer of the dashboard's Leaflet maps (fjchains/geo/maps.py loads this file; a
 * downloaded map inlines it). fjchains.layer(map, opts) draws the counties and prefecture
 * outlines from TopoJSON and defines fjchains.apply(payload), which restyles the counties in
 * place: fill per county, the selected county, faded counties, tooltip lines and the legend.
 * The map fires 'fjchains:drawn' once the counties are drawn and 'fjchains:styled' after each
 * restyle (map-access.js names the counties then; the frame announces the first restyle).
 * Names from any file are shown with textContent, never as HTML. */
(() => {
  'use strict';
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  const logic = fjchains.logic;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function tip(lines) {
    const d = el('div', 'fj-tip');
    d.appendChild(el('b', null, lines[0]));
    for (let i = 1; i < lines.length; i++) {
      d.appendChild(el('br'));
      d.appendChild(el('span', i === 1 ? 'fj-sub' : null, lines[i]));
    }
    return d;
  }

  function drawLegend(map, st, p) {
    if (!st.legend) {
      st.legend = L.control({position: 'bottomright'});
      st.legend.onAdd = () => el('div', 'fj-legend');
      st.legend.addTo(map);
    }
    const box = st.legend.getContainer();
    box.textContent = '';
    box.appendChild(el('div', 'fj-title', p.legend.title));
    for (const [label, colour] of p.legend.items) {
      const row = el('div');
      const swatch = el('i');
      swatch.style.background = colour;
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(label));
      box.appendChild(row);
    }
  }

  /* opts: {tips: {adcode: [lines]}, attribution: text, blank: the fill of a county the payload
   * gives no colour, url: TopoJSON URL | topo: TopoJSON}; `pending`: the TopoJSON's fetch, when
   * the caller has started it already (the map frame). */
  fjchains.layer = (map, opts, pending) => {
    const st = {payload: null, counties: null, prefectures: null, legend: null, tips: opts.tips || {}};
    const event = () => ({counties: st.counties, payload: st.payload, tips: st.tips});

    fjchains.apply = (p) => {
      st.payload = p;
      if (!st.counties) return;
      let selected = null;
      st.counties.eachLayer((l) => {
        const adcode = l.feature.properties.adcode;
        l.setStyle(logic.countyStyle(adcode, p, opts.blank));
        if (p.tips) l.setTooltipContent(tip(logic.tipLines(adcode, p.tips, st.tips)));
        if (adcode === p.sel) selected = l;
      });
      st.prefectures.bringToFront();
      if (selected) selected.bringToFront();
      drawLegend(map, st, p);
      map.fire('fjchains:styled', event());
    };

    map.attributionControl.setPrefix('Leaflet');

    function build(topo) {
      st.counties = L.geoJSON(topojson.feature(topo, topo.objects.counties), {
        attribution: opts.attribution,
        style: logic.firstStyle(opts.blank),
        onEachFeature: (f, l) => {
          const adcode = f.properties.adcode;
          l.bindTooltip(tip(logic.tipLines(adcode, null, st.tips)), {sticky: true});
          l.on('mouseover', () => {
            const style = logic.hoverStyle(adcode, st.payload, true);
            if (style) l.setStyle(style);
          });
          l.on('mouseout', () => {
            const style = logic.hoverStyle(adcode, st.payload, false);
            if (style) l.setStyle(style);
          });
        },
      }).addTo(map);
      st.prefectures = L.geoJSON(topojson.feature(topo, topo.objects.prefectures), {
        interactive: false,
        style: {fill: false, color: '#4a4a4a', weight: 1.6, opacity: 0.9},
      }).addTo(map);
      map.fire('fjchains:drawn', event());
      if (st.payload) fjchains.apply(st.payload);
    }

    if (opts.topo) {
      build(opts.topo);
    } else {
      (pending || fetch(opts.url).then((r) => r.json())).then(build);
    }
  };
})();
