/* Every user's way into the county map (fjchains/geo/maps.py loads this file; a downloaded map
 * inlines it). window.fjMapAccess(map, opts) adds:
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
 * opts: {tips, points: {adcode: [lat, lng]}, bounds, msgs: {reset, tile, touch, scroll}}.
 * Text goes in with textContent or attributes, never as HTML. */
(function () {
  'use strict';
  var NARROW = 640;  // px: the phone layout (the details sit under the map, not beside it)

  function parentWindow() {
    try {
      if (window.parent !== window && window.parent.location.href) return window.parent;
    } catch (e) { /* another origin: leave the address alone */ }
    return null;
  }

  function keepTooltipsInside() {
    if (L.Tooltip.prototype.fjClamped) return;
    var place = L.Tooltip.prototype._setPosition;
    L.Tooltip.prototype._setPosition = function (pos) {
      place.call(this, pos);
      var map = this._map, el = this._container;
      if (!map || !el) return;
      var box = el.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
      var dx = 0, dy = 0;
      if (box.right > frame.right - 2) dx = frame.right - 2 - box.right;
      if (box.left + dx < frame.left + 2) dx = frame.left + 2 - box.left;
      if (box.bottom > frame.bottom - 2) dy = frame.bottom - 2 - box.bottom;
      if (box.top + dy < frame.top + 2) dy = frame.top + 2 - box.top;
      if (dx || dy) L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add([dx, dy]));
    };
    L.Tooltip.prototype.fjClamped = true;
  }

  function resetControl(map, opts) {
    var control = L.control({position: 'topleft'});
    control.onAdd = function () {
      var bar = L.DomUtil.create('div', 'leaflet-bar fj-reset');
      var button = L.DomUtil.create('a', '', bar);
      button.href = '#';
      button.setAttribute('role', 'button');
      button.setAttribute('aria-label', opts.msgs.reset);
      button.title = opts.msgs.reset;
      button.textContent = '⤢';
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, 'click', function (e) {
        L.DomEvent.preventDefault(e);
        map.fitBounds(opts.bounds);
      });
      return bar;
    };
    control.addTo(map);
  }

  function tileNotice(map, opts) {
    var shown = false;
    function watch(layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on('tileerror', function () {
        if (shown) return;
        shown = true;
        var notice = L.control({position: 'topright'});
        notice.onAdd = function () {
          var box = L.DomUtil.create('div', 'fj-notice');
          box.setAttribute('role', 'status');
          box.textContent = opts.msgs.tile;
          return box;
        };
        notice.addTo(map);
        document.body.dataset.fjTileNotice = '1';
      });
    }
    map.eachLayer(watch);
    map.on('layeradd', function (e) { watch(e.layer); });
  }

  function touchGestures(map, opts) {
    var host = parentWindow() || window;
    var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
    if (!map.gestureHandling || !(coarse || host.innerWidth <= NARROW)) return;
    map.options.gestureHandlingOptions = {
      text: {touch: opts.msgs.touch, scroll: opts.msgs.scroll, scrollMac: opts.msgs.scroll}, duration: 1500};
    map.gestureHandling.enable();
    document.body.dataset.fjGestures = '1';
  }

  function readView(host) {
    var q = new URLSearchParams(host.location.search);
    var z = parseFloat(q.get('z')), ll = (q.get('ll') || '').split(',').map(parseFloat);
    if (!(z >= 6 && z <= 13) || ll.length !== 2 || !(Math.abs(ll[0]) <= 90) || !(Math.abs(ll[1]) <= 180)) return null;
    return {z: z, ll: ll};
  }

  function viewInAddress(map) {
    var host = parentWindow();
    if (!host) return;
    // after the base map's own fitBounds (which runs later in the same script)
    setTimeout(function () {
      var view = readView(host);
      if (view) map.setView(view.ll, view.z, {animate: false});
      // only a view the user chose goes into the address (not a resize's or the first fit's)
      var chosen = !!view;
      map.on('dragstart zoomstart', function () { chosen = true; });
      map.on('moveend', function () {
        if (!chosen) return;
        var url = new URL(host.location.href), c = map.getCenter();
        url.searchParams.set('z', String(Math.round(map.getZoom() * 2) / 2));
        url.searchParams.set('ll', c.lat.toFixed(3) + ',' + c.lng.toFixed(3));
        host.history.replaceState(host.history.state, '', url.toString());
      });
      document.body.dataset.fjViewReady = '1';
    }, 0);
  }

  function showDetail(adcode) {
    var host = parentWindow();
    if (!host || host.innerWidth > NARROW) return;
    var tries = 0;
    (function look() {
      var panel = host.document.querySelector('.st-key-detail_panel');
      if (panel && panel.textContent.indexOf(adcode) >= 0) {
        // from the section's heading ("县区详情"), clear of Streamlit's top bar (app.css)
        (host.document.querySelector('.st-key-detail_section') || panel).scrollIntoView({block: 'start'});
        return;
      }
      if (++tries < 80) setTimeout(look, 100);
    })();
  }

  function label(st, adcode) {
    var tips = (st.payload && st.payload.tips) || {};
    return (tips[adcode] || st.tips[adcode] || [adcode]).join(', ');
  }

  function nameCounties(map, st, opts) {
    st.counties.eachLayer(function (l) {
      var path = l._path, adcode = l.feature.properties.adcode;
      if (!path) return;
      path.setAttribute('role', 'button');
      path.setAttribute('tabindex', '0');
      path.setAttribute('aria-label', label(st, adcode));
      path.dataset.adcode = adcode;
      if (path.fjKeys) return;
      path.fjKeys = true;
      l.on('click', function () { showDetail(adcode); });
      L.DomEvent.on(path, 'keydown', function (e) {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        L.DomEvent.preventDefault(e);
        var point = opts.points && opts.points[adcode];
        if (!point) return;
        map.fire('click', {latlng: L.latLng(point[0], point[1])});
        showDetail(adcode);
      });
    });
  }

  window.fjMapAccess = function (map, opts) {
    opts.msgs = opts.msgs || {};
    keepTooltipsInside();
    if (opts.msgs.reset) resetControl(map, opts);
    if (opts.msgs.tile) tileNotice(map, opts);
    if (opts.msgs.touch) touchGestures(map, opts);
    viewInAddress(map);
    map.getContainer().setAttribute('aria-label', opts.msgs.map || '');
    // county-layer.js calls these once the counties are drawn, and after each restyle
    if (window.fjState) window.fjState.points = opts.points;  // for the browser tests
    window.fjAfterBuild = window.fjAfterApply = function (st) { nameCounties(map, st, opts); };
    if (window.fjState && window.fjState.counties) nameCounties(map, window.fjState, opts);
  };
})();
