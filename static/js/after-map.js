/* Releases what waits for the map (fjchains/app/deferred.py) once it has drawn: the map's
 * iframe posts {fjMapDrawn: true} (static/js/county-layer.js), and this clicks the page's
 * "show" buttons:
 * - "show_now_" ones at once: on a session's first page the sidebar and everything under
 *   the map (a whole-page rerun), the county table;
 * - "show_seen_" ones (charts) when near the screen, or after the page has been calm (no
 *   rerun running) for CALM_MS: Plotly's script and drawing, right after the map, held up
 *   the first click on it by over a second.
 * One click at a time: a click reruns, and a second click sent during that rerun can be
 * lost, so a button is clicked only when the page is calm (no rerun running) and the user
 * has not clicked or typed for INPUT_GAP_MS: theirs must not be the click that is lost.
 * Installed once per browser tab. */
(function () {
  'use strict';
  if (window.fjAfterMap) return;
  window.fjAfterMap = true;
  var NOW = '[class*="st-key-show_now_"] button';
  var SEEN = '[class*="st-key-show_seen_"] button';
  var CALM_MS = 3000, INPUT_GAP_MS = 1000, TICK_MS = 200;
  var started = false, clicked = null, lastBusy = Date.now(), lastInput = 0;

  function busy() {
    return !!document.querySelector('[data-testid=stStatusWidget], [data-stale=true]');
  }

  function nearScreen(el) {
    var box = el.getBoundingClientRect();
    return box.height > 0 && box.top < window.innerHeight + 200 && box.bottom > -200;
  }

  function tick() {
    if (busy()) {
      lastBusy = Date.now();
      return;
    }
    if (Date.now() - lastInput < INPUT_GAP_MS) return;
    var button = document.querySelector(NOW);
    if (!button) {
      var chart = document.querySelector(SEEN);
      if (chart && (nearScreen(chart) || Date.now() - lastBusy >= CALM_MS)) button = chart;
    }
    if (button && button !== clicked) {
      clicked = button;
      lastBusy = Date.now();
      button.click();
    }
  }

  function start() {
    if (started) return;
    started = true;
    tick();
    setInterval(tick, TICK_MS);
  }

  /* This script arrives in an st.html element, and a fast map can draw before it runs: then
   * the "drawn" message went unheard, so look at the map frames themselves (county-layer.js
   * counts its restyles in body.dataset.fjApplied; the frames' title is the component's name,
   * fjchains/app/map_frame.py). */
  function drawnAlready() {
    var frames = document.querySelectorAll('iframe[title="fjchains.app.map_frame.county_map"]');
    for (var i = 0; i < frames.length; i++) {
      try {
        var body = frames[i].contentDocument && frames[i].contentDocument.body;
        if (body && +body.dataset.fjApplied >= 1) return true;
      } catch (e) { /* not ours */ }
    }
    return false;
  }

  ['pointerdown', 'keydown', 'input'].forEach(function (type) {
    document.addEventListener(type, function () { lastInput = lastBusy = Date.now(); }, {capture: true, passive: true});
  });

  window.addEventListener('message', function (event) {
    if (event.origin === window.location.origin && event.data && event.data.fjMapDrawn) start();
  });
  if (drawnAlready()) start();
})();
