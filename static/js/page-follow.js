/* The page follows the user (issue 27). fjchains.app.panels.access sends this file in the page
 * (fjchains/app/scripts.py) with the interface language in fjchains.page.lang; it runs again on a
 * language switch, and installs its listeners once per browser tab.
 * - The document says the interface's language (the html element's lang), so a screen reader
 *   reads Chinese as Chinese and English as English (the map's frame says it too: map-access.js).
 * - A row chosen in a county table brings the county's details into view on a phone, as a tap on
 *   the map does: the map frame's own fjchains.showDetail (static/js/map-access.js), once the
 *   address names the new county (?county=, written after the rerun the row asked for).
 * - The charts held back for the map (fjchains/app/deferred.py) come as they scroll into view
 *   (an IntersectionObserver), also while a finger keeps scrolling: after-map.js waits for a
 *   second without input, and to it a finger that scrolls is input. Here only a click, a key
 *   or typing is (a scroll's touch ends in pointercancel, not pointerup), under the same rule
 *   (fjchains.pageLogic.release); "show" buttons of the other kind are after-map.js's.
 * Streamlit's DOM is looked up through fjchains.seam (static/js/seam.js): if it has changed,
 * the table and the charts behave as before (no scroll; charts on after-map.js's terms). */
(() => {
  'use strict';
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  const page = fjchains.page || {};
  if (page.lang) document.documentElement.lang = page.lang;
  const seam = fjchains.seam;
  const logic = fjchains.pageLogic;
  if (fjchains.followInstalled || !seam || !logic) return;
  fjchains.followInstalled = true;

  const TABLE = seam.key('county_table');
  const SEEN = `${seam.keyPrefix('show_seen_')} button`;
  const NOW = `${seam.keyPrefix('show_now_')} button`;
  const WATCH_MS = 100; // how often the address and the charts are looked at
  const WATCH_TRIES = 100; // how long a table tap waits for its county (10 s), then gives up
  const SCAN_EVERY = 5; // new chart buttons are looked for every 5th look (0.5 s)

  function addressCounty() {
    return new URLSearchParams(window.location.search).get('county');
  }

  /* The map frame's namespace that scrolls to the details (map-access.js), or null. */
  function mapSide() {
    for (const frame of seam.all(document, page.mapFrames)) {
      const ns = seam.frameNamespace(frame);
      if (ns?.showDetail) return ns;
    }
    return null;
  }

  // ---- a county table's row brings its details into view (as a tap on the map does)
  let watching = 0; // the latest tap's number: an older tap stops watching
  document.addEventListener(
    'pointerup',
    (event) => {
      if (!(event.target instanceof Element) || !event.target.closest(TABLE)) return;
      const before = addressCounty();
      const mine = ++watching;
      let tries = 0;
      const look = () => {
        if (mine !== watching) return;
        const now = addressCounty();
        if (now && now !== before) {
          mapSide()?.showDetail(now);
          return;
        }
        tries += 1;
        if (tries < WATCH_TRIES) setTimeout(look, WATCH_MS);
      };
      look();
    },
    {capture: true, passive: true},
  );

  // ---- charts as they scroll into view
  let lastInput = 0;
  for (const type of ['pointerup', 'keydown', 'input']) {
    document.addEventListener(
      type,
      () => {
        lastInput = Date.now();
      },
      {capture: true, passive: true},
    );
  }
  const observed = new WeakSet();
  const inView = new Set();
  const clicked = new WeakSet();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) inView.add(entry.target);
      else inView.delete(entry.target);
    }
  });

  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    if (ticks % SCAN_EVERY === 0) {
      for (const button of seam.all(document, SEEN)) {
        if (observed.has(button)) continue;
        observed.add(button);
        observer.observe(button);
      }
    }
    for (const button of inView) {
      if (!button.isConnected) {
        inView.delete(button);
        observer.unobserve(button);
        continue;
      }
      if (clicked.has(button)) continue;
      const time = Date.now();
      const busy = !!seam.first(document, seam.RUNNING);
      const state = {time, busy, lastBusy: time, lastInput, hasNow: !!seam.first(document, NOW)};
      if (logic.release({...state, hasSeen: true, seenNear: true}) === 'seen') {
        clicked.add(button);
        button.click();
      }
      return; // one click at a time: the rerun it starts shows as busy
    }
  }, WATCH_MS);
})();
