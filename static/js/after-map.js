/* Releases what waits for the map (fjchains/app/deferred.py: the charts, the county table)
 * once the map has drawn: the map's iframe posts {fjMapDrawn: true}
 * (static/js/county-layer.js) and this clicks the page's "show" buttons. One at a time: a
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

  window.addEventListener('message', function (event) {
    if (event.origin === window.location.origin && event.data && event.data.fjMapDrawn) release(150);
  });
})();
