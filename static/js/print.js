// Before printing, draw the county maps and the Plotly charts for the printed page (print.css
// lays it out 186 mm wide); put them back as they were afterwards. Loaded once per page by
// fjchains.app.panels.pictures.print_style() (fjchains/app/scripts.py: fjchains.page.mapFrames
// finds the map frames).
//
// "beforeprint" comes while the page is still laid out for the screen, and the browser prints
// right after it: what is drawn in pixels must be drawn at its printed size here, at once.
// - The map: its frame is given the printed width and Leaflet is told (the frame is on the page's
//   origin), then the whole province is fitted into it (fitBounds to the bounds the frame was
//   given, fjchains.bounds); the screen's view comes back afterwards. (A zoomed frame printed
//   taller than the room the page keeps for it, its legend over the notes under the map.)
// - The charts: redrawn by Plotly itself (Plotly.react) at the printed width, and back at
//   their screen size afterwards. A CSS zoom fought Plotly's own resizing: each round shrank the
//   chart again, and a bar chart printed as a line.
// "beforeprint" may come twice (a script's, then the browser's): the screen's sizes are kept once.
(() => {
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  if (fjchains.printInstalled) return;
  fjchains.printInstalled = true;
  const logic = fjchains.pageLogic;

  /* seam: Streamlit's own markup (static/js/seam.js) and bundle this file relies on (docs/UPGRADING.md) */
  const CHARTS = fjchains.seam.PLOTLY_GRAPH; // a chart's Plotly graph div
  const plotly = () => window.Plotly; // the Plotly bundle Streamlit loads puts its API on window
  /* end seam */

  const maps = () => document.querySelectorAll(fjchains.page.mapFrames);
  const screen = new WeakMap(); // frame or chart -> what it was on screen, while printing
  const LEGEND_GAP = 10; // px between the printed province and the map's legend

  function leaflet(frame) {
    return fjchains.seam.frameNamespace(frame); // null for a frame of another origin: left as it is
  }

  function fitMap(frame) {
    const inside = leaflet(frame);
    const map = inside?.map;
    if (!screen.has(frame)) {
      // Streamlit's own inline width, the view and the address (the map writes a view the user
      // chose into ?z=&ll=): all put back afterwards
      screen.set(frame, {
        width: frame.style.getPropertyValue('width'),
        priority: frame.style.getPropertyPriority('width'),
        pointer: frame.style.getPropertyValue('pointer-events'),
        view: map ? {centre: map.getCenter(), zoom: map.getZoom()} : null,
        address: window.location.href,
      });
    }
    frame.style.setProperty('width', `${logic.PRINT_WIDTH}px`, 'important');
    // the pointer leaves the map while it prints: the fitted map moves its legend under a mouse
    // resting on the map, whose hover then outlined a legend class's counties on paper
    frame.style.setProperty('pointer-events', 'none');
    if (!map) return; // a frame still loading draws at its printed size by itself
    map.invalidateSize({animate: false}); // Leaflet reads its container's new size now
    if (!inside.bounds) return;
    // the legend sits in the bottom right corner, over the sea: the province beside it, not under it
    const legend = map.getContainer().querySelector('.fj-legend');
    const room = legend ? legend.offsetWidth + LEGEND_GAP : 0;
    map.fitBounds(inside.bounds, {animate: false, paddingBottomRight: [room, 0]});
  }

  function unfitMap(frame) {
    const was = screen.get(frame);
    if (!was) return;
    screen.delete(frame);
    frame.style.removeProperty('width');
    if (was.width) frame.style.setProperty('width', was.width, was.priority);
    frame.style.removeProperty('pointer-events');
    if (was.pointer) frame.style.setProperty('pointer-events', was.pointer);
    const map = leaflet(frame)?.map;
    if (map) {
      map.invalidateSize({animate: false});
      if (was.view) map.setView(was.view.centre, was.view.zoom, {animate: false});
    }
    if (window.location.href !== was.address) window.history.replaceState(window.history.state, '', was.address);
  }

  // Plotly.react with the chart's own data and layout at another size: Plotly.relayout would
  // also tell Streamlit, which then redraws the chart at its screen width straight away.
  function redraw(chart, api, size) {
    const layout = {...chart.layout, width: size.width ?? undefined, height: size.height ?? undefined};
    api.react(chart, chart.data, layout);
  }

  function fitChart(chart, api) {
    const layout = chart.layout || {};
    if (!screen.has(chart)) screen.set(chart, {width: layout.width, height: layout.height});
    const size = logic.printChartSize(chart.getBoundingClientRect().height || layout.height); // as drawn
    redraw(chart, api, {width: size.width, height: size.height ?? layout.height});
  }

  function unfitChart(chart, api) {
    const was = screen.get(chart);
    if (!was) return;
    screen.delete(chart);
    if (chart.isConnected) redraw(chart, api, was);
  }

  function fit() {
    for (const frame of maps()) fitMap(frame);
    const api = plotly();
    if (!api?.react) return; // the charts print as drawn for the screen
    for (const chart of document.querySelectorAll(CHARTS)) fitChart(chart, api);
  }

  function unfit() {
    for (const frame of maps()) unfitMap(frame);
    const api = plotly();
    if (!api?.react) return;
    for (const chart of document.querySelectorAll(CHARTS)) unfitChart(chart, api);
  }

  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', unfit);
})();
