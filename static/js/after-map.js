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
 * Once the page is released (no button left, calm: fjchains.pageLogic.released) the timer stops,
 * until a map draws again (a page switch, a language switch). Streamlit's DOM is looked up
 * through fjchains.seam (static/js/seam.js); if Streamlit's key classes are gone the buttons are
 * found by their labels, and whatever else has changed, a button not clicked waits for the user. Installed once per browser tab; fjchains.page.mapFrames
 * (fjchains/app/scripts.py) finds the map frames. The session's states:
 * fjchains/app/first_paint.py. */
(() => {
  'use strict';
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  if (fjchains.afterMapInstalled) return;
  fjchains.afterMapInstalled = true;
  const logic = fjchains.pageLogic;
  const seam = fjchains.seam;
  const TICK_MS = 200;
  let timer = null;
  let clicked = null;
  let lastBusy = Date.now();
  let lastInput = 0;

  /* The buttons keyed `prefix` (fjchains/app/deferred.py, first_paint.py). If no element on the
   * page carries a key class any more (Streamlit renamed it: the map's room is always keyed),
   * the buttons are found by their labels instead (fjchains.page.release, in the page's language). */
  function button(prefix, kind) {
    if (seam.first(document, seam.keyPrefix(''))) return seam.first(document, `${seam.keyPrefix(prefix)} button`);
    const labels = fjchains.page.release?.[kind] || [];
    return seam.all(document, 'button').find((b) => labels.includes(b.textContent.trim())) || null;
  }

  function tick() {
    const time = Date.now();
    const isBusy = !!seam.first(document, seam.RUNNING);
    if (isBusy) lastBusy = time;
    const now = button('show_now_', 'now');
    const seen = now ? null : button('show_seen_', 'seen');
    const state = {
      time,
      busy: isBusy,
      lastBusy,
      lastInput,
      hasNow: !!now,
      hasSeen: !!seen,
      seenNear: !!seen && logic.nearScreen(seen.getBoundingClientRect(), window.innerHeight),
    };
    if (logic.released(state)) {
      clearInterval(timer);
      timer = null;
      return;
    }
    const pick = logic.release(state);
    const target = pick === 'now' ? now : pick === 'seen' ? seen : null;
    if (target && target !== clicked) {
      clicked = target;
      lastBusy = time;
      target.click();
    }
  }

  function start() {
    if (timer !== null) return;
    lastBusy = Date.now(); // the map has just drawn: its page may still be bringing buttons
    timer = setInterval(tick, TICK_MS);
    tick();
  }

  /* This script arrives in an st.html element, and a fast map can draw before it runs: then
   * the "drawn" message went unheard, so ask the map frames themselves (frame.js sets
   * fjchains.drawn when it posts the message). */
  function drawnAlready() {
    return seam.all(document, fjchains.page.mapFrames).some((frame) => seam.frameNamespace(frame)?.drawn);
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
