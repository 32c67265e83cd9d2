/* Send a map click to Python at once (fjchains/maps.py loads this file).
 *
 * Inside streamlit-folium (pinned 0.27.4; see docs/UPGRADING.md) a click reaches Python
 * only after the component's 250 ms debounce. This posts it at once, in the component's own
 * value format, and marks it as already sent so the debounced update stays quiet: one rerun
 * a click. It reads the component's globals window.__GLOBAL_DATA__ and window.Streamlit; if
 * they are not as expected it says so once in the console and leaves the click to the
 * component's normal path. Outside Streamlit (a downloaded map) it does nothing. */
(function () {
  'use strict';
  var warned = false;

  function componentGlobals() {
    var g = window.__GLOBAL_DATA__, s = window.Streamlit;
    if (!g && !s) return null;  // a downloaded map: no component at all
    var ok = g && s && typeof s.setComponentValue === 'function' && Array.isArray(g.returned_objects);
    if (!ok) {
      if (!warned) {
        warned = true;
        console.warn('fj click shim: streamlit-folium globals not as expected; using the component\'s own click path');
      }
      return null;
    }
    return {g: g, s: s};
  }

  window.fjSendClicksAtOnce = function (map) {
    map.on('click', function (e) {
      var c = componentGlobals();
      if (!c || c.g.returned_objects.join() !== 'last_clicked') return;
      var value = {last_clicked: e.latlng};
      c.g.lat_lng_clicked = e.latlng;
      c.g.previous_data = value;
      c.s.setComponentValue(value);
    });
  };
})();
