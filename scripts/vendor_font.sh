#!/usr/bin/env bash
# Noto Sans SC Regular (SIL OFL 1.1) from the npm registry, subset with fontTools to the
# characters the map pictures need (scripts/subset_font.py), into static/fonts/.
# Run again (`make font`) after adding Chinese text to data/ or fjchains/core/i18n.py.
set -euo pipefail
PACKAGE=@expo-google-fonts/noto-sans-sc
VERSION=0.4.3
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null && tar xzf expo-google-fonts-noto-sans-sc-$VERSION.tgz \
  package/400Regular/NotoSansSC_400Regular.ttf package/LICENSE_FONT)
"$PY" scripts/subset_font.py "$tmp/package/400Regular/NotoSansSC_400Regular.ttf"
cp "$tmp/package/LICENSE_FONT" static/fonts/OFL.txt
echo "Noto Sans SC 400 Regular from the npm package $PACKAGE@$VERSION (SIL OFL 1.1, see OFL.txt), subset by scripts/subset_font.py (fontTools) and renamed; via scripts/vendor_font.sh" > static/fonts/VERSION
