/* Every user's way into the county map (fjchains/geo/maps.py loads this file; a downloaded map
 * inlines it). fjchains.access(map, opts) adds:
 * - keyboard and screen readers: each county path is a named button (county, prefecture,
 *   chains); Enter or Space selects it, as a click at a point inside the county would, and then
 *   moves the focus to the county's heading in its details; an arrow key moves the focus to the
 *   nearest county that way (fjchains.logic.step); the map's document says the interface's
 *   language (opts.lang);
 * - a finger's tap that hits no county, or one smaller than the finger, chooses the county whose
 *   point is nearest within a finger's reach (fjchains.logic.fingerPick; fjchains.tapTarget);
 * - tooltips kept inside the map box (long English lines wrap, and a tooltip that would
 *   run past an edge is shifted back in);
 * - a reset-view button; on touch screens, one finger scrolls the page and two move the
 *   map (vendored leaflet-gesture-handling);
 * - the view (zoom and centre) in the page's address as ?z=&ll=, restored when the map is
 *   drawn again (a language or basemap switch) or a link is opened;
 * - one notice when basemap tiles fail to load (no internet);
 * - on narrow screens, after a county is chosen, its details scrolled into view
 *   (fjchains.showDetail: the page's table does the same, static/js/page-follow.js).
 * opts: {tips, points: {adcode: [lat, lng]}, bounds, view: the limits of a view in the address,
 * msgs: {reset, tile, touch, scroll, map}, lang}. Call it before fjchains.layer: it names the
 * counties when the layer fires 'fjchains:drawn' and 'fjchains:styled'.
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

  /* A county's tooltip stays inside the map's box: after Leaflet places it (as it opens, as the
   * pointer moves: the layer's handlers run before the map's), it is shifted back inside. */
  function keepTooltipsInside(map) {
    let open = null;
    const clamp = () => {
      const el = open?.isOpen() ? open.getElement() : null;
      if (!el) return;
      const [dx, dy] = logic.shiftInside(
        el.getBoundingClientRect(),
        map.getContainer().getBoundingClientRect(),
        MARGIN,
      );
      if (dx || dy) L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add([dx, dy]));
    };
    map.on('tooltipopen', (e) => {
      open = e.tooltip;
      clamp();
    });
    map.on('tooltipclose', () => {
      open = null;
    });
    map.on('mousemove zoomend moveend', clamp);
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

  const DETAIL_HEADING = 'h3'; // the county's name: the detail panel's first Markdown heading

  /* The page's detail panel and its section (Streamlit's keyed containers detail_panel and
   * detail_section), found through the page's fjchains.seam (static/js/seam.js); null when the
   * page has none (yet), or no seam. */
  function details(host) {
    const seam = host.fjchains?.seam;
    const panel = seam ? seam.first(host.document, seam.key('detail_panel')) : null;
    return panel ? {panel, section: seam.first(host.document, seam.key('detail_section')) || panel} : null;
  }

  /* Once the page's details show `adcode`: on a narrow page, scrolled into view; with `focus`
   * (a keyboard choice), the county's heading focused (on any page). */
  function showDetail(host, adcode, focus) {
    if (!host) return;
    const narrow = logic.narrow(host.innerWidth);
    if (!narrow && !focus) return;
    let tries = 0;
    const look = () => {
      const found = details(host);
      if (found && found.panel.textContent.indexOf(adcode) >= 0) {
        // from the section's heading ("县区详情"), clear of Streamlit's top bar (app.css)
        if (narrow) found.section.scrollIntoView({block: 'start'});
        const heading = found.panel.querySelector(DETAIL_HEADING);
        if (focus && heading) {
          heading.setAttribute('tabindex', '-1');
          heading.focus({preventScroll: narrow});
        }
        return;
      }
      tries += 1;
      if (tries < 80) setTimeout(look, 100);
    };
    look();
  }

  /* Where the map sends a click (fjchains.tapTarget): a finger's tap that hit no county, or one
   * smaller than the finger, goes to the point of the county it most likely meant. */
  function tapTargets(map, points, st) {
    return (e) => {
      const oe = e.originalEvent;
      const hit = st.hit && st.hit.event === oe ? st.hit : null;
      if (oe?.pointerType !== 'touch') return {latlng: e.latlng, adcode: hit ? hit.adcode : null};
      const screen = Object.keys(points).map((id) => {
        const p = map.latLngToContainerPoint(points[id]);
        return {id, x: p.x, y: p.y};
      });
      let size = 0;
      if (hit) {
        const bounds = hit.layer.getBounds();
        const nw = map.latLngToContainerPoint(bounds.getNorthWest());
        const se = map.latLngToContainerPoint(bounds.getSouthEast());
        size = Math.max(Math.abs(se.x - nw.x), Math.abs(se.y - nw.y));
      }
      const picked = logic.fingerPick(e.containerPoint, hit ? {id: hit.adcode, size} : null, screen, logic.REACH);
      if (!picked || (hit && picked === hit.adcode)) return {latlng: e.latlng, adcode: picked};
      return {latlng: L.latLng(points[picked][0], points[picked][1]), adcode: picked};
    };
  }

  /* The county an arrow key on `adcode` goes to: its path focused (the map moves to show it). */
  function arrowTo(map, points, adcode, key) {
    const from = points[adcode];
    if (!from) return;
    const here = map.latLngToContainerPoint(from);
    const screen = Object.keys(points).map((id) => {
      const p = map.latLngToContainerPoint(points[id]);
      return {id, x: p.x, y: p.y};
    });
    const next = logic.step({x: here.x, y: here.y}, key, screen);
    if (!next) return;
    const path = map.getContainer().querySelector(`path[data-adcode="${next}"]`);
    if (!path) return;
    map.panInside(L.latLng(points[next][0], points[next][1]), {padding: [30, 30], animate: false});
    path.focus();
  }

  /* Each county path a named button; `e`: the layer's event ({counties, payload, tips}); `st`:
   * the last county hit by a pointer ({adcode, layer, event}). */
  function nameCounties(map, e, points, st) {
    const payloadTips = e.payload?.tips;
    e.counties.eachLayer((l) => {
      const path = l.getElement();
      const adcode = l.feature.properties.adcode;
      if (!path) return;
      path.setAttribute('role', 'button');
      path.setAttribute('tabindex', '0');
      path.setAttribute('aria-label', logic.countyName(adcode, payloadTips, e.tips));
      path.dataset.adcode = adcode; // the county as the address names it (?county=); arrowTo finds paths by it
      if (path.fjKeys) return;
      path.fjKeys = true;
      l.on('click', (event) => {
        st.hit = {adcode, layer: l, event: event.originalEvent};
      });
      L.DomEvent.on(path, 'keydown', (event) => {
        if (event.key in ARROW_KEYS) {
          L.DomEvent.preventDefault(event);
          arrowTo(map, points, adcode, event.key);
          return;
        }
        if (event.key !== 'Enter' && event.key !== ' ') return;
        L.DomEvent.preventDefault(event);
        const point = points[adcode];
        if (!point) return;
        map.fire('click', {latlng: L.latLng(point[0], point[1])});
        showDetail(st.host, adcode, true);
      });
    });
  }

  const ARROW_KEYS = {ArrowUp: 1, ArrowDown: 1, ArrowLeft: 1, ArrowRight: 1};

  fjchains.access = (map, opts) => {
    const host = pageWindow();
    const msgs = opts.msgs || {};
    const points = opts.points || {};
    const st = {host, hit: null};
    if (opts.lang) document.documentElement.lang = opts.lang;
    fjchains.showDetail = (adcode) => showDetail(host, adcode, false);
    fjchains.tapTarget = tapTargets(map, points, st);
    keepTooltipsInside(map);
    if (msgs.reset) resetControl(map, opts.bounds, msgs.reset);
    if (msgs.tile) tileNotice(map, msgs.tile);
    if (msgs.touch) touchGestures(map, msgs, host);
    if (host) viewInAddress(map, host, opts.view);
    map.getContainer().setAttribute('aria-label', msgs.map || '');
    map.on('fjchains:drawn fjchains:styled', (e) => nameCounties(map, e, points, st));
    // a click or tap chose a county (keyboard: the Enter handler above): on a phone, its details
    map.on('click', (e) => {
      if (!e.originalEvent) return;
      const target = fjchains.tapTarget(e);
      if (target.adcode) showDetail(host, target.adcode, false);
    });
  };
})();
