/* The page scripts' rules that need no page: when after-map.js clicks a "show" button, and the
 * size print.js gives the map and the charts on paper. Sent before each page script
 * (fjchains/app/scripts.py) as fjchains.pageLogic; node loads the same file for the unit tests
 * (tests/js/page-logic.test.js). */
((logic) => {
  if (typeof module === 'object' && module.exports) module.exports = logic;
  else {
    window.fjchains = window.fjchains || {};
    window.fjchains.pageLogic = logic;
  }
})(
  (() => {
    'use strict';
    const CALM_MS = 3000; // a page this long without a rerun is calm: the charts may come
    const INPUT_GAP_MS = 1000; // nothing is clicked this soon after the user clicked or typed
    const NEAR_PX = 200; // a button this close to the screen counts as near it
    const PRINT_WIDTH = (186 * 96) / 25.4; // A4 (210 mm) minus 2 x 12 mm margins, in CSS pixels

    /** Whether a box (a client rectangle) is on a screen this tall, or near it. */
    function nearScreen(box, screenHeight) {
      return box.height > 0 && box.top < screenHeight + NEAR_PX && box.bottom > -NEAR_PX;
    }

    /** Which button to click now: 'now' (a "show_now_" one: at once), 'seen' (a chart's: when
     * near the screen, or once the page has been calm for CALM_MS) or null. Never while a rerun
     * runs (`busy`) or within INPUT_GAP_MS of the user's last input: a click sent during a rerun
     * can be lost, and it must not be theirs.
     * s: {time, busy, lastBusy, lastInput (ms), hasNow, hasSeen, seenNear (booleans)}. */
    function release(s) {
      if (s.busy || s.time - s.lastInput < INPUT_GAP_MS) return null;
      if (s.hasNow) return 'now';
      if (s.hasSeen && (s.seenNear || s.time - s.lastBusy >= CALM_MS)) return 'seen';
      return null;
    }

    /** Whether the page is released: no "show" button left and no rerun for CALM_MS (one under
     * way could bring a button). after-map.js then stops its timer until a map draws again.
     * s: as for release(). */
    function released(s) {
      return !s.busy && !s.hasNow && !s.hasSeen && s.time - s.lastBusy >= CALM_MS;
    }

    const PRINT_CHART_MIN_HEIGHT = 300; // px: a chart drawn shorter for the screen prints this tall

    /** The size a Plotly chart drawn `height` px tall is redrawn at before printing (Plotly's
     * relayout, undone afterwards): as wide as the printed page, at least PRINT_CHART_MIN_HEIGHT
     * tall (its own height when taller or unknown: Plotly's default). */
    function printChartSize(height) {
      const tall = Number.isFinite(height) && height > 0 ? Math.max(height, PRINT_CHART_MIN_HEIGHT) : null;
      return {width: Math.floor(PRINT_WIDTH), height: tall};
    }

    return {CALM_MS, INPUT_GAP_MS, PRINT_WIDTH, PRINT_CHART_MIN_HEIGHT, nearScreen, release, released, printChartSize};
  })(),
);
