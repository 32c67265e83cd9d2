/* The county map's rules that need no page: a county's style, its tooltip lines and name,
 * the view in the address, how far a tooltip moves to stay inside the map, which county names
 * fit on the map, which county a finger meant and which one an arrow key goes to. county-layer.js
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
    const CLASS_HOVER = {color: '#0b57d0', weight: 2.5}; // a legend class under the pointer or focus
    const LABEL_ZOOM = 8; // county names from this zoom on (at the province's zoom they would cover the colours)
    const REACH = 22; // px: how far from a finger's centre a tap still means a county
    const ARROWS = {ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0]};
    // A number as fjchains.geo.view.NUMBER reads it: no spaces, '_', 'inf' or 'nan'.
    const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

    /** A county's fill: the payload's, else `blank`. */
    function fillOf(adcode, payload, blank) {
      return payload.fill[adcode] || blank;
    }

    /** A county's style for Leaflet's setStyle: its fill from the payload (`blank` when it has
     * none), faded when the payload fades it or when the legend shows one class (`only`, that
     * class's colour) and it is not of that class, outlined in black when selected. */
    function countyStyle(adcode, payload, blank, only) {
      const selected = adcode === payload.sel;
      const fill = fillOf(adcode, payload, blank);
      const faded = (!!payload.faded && payload.faded.indexOf(adcode) >= 0) || (!!only && !sameColour(fill, only));
      const outline = selected ? SELECTED : OUTLINE;
      return {
        fillColor: fill,
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

    function sameColour(a, b) {
      return String(a).toLowerCase() === String(b).toLowerCase();
    }

    /** The counties of a legend class: those whose fill is the class's colour. */
    function classMembers(colour, adcodes, payload, blank) {
      return adcodes.filter((adcode) => sameColour(fillOf(adcode, payload, blank), colour));
    }

    /** The outline of a legend class's counties while its legend item is hovered or focused. */
    function classStyle() {
      return {color: CLASS_HOVER.color, weight: CLASS_HOVER.weight};
    }

    /** The legend class shown alone after a click on `colour` (`only` before): that one, or
     * none when it was already the one (a second click shows every class again). */
    function toggleClass(only, colour) {
      return only && sameColour(only, colour) ? null : colour;
    }

    /** The class kept after a restyle: `only` while the legend still has it, else none. */
    function keptClass(only, items) {
      return only && items.some((item) => sameColour(item[1], only)) ? only : null;
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

    /** Whether the map names its counties at this zoom. */
    function labelsShown(zoom) {
      return zoom >= LABEL_ZOOM;
    }

    /** How much a county's name matters, for `pickLabels`: the selected county first, then the
     * counties that keep their colour (named, not faded), then the others, and within each the
     * larger county (`area`: its box on screen, px²) first. */
    function labelRank(adcode, payload, blank, area, only) {
      let tier = 1;
      if (payload) {
        const style = countyStyle(adcode, payload, blank, only);
        if (adcode === payload.sel) tier = 3;
        else if (style.fillOpacity === FADED_OPACITY) tier = 0;
        else if (!sameColour(style.fillColor, blank)) tier = 2;
      }
      return tier * 1e9 + Math.min(Math.max(area, 0), 1e9 - 1);
    }

    function overlap(a, b, gap) {
      return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;
    }

    /** The names to show, none over another: greedy, highest `rank` first (ties: as listed), each
     * kept when its box (client rectangle: left, top, right, bottom) keeps `gap` px from every
     * name kept before it. labels: [{id, rank, box}]; returns the ids kept, in that order. */
    function pickLabels(labels, gap) {
      const order = labels.map((label, i) => [label, i]).sort((a, b) => b[0].rank - a[0].rank || a[1] - b[1]);
      const kept = [];
      for (const [label] of order) {
        if (!kept.some((k) => overlap(k.box, label.box, gap))) kept.push(label);
      }
      return kept.map((label) => label.id);
    }

    /** The point nearest to `tap` ({x, y}) within `reach` px, of points [{id, x, y}]: its id, or null. */
    function nearestWithin(tap, points, reach) {
      let best = null;
      let bestDistance = reach;
      for (const p of points) {
        const distance = Math.hypot(p.x - tap.x, p.y - tap.y);
        if (distance <= bestDistance) {
          best = p.id;
          bestDistance = distance;
        }
      }
      return best;
    }

    /** The county a finger meant. `hit`: the county under the tap's centre ({id, size}: size is
     * the larger side of its box on screen, px) or null. A county at least as large as the
     * finger (2 × `reach`) is the one; otherwise the county whose point (`points`: [{id, x, y}],
     * a point inside each) is nearest within `reach`, else the hit one, else null. */
    function fingerPick(tap, hit, points, reach = REACH) {
      if (hit && hit.size >= 2 * reach) return hit.id;
      return nearestWithin(tap, points, reach) ?? (hit ? hit.id : null);
    }

    /** The county an arrow key goes to from `from` ({x, y}: its point on screen): of `points`
     * ([{id, x, y}], screen coordinates, y down), the nearest in the arrow's direction, counting
     * a point off the arrow's line as farther; only points within about 63° of the direction
     * count. null when there is none (or `key` is not an arrow). */
    function step(from, key, points) {
      const dir = ARROWS[key];
      if (!dir) return null;
      let best = null;
      let bestScore = Number.POSITIVE_INFINITY;
      for (const p of points) {
        const dx = p.x - from.x;
        const dy = p.y - from.y;
        const along = dx * dir[0] + dy * dir[1];
        const across = Math.abs(dx * dir[1] - dy * dir[0]);
        if (along <= 0 || across > 2 * along) continue;
        const score = Math.hypot(along, across) + across;
        if (score < bestScore) {
          best = p.id;
          bestScore = score;
        }
      }
      return best;
    }

    return {
      REACH,
      countyStyle,
      classMembers,
      classStyle,
      toggleClass,
      keptClass,
      firstStyle,
      hoverStyle,
      tipLines,
      countyName,
      parseView,
      viewFromQuery,
      viewParams,
      shiftInside,
      narrow,
      labelsShown,
      labelRank,
      pickLabels,
      nearestWithin,
      fingerPick,
      step,
    };
  })(),
);
