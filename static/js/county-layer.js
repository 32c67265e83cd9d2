/* County layer of the dashboard's Leaflet maps (fjchains/geo/maps.py loads this file; a downloaded map
 * inlines it). fjchains.layer(map, opts) draws the counties and prefecture outlines from TopoJSON and
 * defines fjchains.apply(payload), which restyles the counties in place: fill per county, the selected
 * county, faded counties, tooltip lines and the legend.
 * The legend's classes are buttons: hovering or focusing one outlines its counties (those of its
 * colour) and raises them; a click (Enter, Space) fades the other counties, a second click shows them
 * all again. That choice stays in the browser: filters, the address and downloads do not change.
 * From zoom 8 on (fjchains.logic.labelsShown) the counties are named at their keyboard points
 * (opts.points), as many as fit without overlapping each other or the map's controls
 * (fjchains.logic.pickLabels).
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

  function drawLegend(map, st, p, opts) {
    if (!st.legend) {
      st.legend = L.control({position: 'bottomright'});
      st.legend.onAdd = () => {
        const box = el('div', 'fj-legend');
        box.setAttribute('role', 'group');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      st.legend.addTo(map);
    }
    const box = st.legend.getContainer();
    const help = opts.msgs?.legend || '';
    box.textContent = '';
    box.setAttribute('aria-label', p.legend.title);
    box.appendChild(el('div', 'fj-title', p.legend.title));
    for (const [label, colour] of p.legend.items) {
      const item = el('button', 'fj-class');
      item.type = 'button';
      if (help) item.setAttribute('aria-describedby', 'fj-legend-hint');
      item.setAttribute('aria-pressed', String(!!st.only && logic.toggleClass(st.only, colour) === null));
      const swatch = el('i');
      swatch.style.background = colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(label));
      const over = () => outlineClass(st, colour, opts);
      const out = () => restyle(st, opts);
      item.addEventListener('mouseenter', over);
      item.addEventListener('focus', over);
      item.addEventListener('mouseleave', out);
      item.addEventListener('blur', out);
      item.addEventListener('click', () => {
        st.only = logic.toggleClass(st.only, colour);
        restyle(st, opts);
        outlineClass(st, colour, opts);
        for (const other of box.querySelectorAll('.fj-class')) other.setAttribute('aria-pressed', 'false');
        item.setAttribute('aria-pressed', String(!!st.only));
      });
      box.appendChild(item);
    }
    if (help) {
      const hint = el('div', 'fj-hint', help);
      hint.id = 'fj-legend-hint';
      box.appendChild(hint);
    }
  }

  /* Every county in the payload's style (and the legend's choice), the selected one on top. */
  function restyle(st, opts) {
    if (!st.counties || !st.payload) return;
    let selected = null;
    st.counties.eachLayer((l) => {
      const adcode = l.feature.properties.adcode;
      l.setStyle(logic.countyStyle(adcode, st.payload, opts.blank, st.only));
      if (adcode === st.payload.sel) selected = l;
    });
    st.prefectures.bringToFront();
    if (selected) selected.bringToFront();
  }

  /* A legend class's counties outlined and raised (its item is hovered or focused). */
  function outlineClass(st, colour, opts) {
    if (!st.counties || !st.payload) return;
    const members = new Set(logic.classMembers(colour, Object.keys(st.byAdcode), st.payload, opts.blank));
    st.counties.eachLayer((l) => {
      if (!members.has(l.feature.properties.adcode)) return;
      l.setStyle(logic.classStyle());
      l.bringToFront();
    });
  }

  /* County names at their points (opts.points), from zoom 8 on, as many as fit. */
  function nameLayer(map, st, opts) {
    const points = opts.points || {};
    const adcodes = Object.keys(points).filter((a) => st.byAdcode[a]);
    if (!adcodes.length) return;
    map.createPane('fjNames').style.zIndex = 450; // over the counties, under markers and tooltips
    map.getPane('fjNames').style.pointerEvents = 'none';
    const group = L.layerGroup();
    const names = {};
    for (const adcode of adcodes) {
      const text = el('span', 'fj-name');
      text.setAttribute('aria-hidden', 'true'); // the county's own button carries its name
      const icon = L.divIcon({className: 'fj-name-at', html: text, iconSize: null});
      group.addLayer(L.marker(points[adcode], {icon, interactive: false, keyboard: false, pane: 'fjNames'}));
      names[adcode] = {text, size: null, shown: ''};
    }
    const GAP = 3; // px between two names

    function place() {
      if (!logic.labelsShown(map.getZoom())) {
        if (map.hasLayer(group)) map.removeLayer(group);
        return;
      }
      if (!map.hasLayer(group)) group.addTo(map);
      for (const adcode of adcodes) {
        const name = logic.tipLines(adcode, st.payload?.tips, st.tips)[0];
        const n = names[adcode];
        if (n.shown !== name) {
          n.text.textContent = name;
          n.shown = name;
          n.size = null;
        }
      }
      const labels = adcodes.map((adcode) => {
        const n = names[adcode];
        if (!n.size) n.size = [n.text.offsetWidth, n.text.offsetHeight];
        const at = map.latLngToContainerPoint(points[adcode]);
        const bounds = st.byAdcode[adcode].getBounds();
        const nw = map.latLngToContainerPoint(bounds.getNorthWest());
        const se = map.latLngToContainerPoint(bounds.getSouthEast());
        const area = Math.abs(se.x - nw.x) * Math.abs(se.y - nw.y);
        const [w, h] = n.size;
        return {
          id: adcode,
          rank: logic.labelRank(adcode, st.payload, opts.blank, area, st.only),
          box: {left: at.x - w / 2, top: at.y - h / 2, right: at.x + w / 2, bottom: at.y + h / 2},
        };
      });
      // the map's controls (legend, buttons, scale, credit) come first: no name under them
      const frame = map.getContainer().getBoundingClientRect();
      for (const control of map.getContainer().querySelectorAll('.leaflet-control')) {
        const r = control.getBoundingClientRect();
        const box = {left: r.left - frame.left, top: r.top - frame.top, right: r.right - frame.left};
        labels.push({id: null, rank: Number.POSITIVE_INFINITY, box: {...box, bottom: r.bottom - frame.top}});
      }
      const kept = new Set(logic.pickLabels(labels, GAP));
      for (const adcode of adcodes) names[adcode].text.classList.toggle('fj-off', !kept.has(adcode));
    }

    st.placeNames = place;
    map.on('moveend', place); // after a zoom too; a pan moves names under or out from the controls
    place();
  }

  /* opts: {tips: {adcode: [lines]}, attribution: text, blank: the fill of a county the payload
   * gives no colour, url: TopoJSON URL | topo: TopoJSON}; `pending`: the TopoJSON's fetch, when
   * the caller has started it already (the map frame). */
  fjchains.layer = (map, opts, pending) => {
    // only: the legend class shown alone (its colour), or null; byAdcode: each county's layer
    const st = {payload: null, counties: null, prefectures: null, legend: null, tips: opts.tips || {}, only: null};
    st.byAdcode = {};
    const event = () => ({counties: st.counties, payload: st.payload, tips: st.tips});

    fjchains.apply = (p) => {
      st.payload = p;
      if (!st.counties) return;
      st.only = logic.keptClass(st.only, p.legend.items);
      restyle(st, opts);
      if (p.tips) {
        st.counties.eachLayer((l) => {
          l.setTooltipContent(tip(logic.tipLines(l.feature.properties.adcode, p.tips, st.tips)));
        });
      }
      drawLegend(map, st, p, opts);
      if (st.placeNames) st.placeNames();
      map.fire('fjchains:styled', event());
    };

    map.attributionControl.setPrefix('Leaflet');

    function build(topo) {
      st.counties = L.geoJSON(topojson.feature(topo, topo.objects.counties), {
        attribution: opts.attribution,
        style: logic.firstStyle(opts.blank),
        onEachFeature: (f, l) => {
          const adcode = f.properties.adcode;
          st.byAdcode[adcode] = l;
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
      nameLayer(map, st, opts);
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
