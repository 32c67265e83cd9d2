/* The county map's rules that need no page: a county's style, its tooltip lines and name,
 * the view in the address, how far a tooltip moves to stay inside the map. county-layer.js
 * and map-access.js use them as fjchains.logic; node loads the same file for the unit tests
 * (tests/js/map-logic.test.js). The fill of a county without a colour and the view's limits
 * are the server's (Python: fjchains.geo.maps.layer_options) and come in the map's options. */
((logic) => {
  if (typeof module === 'object' && module.exports) module.exports = logic;
  else {
    window.fjchains = window.fjchains || {};
    window.fjchains.logic = logic;
  }
})(
  (() => {
    'use strict';
    const OUTLINE = {color: '#ffffff', weight: 0.8};
    const HOVER = {color: '#333', weight: 2};
    const SELECTED = {color: '#000000', weight: 3};
    const FILL_OPACITY = 0.88;
    const FADED_OPACITY = 0.15;
    const NARROW = 640; // px: the phone layout (the details sit under the map, not beside it)
    // A number as fjchains.geo.view.NUMBER reads it: no spaces, '_', 'inf' or 'nan'.
    const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

    /** A county's style for Leaflet's setStyle: its fill from the payload (`blank` when it has
     * none), faded when the payload fades it, outlined in black when selected. */
    function countyStyle(adcode, payload, blank) {
      const selected = adcode === payload.sel;
      const faded = !!payload.faded && payload.faded.indexOf(adcode) >= 0;
      const outline = selected ? SELECTED : OUTLINE;
      return {
        fillColor: payload.fill[adcode] || blank,
        fillOpacity: faded ? FADED_OPACITY : FILL_OPACITY,
        color: outline.color,
        weight: outline.weight,
        opacity: 1,
      };
    }

    /** The style of a county before the first payload. */
    function firstStyle(blank) {
      return {fillColor: blank, fillOpacity: FILL_OPACITY, color: OUTLINE.color, weight: OUTLINE.weight};
    }

    /** The outline under the pointer (`over`) or after it, for a county that is not selected;
     * null for the selected one, which keeps its own. */
    function hoverStyle(adcode, payload, over) {
      if (payload && adcode === payload.sel) return null;
      return over ? {color: HOVER.color, weight: HOVER.weight} : {color: OUTLINE.color, weight: OUTLINE.weight};
    }

    /** A county's tooltip lines: this payload's, else the map's own, else its code. */
    function tipLines(adcode, payloadTips, tips) {
      return payloadTips?.[adcode] || tips?.[adcode] || [adcode];
    }

    /** A county's accessible name: its tooltip lines on one line. */
    function countyName(adcode, payloadTips, tips) {
      return tipLines(adcode, payloadTips, tips).join(', ');
    }

    function number(text) {
      return typeof text === 'string' && NUMBER.test(text) ? Number(text) : Number.NaN;
    }

    /** {z, ll: [lat, lng]} when zoom and centre are numbers within `limits` ({zoom: [lo, hi],
     * box: [[lat lo, hi], [lng lo, hi]]}), else null: the same rule as fjchains.geo.view.parse_view. */
    function parseView(z, ll, limits) {
      const parts = typeof ll === 'string' ? ll.split(',') : [];
      if (parts.length !== 2) return null;
      const zoom = number(z);
      const lat = number(parts[0]);
      const lng = number(parts[1]);
      const within = (v, range) => range[0] <= v && v <= range[1]; // false for NaN
      if (!(within(zoom, limits.zoom) && within(lat, limits.box[0]) && within(lng, limits.box[1]))) return null;
      return {z: zoom, ll: [lat, lng]};
    }

    /** The view in an address's query string (`?z=&ll=`); of repeated keys the last counts,
     * as in Streamlit's st.query_params. */
    function viewFromQuery(search, limits) {
      const query = new URLSearchParams(search);
      return parseView(query.getAll('z').pop() ?? null, query.getAll('ll').pop() ?? null, limits);
    }

    /** What the address carries for a view: zoom to the half step, centre to 3 decimals. */
    function viewParams(zoom, lat, lng) {
      return {z: String(Math.round(zoom * 2) / 2), ll: `${lat.toFixed(3)},${lng.toFixed(3)}`};
    }

    /** [dx, dy] that bring `box` (a tooltip's client rectangle) inside `frame` (the map's),
     * `margin` px from its edges; the top-left edge wins when the box is larger. */
    function shiftInside(box, frame, margin) {
      let dx = 0;
      let dy = 0;
      if (box.right > frame.right - margin) dx = frame.right - margin - box.right;
      if (box.left + dx < frame.left + margin) dx = frame.left + margin - box.left;
      if (box.bottom > frame.bottom - margin) dy = frame.bottom - margin - box.bottom;
      if (box.top + dy < frame.top + margin) dy = frame.top + margin - box.top;
      return [dx, dy];
    }

    /** Whether a page this wide has the phone layout. */
    function narrow(width) {
      return width <= NARROW;
    }

    return {
      countyStyle,
      firstStyle,
      hoverStyle,
      tipLines,
      countyName,
      parseView,
      viewFromQuery,
      viewParams,
      shiftInside,
      narrow,
    };
  })(),
);
