/* County layer of the dashboard's Leaflet maps (fjchains/geo/maps.py loads this file; a
 * downloaded map inlines it). Draws the counties and prefecture outlines from TopoJSON and
 * defines window.fjApply(payload), which restyles the counties in place: fill per county,
 * the selected county, faded counties, tooltip lines and the legend. Names from any file
 * are shown with textContent, never as HTML. */
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function tip(lines) {
    var d = el('div', 'fj-tip');
    d.appendChild(el('b', null, lines[0]));
    for (var i = 1; i < lines.length; i++) {
      d.appendChild(el('br'));
      d.appendChild(el('span', i === 1 ? 'fj-sub' : null, lines[i]));
    }
    return d;
  }

  function drawLegend(map, st, p) {
    if (!st.legend) {
      st.legend = L.control({position: 'bottomright'});
      st.legend.onAdd = function () { return el('div', 'fj-legend'); };
      st.legend.addTo(map);
    }
    var box = st.legend.getContainer();
    box.textContent = '';
    box.appendChild(el('div', 'fj-title', p.legend.title));
    p.legend.items.forEach(function (it) {
      var row = el('div');
      var swatch = el('i');
      swatch.style.background = it[1];
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(it[0]));
      box.appendChild(row);
    });
  }

  /* Tell the page (the dashboard, same origin) that the map has drawn, after it is painted:
   * the page then loads what it held back for the map (fjchains/app/deferred.py). */
  function announceDrawn(st) {
    st.announced = true;
    if (window.parent === window) return;  // a downloaded map
    requestAnimationFrame(function () {
      setTimeout(function () { window.parent.postMessage({fjMapDrawn: true}, window.location.origin); }, 0);
    });
  }

  /* opts: {tips: {adcode: [lines]}, attribution: text, url: TopoJSON URL | topo: TopoJSON};
   * `pending`: the TopoJSON's fetch, when the caller has started it already (the map frame). */
  window.fjCountyLayer = function (map, opts, pending) {
    var st = window.fjState = window.fjState || {payload: null, counties: null, legend: null};
    st.tips = opts.tips || {};

    window.fjApply = function (p) {
      st.payload = p;
      if (!st.counties) return;
      var selected = null;
      st.counties.eachLayer(function (l) {
        var a = l.feature.properties.adcode, sel = a === p.sel;
        var faded = p.faded && p.faded.indexOf(a) >= 0;
        l.setStyle({fillColor: p.fill[a] || '#e6e6e6', fillOpacity: faded ? 0.15 : 0.88,
                    color: sel ? '#000000' : '#ffffff', weight: sel ? 3 : 0.8, opacity: 1});
        if (p.tips) l.setTooltipContent(tip(p.tips[a] || st.tips[a] || [a]));
        if (sel) selected = l;
      });
      st.prefectures.bringToFront();
      if (selected) selected.bringToFront();
      drawLegend(map, st, p);
      if (window.fjAfterApply) window.fjAfterApply(st);  // map-access.js: names follow the tooltips
      document.body.dataset.fjSelected = p.sel || '';
      document.body.dataset.fjApplied = String((+document.body.dataset.fjApplied || 0) + 1);
      if (!st.announced) announceDrawn(st);
    };

    map.attributionControl.setPrefix('Leaflet');

    function build(topo) {
      st.counties = L.geoJSON(topojson.feature(topo, topo.objects.counties), {
        attribution: opts.attribution,
        style: {fillColor: '#e6e6e6', fillOpacity: 0.88, color: '#ffffff', weight: 0.8},
        onEachFeature: function (f, l) {
          l.bindTooltip(tip(st.tips[f.properties.adcode] || [f.properties.adcode]), {sticky: true});
          l.on('mouseover', function () {
            if (l.feature.properties.adcode !== (st.payload || {}).sel) l.setStyle({weight: 2, color: '#333'});
          });
          l.on('mouseout', function () {
            if (l.feature.properties.adcode !== (st.payload || {}).sel) l.setStyle({weight: 0.8, color: '#ffffff'});
          });
        }
      }).addTo(map);
      st.prefectures = L.geoJSON(topojson.feature(topo, topo.objects.prefectures), {
        interactive: false, style: {fill: false, color: '#4a4a4a', weight: 1.6, opacity: 0.9}
      }).addTo(map);
      if (window.fjAfterBuild) window.fjAfterBuild(st);  // map-access.js: keyboard and screen readers
      document.body.dataset.fjCounties = String(st.counties.getLayers().length);
      if (st.payload) window.fjApply(st.payload);
    }

    if (opts.topo) {
      build(opts.topo);
    } else {
      (pending || fetch(opts.url).then(function (r) { return r.json(); })).then(build);
    }
  };
})();
