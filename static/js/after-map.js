/* Releases what waits for the map (fjchains/app/deferred.py: the charts, the county table,
 * and on a session's first page the sidebar and everything under the map) once it has
 * drawn: the map's iframe posts {fjMapDrawn: true} (static/js/county-layer.js) and this
 * clicks the page's "show" buttons. One at a time: a
 * click reruns that button's fragment, and a second click sent during that rerun can be
 * lost, so the next button is clicked only once the previous one has gone. Installed once
 * per browser tab. */
(function () {
  'use strict';
  if (window.fjAfterMap) return;
  window.fjAfterMap = true;
  var SELECTOR = '[class*="st-key-show_charts_"] button';
  var clicked = null;

  function release(triesLeft) {
    var button = document.querySelector(SELECTOR);
    if (button && button !== clicked) {
      clicked = button;
      button.click();
    }
    if (triesLeft > 0 && (button || !clicked)) {
      setTimeout(function () { release(triesLeft - 1); }, 200);
    }
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

  window.addEventListener('message', function (event) {
    if (event.origin === window.location.origin && event.data && event.data.fjMapDrawn) release(150);
  });
  if (drawnAlready()) release(150);
})();
