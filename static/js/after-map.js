/* Releases what waits for the map (fjchains/app/deferred.py) once it has drawn: the map's
 * iframe posts {fjMapDrawn: true} (static/map-frame/frame.js), and this clicks the page's
 * "show" buttons:
 * - "show_now_" ones at once: on a session's first page the sidebar and everything under
 *   the map (a whole-page rerun), the county table;
 * - "show_seen_" ones (charts) when near the screen, or after the page has been calm (no
 *   rerun running) for a few seconds: Plotly's script and drawing, right after the map, held
 *   up the first click on it by over a second.
 * One click at a time: a click reruns, and a second click sent during that rerun can be
 * lost, so a button is clicked only when the page is calm and the user has not clicked or
 * typed for a second: theirs must not be the click that is lost (the rule:
 * fjchains.pageLogic.release, static/js/page-logic.js).
 * Installed once per browser tab; fjchains.page.mapFrames (fjchains/app/scripts.py) finds the
 * map frames. */
(() => {
  'use strict';
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  if (fjchains.afterMapInstalled) return;
  fjchains.afterMapInstalled = true;
  const logic = fjchains.pageLogic;
  const NOW = '[class*="st-key-show_now_"] button';
  const SEEN = '[class*="st-key-show_seen_"] button';
  const TICK_MS = 200;
  let started = false;
  let clicked = null;
  let lastBusy = Date.now();
  let lastInput = 0;

  function busy() {
    return !!document.querySelector('[data-testid=stStatusWidget], [data-stale=true]');
  }

  function tick() {
    const time = Date.now();
    const isBusy = busy();
    if (isBusy) lastBusy = time;
    const now = document.querySelector(NOW);
    const seen = now ? null : document.querySelector(SEEN);
    const pick = logic.release({
      time,
      busy: isBusy,
      lastBusy,
      lastInput,
      hasNow: !!now,
      hasSeen: !!seen,
      seenNear: !!seen && logic.nearScreen(seen.getBoundingClientRect(), window.innerHeight),
    });
    const button = pick === 'now' ? now : pick === 'seen' ? seen : null;
    if (button && button !== clicked) {
      clicked = button;
      lastBusy = time;
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
   * the "drawn" message went unheard, so ask the map frames themselves (frame.js sets
   * fjchains.drawn when it posts the message). */
  function drawnAlready() {
    for (const frame of document.querySelectorAll(fjchains.page.mapFrames)) {
      try {
        if (frame.contentWindow?.fjchains?.drawn) return true;
      } catch (_e) {
        /* not ours */
      }
    }
    return false;
  }

  for (const type of ['pointerdown', 'keydown', 'input']) {
    document.addEventListener(
      type,
      () => {
        lastInput = lastBusy = Date.now();
      },
      {capture: true, passive: true},
    );
  }

  window.addEventListener('message', (event) => {
    if (event.origin === window.location.origin && event.data && event.data.fjMapDrawn) start();
  });
  if (drawnAlready()) start();
})();
