// Before printing, fit the county map and the Plotly charts (drawn in screen pixels) to the
// printed page's width (print.css lays the page out 186 mm wide); undo it afterwards.
// Loaded once per page by fjchains.app.panels.pictures.print_style().
//
// "beforeprint" comes while the page is still laid out for the screen. The charts are scaled
// (CSS zoom). The map is not: its frame is given the printed width itself and Leaflet is told
// at once (the frame is on the page's origin), keeping its centre and zoom. A zoomed frame
// printed taller than the room the page keeps for it (a 572 px column: 500 px became 615 px),
// with its document laid out at that size by the printer but Leaflet's panes left as drawn for
// the screen: the legend, scale and "Leaflet | …" line printed over the notes under the map.
(function () {
  if (window.fjPrintReady) return;
  window.fjPrintReady = true;
  var WIDTH = 186 * 96 / 25.4; // A4 (210 mm) minus 2 x 12 mm margins, in CSS pixels
  var MAPS = 'iframe[title="fjchains.app.map_frame.county_map"]';
  var CHARTS = '[data-testid="stPlotlyChart"]';
  function resized(frame) {
    // Leaflet reads its container's new size now (no animation, no waiting for its resize event)
    try {
      var map = frame.contentWindow && frame.contentWindow.map;
      if (map) map.invalidateSize({animate: false});
    } catch (e) { /* a frame still loading: it draws at its printed size by itself */ }
  }
  function fit() {
    document.querySelectorAll(MAPS).forEach(function (frame) {
      if (!('fjScreenWidth' in frame.dataset)) {  // Streamlit's own inline width, put back afterwards
        frame.dataset.fjScreenWidth = frame.style.getPropertyValue('width');
        frame.dataset.fjScreenPriority = frame.style.getPropertyPriority('width');
      }
      frame.style.setProperty('width', WIDTH + 'px', 'important');
      resized(frame);
    });
    document.querySelectorAll(CHARTS).forEach(function (el) {
      el.style.zoom = '';
      var svg = el.querySelector('svg.main-svg'); // a chart is as wide as Plotly drew it
      var width = svg ? parseFloat(svg.getAttribute('width')) : el.getBoundingClientRect().width;
      if (width > 0) el.style.zoom = String(WIDTH / width);
    });
    document.documentElement.dataset.fjPrintFitted = String(Date.now());
  }
  function unfit() {
    document.querySelectorAll(MAPS).forEach(function (frame) {
      if (!('fjScreenWidth' in frame.dataset)) return;
      frame.style.removeProperty('width');
      if (frame.dataset.fjScreenWidth) {
        frame.style.setProperty('width', frame.dataset.fjScreenWidth, frame.dataset.fjScreenPriority);
      }
      delete frame.dataset.fjScreenWidth;
      delete frame.dataset.fjScreenPriority;
      resized(frame);
    });
    document.querySelectorAll(CHARTS).forEach(function (el) { el.style.zoom = ''; });
  }
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
})();
