/* Every user's way into the county map (fjchains/geo/maps.py loads this file; a downloaded map
 * inlines it). fjchains.access(map, opts) adds:
 * - keyboard and screen readers: each county path is a named button (county, prefecture,
 *   chains); Enter or Space selects it, as a click at a point inside the county would;
 * - tooltips kept inside the map box (long English lines wrap, and a tooltip that would
 *   run past an edge is shifted back in);
 * - a reset-view button; on touch screens, one finger scrolls the page and two move the
 *   map (vendored leaflet-gesture-handling);
 * - the view (zoom and centre) in the page's address as ?z=&ll=, restored when the map is
 *   drawn again (a language or basemap switch) or a link is opened;
 * - one notice when basemap tiles fail to load (no internet);
 * - on narrow screens, after a county is chosen, its details scrolled into view.
 * opts: {tips, points: {adcode: [lat, lng]}, bounds, view: the limits of a view in the address,
 * msgs: {reset, tile, touch, scroll, map}}. Call it before fjchains.layer: it names the counties
 * when the layer fires 'fjchains:drawn' and 'fjchains:styled'.
 * Text goes in with textContent or attributes, never as HTML. */
(() => {
  'use strict';
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  const logic = fjchains.logic;
  const MARGIN = 2; // px between a tooltip and the map's edge

  /* The dashboard's page around the map's frame (same origin); null for a downloaded map or a
   * page of another origin (then the address is left alone). */
  function pageWindow() {
    try {
      if (window.parent !== window && window.parent.location.href) return window.parent;
    } catch (_e) {
      /* another origin */
    }
    return null;
  }

  function keepTooltipsInside() {
    if (L.Tooltip.prototype.fjClamped) return;
    const place = L.Tooltip.prototype._setPosition;
    L.Tooltip.prototype._setPosition = function (pos) {
      place.call(this, pos);
      const map = this._map;
      const el = this._container;
      if (!map || !el) return;
      const [dx, dy] = logic.shiftInside(
        el.getBoundingClientRect(),
        map.getContainer().getBoundingClientRect(),
        MARGIN,
      );
      if (dx || dy) L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add([dx, dy]));
    };
    L.Tooltip.prototype.fjClamped = true;
  }

  function resetControl(map, bounds, text) {
    const control = L.control({position: 'topleft'});
    control.onAdd = () => {
      const bar = L.DomUtil.create('div', 'leaflet-bar fj-reset');
      const button = L.DomUtil.create('a', '', bar);
      button.href = '#';
      button.setAttribute('role', 'button');
      button.setAttribute('aria-label', text);
      button.title = text;
      button.textContent = '⤢';
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, 'click', (e) => {
        L.DomEvent.preventDefault(e);
        map.fitBounds(bounds);
      });
      return bar;
    };
    control.addTo(map);
  }

  function tileNotice(map, text) {
    let shown = false;
    function watch(layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on('tileerror', () => {
        if (shown) return;
        shown = true;
        const notice = L.control({position: 'topright'});
        notice.onAdd = () => {
          const box = L.DomUtil.create('div', 'fj-notice');
          box.setAttribute('role', 'status');
          box.textContent = text;
          return box;
        };
        notice.addTo(map);
      });
    }
    map.eachLayer(watch);
    map.on('layeradd', (e) => watch(e.layer));
  }

  function touchGestures(map, msgs, host) {
    const coarse = window.matchMedia?.('(pointer: coarse)').matches;
    if (!map.gestureHandling || !(coarse || logic.narrow((host || window).innerWidth))) return;
    map.options.gestureHandlingOptions = {
      text: {touch: msgs.touch, scroll: msgs.scroll, scrollMac: msgs.scroll},
      duration: 1500,
    };
    map.gestureHandling.enable();
  }

  function viewInAddress(map, host, limits) {
    // after the base map's own fitBounds (which runs later in the same script)
    setTimeout(() => {
      const view = logic.viewFromQuery(host.location.search, limits);
      if (view) map.setView(view.ll, view.z, {animate: false});
      // only a view the user chose goes into the address (not a resize's or the first fit's)
      let chosen = !!view;
      map.on('dragstart zoomstart', () => {
        chosen = true;
      });
      map.on('moveend', () => {
        if (!chosen) return;
        const url = new URL(host.location.href);
        const centre = map.getCenter();
        const params = logic.viewParams(map.getZoom(), centre.lat, centre.lng);
        url.searchParams.set('z', params.z);
        url.searchParams.set('ll', params.ll);
        host.history.replaceState(host.history.state, '', url.toString());
      });
    }, 0);
  }

  function showDetail(host, adcode) {
    if (!host || !logic.narrow(host.innerWidth)) return;
    let tries = 0;
    const look = () => {
      const panel = host.document.querySelector('.st-key-detail_panel');
      if (panel && panel.textContent.indexOf(adcode) >= 0) {
        // from the section's heading ("县区详情"), clear of Streamlit's top bar (app.css)
        (host.document.querySelector('.st-key-detail_section') || panel).scrollIntoView({block: 'start'});
        return;
      }
      tries += 1;
      if (tries < 80) setTimeout(look, 100);
    };
    look();
  }

  /* Each county path a named button; `e`: the layer's event ({counties, payload, tips}). */
  function nameCounties(map, e, points, host) {
    const payloadTips = e.payload?.tips;
    e.counties.eachLayer((l) => {
      const path = l._path;
      const adcode = l.feature.properties.adcode;
      if (!path) return;
      path.setAttribute('role', 'button');
      path.setAttribute('tabindex', '0');
      path.setAttribute('aria-label', logic.countyName(adcode, payloadTips, e.tips));
      path.dataset.adcode = adcode; // the county as the address names it (?county=)
      if (path.fjKeys) return;
      path.fjKeys = true;
      l.on('click', () => showDetail(host, adcode));
      L.DomEvent.on(path, 'keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        L.DomEvent.preventDefault(event);
        const point = points[adcode];
        if (!point) return;
        map.fire('click', {latlng: L.latLng(point[0], point[1])});
        showDetail(host, adcode);
      });
    });
  }

  fjchains.access = (map, opts) => {
    const host = pageWindow();
    const msgs = opts.msgs || {};
    keepTooltipsInside();
    if (msgs.reset) resetControl(map, opts.bounds, msgs.reset);
    if (msgs.tile) tileNotice(map, msgs.tile);
    if (msgs.touch) touchGestures(map, msgs, host);
    if (host) viewInAddress(map, host, opts.view);
    map.getContainer().setAttribute('aria-label', msgs.map || '');
    map.on('fjchains:drawn fjchains:styled', (e) => nameCounties(map, e, opts.points || {}, host));
  };
})();
