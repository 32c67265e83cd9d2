/* The county map's side of Streamlit's component protocol (fjchains/app/map_frame.py).
 *
 * Loaded first in the frame: it says "ready" at once, so the page's arguments arrive while
 * Leaflet is still loading, and the county geometry is fetched from then on; the map is built
 * once the frame's scripts have run (DOMContentLoaded).
 *
 * The page sends {base, payload, height} on every rerun. `base` (language texts, tooltips,
 * keyboard points, geometry URL, basemap, the no-colour fill, the view's limits) makes the map:
 * the first one builds it, a different one reloads this frame, which then asks for the page's
 * current arguments again (the view comes back from the address, map-access.js). `payload`
 * (fills, selection, legend) only restyles the counties in place (county-layer.js:
 * fjchains.apply), so a filter or a click keeps the zoom. A click goes back at once as
 * {last_clicked: {lat, lng}, n, frame}: `n` counts the frame's clicks and `frame` is when it
 * opened, so a second click on the same spot is still news to the page, in this frame or in
 * one reloaded since (whose count starts again: after a restart or a language switch); a finger's tap beside a small county goes back as a point inside it
 * (fjchains.tapTarget, map-access.js). After the first restyle is painted the frame tells the page
 * ({fjMapDrawn: true}, and fjchains.drawn for a listener that comes later: after-map.js). */
(() => {
  'use strict';
  window.fjchains = window.fjchains || {};
  const fjchains = window.fjchains;
  let baseJson = null;
  let clicks = 0;
  const opened = Date.now(); // this frame's life: its clicks are counted from 0 again
  let height = null;
  let latest = null;
  let built = false;
  const loaded = new Promise((resolve) => {
    if (document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', resolve);
  });

  function send(type, data) {
    window.parent.postMessage({isStreamlitMessage: true, type, ...data}, window.location.origin); // the page: same origin
  }

  /* Tell the page (the dashboard) that the map has drawn, after it is painted: the page then
   * loads what it held back for the map (fjchains/app/deferred.py). */
  function announceDrawn() {
    requestAnimationFrame(() => {
      setTimeout(() => {
        fjchains.drawn = true;
        window.parent.postMessage({fjMapDrawn: true}, window.location.origin);
      }, 0);
    });
  }

  function build(base, topo) {
    // keyboard: false: Leaflet focuses its container on mousedown, and the page then scrolled a
    // half-visible map into view between mousedown and mouseup, so the click landed on another county.
    const map = L.map('map_div', {center: base.center, zoom: base.zoom, zoomSnap: 0.5, keyboard: false});
    L.control.scale().addTo(map);
    if (base.tiles) L.tileLayer(base.tiles.url, base.tiles.options).addTo(map);
    map.fitBounds(base.bounds);
    fjchains.map = map; // the page's print.js resizes it; the browser tests and benchmark probes read it
    fjchains.bounds = base.bounds; // the province: print.js fits it into the printed map
    map.once('fjchains:styled', announceDrawn);
    fjchains.access(map, base);
    fjchains.layer(map, base, topo);
    map.on('click', (e) => {
      clicks += 1;
      const at = fjchains.tapTarget(e).latlng; // a finger's tap: the county it meant (map-access.js)
      send('streamlit:setComponentValue', {
        value: {last_clicked: {lat: at.lat, lng: at.lng}, n: clicks, frame: opened},
        dataType: 'json',
      });
    });
    built = true;
    if (latest) fjchains.apply(latest);
  }

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (event.source !== window.parent || !data || data.type !== 'streamlit:render') return;
    const args = data.args || {};
    if (args.height !== height) {
      height = args.height;
      send('streamlit:setFrameHeight', {height});
    }
    const json = JSON.stringify(args.base);
    if (baseJson === null) {
      baseJson = json;
      const topo = fetch(args.base.url).then((r) => r.json());
      loaded.then(() => build(args.base, topo));
    } else if (json !== baseJson) {
      window.location.reload();
      return;
    }
    latest = args.payload;
    if (built) fjchains.apply(latest);
  });

  send('streamlit:componentReady', {apiVersion: 1});
})();
