/* Everything the page scripts know about Streamlit's (and Plotly's) DOM, and nothing else does:
 * after-map.js, page-access.js, print.js and the map frame's map-access.js (through the page's
 * window) ask here. None of it is a documented API; each entry says what it relies on and what
 * the user loses if it changes, and every lookup answers "not found" (null, an empty list)
 * instead of throwing, so the page still works as plain Streamlit would. Sent before each page
 * script (fjchains/app/scripts.py) as fjchains.seam; node loads the same file for the unit
 * tests (tests/js/seam.test.js). Listed in docs/UPGRADING.md; tests/test_seam.py fails when
 * another file spells a test id or an st-key- class. */
((seam) => {
  if (typeof module === 'object' && module.exports) module.exports = seam;
  else {
    window.fjchains = window.fjchains || {};
    window.fjchains.seam = seam;
  }
})(
  (() => {
    'use strict';
    /* Streamlit gives the container of an element created with key=K the class "st-key-K".
     * If it changes: after-map.js finds its buttons by their labels instead; the skip links and
     * a phone's tap find no detail panel. */
    const KEY_CLASS = 'st-key-';

    /** A CSS selector of the element keyed `key` (fjchains/app: st.container(key=...), widgets). */
    function key(name) {
      return `.${KEY_CLASS}${name}`;
    }

    /** A CSS selector of every element whose key starts with `prefix`. */
    function keyPrefix(prefix) {
      return `[class*="${KEY_CLASS}${prefix}"]`;
    }

    /* The sidebar's own content (test id stSidebarUserContent) and its close control (a button
     * in stSidebarCollapseButton). If they change: no "Done" button at the end of a phone's
     * sidebar (the sidebar still closes with its own ✕). */
    const SIDEBAR_CONTENT = '[data-testid=stSidebarUserContent]';
    const SIDEBAR_CLOSE = '[data-testid=stSidebarCollapseButton] button';

    /* A rerun under way: Streamlit shows its status widget (stStatusWidget) and marks the
     * elements it is about to replace data-stale=true. If they change: after-map.js may click
     * a "show" button during a rerun, and that click can be lost (the button then waits for
     * the user's click). */
    const RUNNING = '[data-testid=stStatusWidget], [data-stale=true]';

    /* A Plotly chart of st.plotly_chart (test id stPlotlyChart) and Plotly's graph div in it
     * (.js-plotly-plot). If they change: charts print at their screen size. */
    const PLOTLY_CHART = '[data-testid="stPlotlyChart"]';
    const PLOTLY_GRAPH = `${PLOTLY_CHART} .js-plotly-plot`;

    /** The fjchains namespace inside a map frame (our component's iframe is same-origin with the
     * page: Streamlit's allow-same-origin sandbox), or null. If that changes: no print fitting, and
     * a map that drew before after-map.js loaded is noticed only at its next draw. */
    function frameNamespace(frame) {
      try {
        return frame?.contentWindow?.fjchains || null;
      } catch (_e) {
        return null; /* another origin */
      }
    }

    /** Every element matching `selector` in `doc` (an empty list for a selector the browser
     * refuses). */
    function all(doc, selector) {
      try {
        return Array.from(doc.querySelectorAll(selector));
      } catch (_e) {
        return [];
      }
    }

    /** The first element matching `selector` in `doc`, or null. */
    function first(doc, selector) {
      return all(doc, selector)[0] || null;
    }

    return {
      KEY_CLASS,
      SIDEBAR_CONTENT,
      SIDEBAR_CLOSE,
      RUNNING,
      PLOTLY_CHART,
      PLOTLY_GRAPH,
      key,
      keyPrefix,
      frameNamespace,
      all,
      first,
    };
  })(),
);
