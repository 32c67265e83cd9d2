// Before printing, scale the county map and the Plotly charts (drawn in screen pixels) to the
// printed page's width (print.css lays the page out 186 mm wide); undo it afterwards.
// Loaded once per page by fjchains.app.pictures.print_style().
(function () {
  if (window.fjPrintReady) return;
  window.fjPrintReady = true;
  var WIDTH = 186 * 96 / 25.4; // A4 (210 mm) minus 2 x 12 mm margins, in CSS pixels
  var MAPS = 'iframe[title="fjchains.app.map_frame.county_map"]';
  var CHARTS = '[data-testid="stPlotlyChart"]';
  function contentWidth(el) {
    // a chart is as wide as Plotly drew it; a map as wide as its frame
    var svg = el.matches(CHARTS) ? el.querySelector('svg.main-svg') : null;
    return svg ? parseFloat(svg.getAttribute('width')) : el.getBoundingClientRect().width;
  }
  function fit() {
    document.querySelectorAll(MAPS + ', ' + CHARTS).forEach(function (el) {
      el.style.zoom = '';
      var width = contentWidth(el);
      if (width > 0) el.style.zoom = String(WIDTH / width);
    });
    document.documentElement.dataset.fjPrintFitted = String(Date.now());
  }
  function unfit() {
    document.querySelectorAll(MAPS + ', ' + CHARTS).forEach(function (el) { el.style.zoom = ''; });
  }
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
})();
