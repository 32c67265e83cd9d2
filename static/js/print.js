// Before printing, fit the county map and the Plotly charts (drawn in screen pixels) to the
// printed page's width (print.css lays the page out 186 mm wide); undo it afterwards.
// Loaded once per page by fjchains.app.panels.pictures.print_style() (fjchains/app/scripts.py:
// fjchains.page.mapFrames finds the map frames).
//
// "beforeprint" comes while the page is still laid out for the screen. The charts are scaled
// (CSS zoom). The map is not: its frame is given the printed width itself and Leaflet is told
// at once (the frame is on the page's origin), keeping its centre and zoom. A zoomed frame
// printed taller than the room the page keeps for it (a 572 px column: 500 px became 615 px),
// with its document laid out at that size by the printer but Leaflet's panes left as drawn for
// the screen: the legend, scale and "Leaflet | …" line printed over the notes under the map.
(() => {
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  if (fjchains.printInstalled) return;
  fjchains.printInstalled = true;
  const logic = fjchains.pageLogic;
  const CHARTS = '[data-testid="stPlotlyChart"]';
  const maps = () => document.querySelectorAll(fjchains.page.mapFrames);

  function resized(frame) {
    // Leaflet reads its container's new size now (no animation, no waiting for its resize event)
    try {
      const map = frame.contentWindow?.fjchains?.map;
      if (map) map.invalidateSize({animate: false});
    } catch (_e) {
      /* a frame still loading: it draws at its printed size by itself */
    }
  }

  function fit() {
    for (const frame of maps()) {
      if (!('fjScreenWidth' in frame.dataset)) {
        // Streamlit's own inline width, put back afterwards
        frame.dataset.fjScreenWidth = frame.style.getPropertyValue('width');
        frame.dataset.fjScreenPriority = frame.style.getPropertyPriority('width');
      }
      frame.style.setProperty('width', `${logic.PRINT_WIDTH}px`, 'important');
      resized(frame);
    }
    for (const el of document.querySelectorAll(CHARTS)) {
      el.style.zoom = '';
      const svg = el.querySelector('svg.main-svg'); // a chart is as wide as Plotly drew it
      const width = svg ? Number.parseFloat(svg.getAttribute('width')) : el.getBoundingClientRect().width;
      el.style.zoom = logic.printZoom(width);
    }
  }

  function unfit() {
    for (const frame of maps()) {
      if (!('fjScreenWidth' in frame.dataset)) continue;
      frame.style.removeProperty('width');
      if (frame.dataset.fjScreenWidth) {
        frame.style.setProperty('width', frame.dataset.fjScreenWidth, frame.dataset.fjScreenPriority);
      }
      delete frame.dataset.fjScreenWidth;
      delete frame.dataset.fjScreenPriority;
      resized(frame);
    }
    for (const el of document.querySelectorAll(CHARTS)) el.style.zoom = '';
  }

  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
})();
