// Browser-side probes of the benchmark and the load test, run in the top page (the map's
// iframe is same-origin). benchmarks/common.py evaluates them as `(arg) => (<this file>).name(arg)`.
({
  // ours (fjchains/app/map_frame.py) or the naive app's streamlit-folium
  frame() {
    return document.querySelector('iframe[title="fjchains.app.map_frame.county_map"], ' +
                                  'iframe[title="streamlit_folium.st_folium"]');
  },

  // the Leaflet map of a frame: ours is fjchains.map (static/map-frame/frame.js), streamlit-folium's window.map
  mapOf(w) {
    return w ? (w.fjchains && w.fjchains.map) || w.map : undefined;
  },

  fillOf(w, adcode) {
    let out = null;
    this.mapOf(w).eachLayer((l) => {
      if (l.feature && l.feature.properties && l.feature.properties.adcode === adcode && l._path) {
        out = l._path.getAttribute('fill');
      }
    });
    return out;
  },

  // 84 counties drawn; our app draws grey first, then applies the colours with the legend: wait for that too
  drawn() {
    const f = this.frame(); const d = f && f.contentDocument;
    if (!d || !d.body) return false;
    if (d.querySelectorAll('path.leaflet-interactive').length < 84) return false;
    return !f.contentWindow.fjchains || !!d.querySelector('.fj-legend');
  },

  // the map's legend shows this text (your data: the uploaded column's choropleth, not the grey map waiting for it)
  legendHas(text) {
    const f = this.frame(); const d = f && f.contentDocument;
    const legend = d && d.querySelector('.fj-legend');
    return this.drawn() && !!legend && legend.textContent.includes(text);
  },

  fill(adcode) {
    const f = this.frame(); const w = f && f.contentWindow;
    return this.mapOf(w) ? this.fillOf(w, adcode) : null;
  },

  fillChanged([adcode, before]) {
    const f = this.frame(); const w = f && f.contentWindow;
    if (!this.mapOf(w) || !f.contentDocument ||
        f.contentDocument.querySelectorAll('path.leaflet-interactive').length < 84) return false;
    const now = this.fillOf(w, adcode);
    return now !== null && now !== before;
  },

  // viewport coordinates of a point of the map, and whether a click there lands on a county
  point([lat, lng]) {
    const f = this.frame(); const w = f.contentWindow; const m = this.mapOf(w);
    const p = m.latLngToContainerPoint([lat, lng]); const s = m.getSize();
    const fr = f.getBoundingClientRect(); const mr = m.getContainer().getBoundingClientRect();
    const x = mr.left + p.x, y = mr.top + p.y;
    const hit = w.document.elementFromPoint(x, y);
    return {x: fr.left + x, y: fr.top + y, inMap: p.x > 8 && p.y > 8 && p.x < s.x - 8 && p.y < s.y - 8,
            inViewport: fr.top + y > 0 && fr.top + y < window.innerHeight,
            onCounty: !!hit && hit.classList && hit.classList.contains('leaflet-interactive')};
  },

  // zoom the map and tag it, to tell later whether the same map object survived
  setView([center, zoom]) {
    const w = this.frame().contentWindow;
    const m = this.mapOf(w); m.setView(center, zoom, {animate: false}); w.__mounted = 'x'; m.__benchTag = 'x';
  },

  panTo([lat, lng]) {
    const w = this.frame().contentWindow;
    const m = this.mapOf(w); m.setView([lat, lng], m.getZoom(), {animate: false});
  },

  scrollMapIntoView() { this.frame().scrollIntoView({block: 'center'}); },

  survival() {
    const f = this.frame(); const w = f && f.contentWindow;
    const m = this.mapOf(w);
    return {marker: !!w && w.__mounted === 'x', same_map: !!(m && m.__benchTag === 'x'), zoom: m ? m.getZoom() : null};
  },

  detailHas(name) {
    const e = document.querySelector('.st-key-detail_panel');
    return !!e && !e.closest('[data-stale=true]') && e.innerText.includes(name);
  },

  idle() {
    return !document.querySelector('[data-testid=stStatusWidget]') && !document.querySelector('[data-stale=true]');
  },

  // what our map shows (every county's fill and outline, the legend) as a short hash: it changes with each
  // restyle that changes the picture; null before the first restyle
  applied() {
    const f = this.frame(); const d = f && f.contentDocument;
    const legend = d && d.querySelector('.fj-legend');
    if (!legend) return null;
    const look = [...d.querySelectorAll('path.leaflet-interactive')].map((p) => ['fill', 'fill-opacity', 'stroke',
      'stroke-width'].map((a) => p.getAttribute(a)).join(' ')).join(';') + '|' + legend.textContent;
    let h = 5381;
    for (let i = 0; i < look.length; i++) h = ((h * 33) ^ look.charCodeAt(i)) >>> 0;
    return h.toString(16);
  },

  // at document start (page.add_init_script): record every layout shift the page makes
  // without user input; their sum is at least the CLS metric (which takes the worst 5 s window)
  watchShifts() {
    window.__fjShifts = [];
    const label = (n) => !n ? '' : (n.dataset && n.dataset.testid) || (typeof n.className === 'string' && n.className) || n.nodeName;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.hadRecentInput) {
          window.__fjShifts.push({t: Math.round(e.startTime), value: e.value,
                                  what: (e.sources || []).map((s) => label(s.node)).join(', ').slice(0, 200)});
        }
      }
    }).observe({type: 'layout-shift', buffered: true});
  },

  shifts() { return window.__fjShifts || []; },

  titleShown() { return !!document.querySelector('[data-testid=stMain] h1'); },

  loadBreakdown() {
    // ms since navigation start: top-page milestones and the map iframe's resources
    const out = {}; const nav = performance.getEntriesByType('navigation')[0];
    if (nav) { out.html = nav.responseEnd; out.dom_content_loaded = nav.domContentLoadedEventEnd; }
    let js = 0; for (const e of performance.getEntriesByType('resource'))
      if (e.initiatorType === 'script' || e.name.endsWith('.js')) js = Math.max(js, e.responseEnd);
    out.top_scripts_loaded = js;
    const f = document.querySelector('iframe[title="fjchains.app.map_frame.county_map"]');
    if (f && f.contentWindow) {
      const off = f.contentWindow.performance.timeOrigin - performance.timeOrigin;
      out.map_iframe_created = off;
      for (const e of f.contentWindow.performance.getEntriesByType('resource')) {
        const name = e.name.split('/').pop().split('?')[0];
        if (/leaflet\.js|topojson|counties-|main\./.test(name)) out['iframe ' + name.replace(/-[0-9a-f]{16}/, '').replace(/\.[0-9a-f]{8}\./, '.')] = off + e.responseEnd;
      }
    }
    out.drawn = performance.now();
    return out;
  },
})
