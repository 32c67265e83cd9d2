/* Releases the charts once the map has drawn (fjchains/app/deferred.py): the map's iframe
 * posts {fjMapDrawn: true} (static/js/county-layer.js) and this clicks the page's
 * "show charts" buttons (charts, county table), if they are there. Installed once per browser tab. */
(function () {
  'use strict';
  if (window.fjAfterMap) return;
  window.fjAfterMap = true;

  function release(triesLeft) {
    var buttons = document.querySelectorAll('[class*="st-key-show_charts_"] button');
    buttons.forEach(function (button) { button.click(); });
    if (!buttons.length && triesLeft > 0) {
      setTimeout(function () { release(triesLeft - 1); }, 200);
    }
  }

  window.addEventListener('message', function (event) {
    if (event.origin === window.location.origin && event.data && event.data.fjMapDrawn) release(10);
  });
})();
