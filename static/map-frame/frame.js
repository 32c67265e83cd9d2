/* The county map's side of Streamlit's component protocol (fjchains/app/map_frame.py).
 *
 * Loaded first in the frame: it says "ready" at once, so the page's arguments arrive while
 * Leaflet is still loading, and the county geometry is fetched from then on; the map is built
 * once the frame's scripts have run (DOMContentLoaded).
 *
 * The page sends {base, payload, height} on every rerun. `base` (language texts, tooltips,
 * keyboard points, geometry URL, basemap) makes the map: the first one builds it, a different
 * one reloads this frame, which then asks for the page's current arguments again (the view
 * comes back from the address, map-access.js). `payload` (fills, selection, legend) only
 * restyles the counties in place (county-layer.js: window.fjApply), so a filter or a click
 * keeps the zoom. A click goes back at once as {last_clicked: {lat, lng}, n}: `n` counts the
 * clicks, so a second click on the same spot is still news to the page. */
(function () {
  'use strict';
  var baseJson = null, clicks = 0, height = null, latest = null, built = false;
  var loaded = new Promise(function (resolve) {
    if (document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', resolve);
  });

  function send(type, data) {
    var message = {isStreamlitMessage: true, type: type};
    for (var k in data) message[k] = data[k];
    window.parent.postMessage(message, window.location.origin);  // the page: same origin
  }

  function build(base, topo) {
    // keyboard: false: Leaflet focuses its container on mousedown, and the page then scrolled a
    // half-visible map into view between mousedown and mouseup, so the click landed on another county.
    var map = L.map('map_div', {center: base.center, zoom: base.zoom, zoomSnap: 0.5, keyboard: false});
    L.control.scale().addTo(map);
    if (base.tiles) L.tileLayer(base.tiles.url, base.tiles.options).addTo(map);
    map.fitBounds(base.bounds);
    window.map = map;  // the browser tests and benchmark probes read it
    fjCountyLayer(map, base, topo);
    fjMapAccess(map, base);
    map.on('click', function (e) {
      clicks += 1;
      send('streamlit:setComponentValue',
           {value: {last_clicked: {lat: e.latlng.lat, lng: e.latlng.lng}, n: clicks}, dataType: 'json'});
    });
    built = true;
    if (latest) window.fjApply(latest);
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== 'streamlit:render') return;
    var args = data.args || {};
    if (args.height !== height) {
      height = args.height;
      send('streamlit:setFrameHeight', {height: height});
    }
    var json = JSON.stringify(args.base);
    if (baseJson === null) {
      baseJson = json;
      var topo = fetch(args.base.url).then(function (r) { return r.json(); });
      loaded.then(function () { build(args.base, topo); });
    } else if (json !== baseJson) {
      window.location.reload();
      return;
    }
    latest = args.payload;
    if (built) window.fjApply(latest);
  });

  send('streamlit:componentReady', {apiVersion: 1});
})();
