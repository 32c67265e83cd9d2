#!/usr/bin/env bash
# Copy Leaflet's (and topojson-client's) dist files from the npm registry into static/vendor/leaflet/ so the
# dashboard renders with no CDN (offline machines, government intranets).
set -euo pipefail
VERSION=1.9.4
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent "leaflet@$VERSION" >/dev/null && tar xzf "leaflet-$VERSION.tgz")
dest=static/vendor/leaflet
rm -rf "$dest" && mkdir -p "$dest/images"
cp "$tmp/package/dist/leaflet.js" "$tmp/package/dist/leaflet.css" "$tmp/package/LICENSE" "$dest/"
cp "$tmp/package/dist/images/"*.png "$dest/images/"
echo "leaflet@$VERSION (BSD-2-Clause) from the npm registry, via scripts/vendor_js.sh" > "$dest/VERSION"
# topojson-client: the map receives counties as TopoJSON (shared borders sent once).
(cd "$tmp" && npm pack --silent "topojson-client@3.1.0" >/dev/null && mkdir tc && tar xzf topojson-client-3.1.0.tgz -C tc)
dest=static/vendor/topojson-client
rm -rf "$dest" && mkdir -p "$dest"
cp "$tmp/tc/package/dist/topojson-client.min.js" "$tmp/tc/package/LICENSE" "$dest/"
echo "topojson-client@3.1.0 (ISC) from the npm registry, via scripts/vendor_js.sh" > "$dest/VERSION"
# leaflet-gesture-handling: on phones one finger scrolls the page and two move the map.
GH=1.2.2
(cd "$tmp" && npm pack --silent "leaflet-gesture-handling@$GH" >/dev/null && mkdir gh && tar xzf "leaflet-gesture-handling-$GH.tgz" -C gh)
dest=static/vendor/leaflet-gesture-handling
rm -rf "$dest" && mkdir -p "$dest"
cp "$tmp/gh/package/dist/leaflet-gesture-handling.min.js" "$tmp/gh/package/dist/leaflet-gesture-handling.min.css" \
  "$tmp/gh/package/LICENSE" "$dest/"
echo "leaflet-gesture-handling@$GH (MIT) from the npm registry, via scripts/vendor_js.sh" > "$dest/VERSION"
rm -rf "$tmp"

# One file for the map iframe: streamlit-folium loads its scripts one after another, so
# one request instead of two saves a round trip before the counties can be drawn.
cat static/vendor/leaflet/leaflet.js <(printf '\n;\n') static/vendor/topojson-client/topojson-client.min.js \
  <(printf '\n;\n') static/vendor/leaflet-gesture-handling/leaflet-gesture-handling.min.js > static/vendor/map-libs.js
