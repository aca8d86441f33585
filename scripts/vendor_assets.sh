#!/usr/bin/env bash
# Refresh the vendored front-end assets in webmap/static/vendor/ from the npm registry.
#
# Usage:  scripts/vendor_assets.sh            (from anywhere; needs `npm` and `tar`)
#         LEAFLET_VERSION=1.9.4 LEAFLET_DRAW_VERSION=1.0.4 scripts/vendor_assets.sh
#
# Only `npm pack` is used: nothing is installed, nothing is written to the repo
# except webmap/static/vendor/{leaflet,leaflet-draw,leaflet-markercluster,html-to-image}/, webmap/static/vendor/SHA256SUMS
# and tests/browser/vendor/axe-core/.
# If you change a version, update webmap/static/vendor/README.md as well.
set -euo pipefail

LEAFLET_VERSION="${LEAFLET_VERSION:-1.9.4}"
LEAFLET_DRAW_VERSION="${LEAFLET_DRAW_VERSION:-1.0.4}"
MARKERCLUSTER_VERSION="${MARKERCLUSTER_VERSION:-1.5.3}"
HTML_TO_IMAGE_VERSION="${HTML_TO_IMAGE_VERSION:-1.11.13}"
AXE_VERSION="${AXE_VERSION:-4.14.1}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$REPO_ROOT/webmap/static/vendor"
# axe-core checks accessibility in the browser tests only; it is never served to users.
AXE_DIR="$REPO_ROOT/tests/browser/vendor/axe-core"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch <npm-name> <version>  -> prints the directory the tarball was unpacked into
fetch() {
    local name="$1" version="$2" tgz dir got
    tgz="$(cd "$TMP" && npm pack --silent "${name}@${version}" | tail -n1)"
    dir="$TMP/unpacked-$name"
    mkdir -p "$dir"
    tar -xzf "$TMP/$tgz" -C "$dir" --strip-components=1
    got="$(node -p "require('$dir/package.json').version")"
    if [[ "$got" != "$version" ]]; then
        echo "error: $name: wanted $version, npm gave $got" >&2
        exit 1
    fi
    echo "$dir"
}

echo "==> leaflet@$LEAFLET_VERSION"
src="$(fetch leaflet "$LEAFLET_VERSION")"
dst="$VENDOR/leaflet"
rm -rf "$dst"
mkdir -p "$dst/images"
cp "$src/dist/leaflet.js" "$src/dist/leaflet.css" "$dst/"
cp "$src/dist/images/"*.png "$dst/images/"
cp "$src/LICENSE" "$dst/LICENSE"

echo "==> leaflet-draw@$LEAFLET_DRAW_VERSION"
src="$(fetch leaflet-draw "$LEAFLET_DRAW_VERSION")"
dst="$VENDOR/leaflet-draw"
rm -rf "$dst"
mkdir -p "$dst/images"
cp "$src/dist/leaflet.draw.js" "$src/dist/leaflet.draw.css" "$dst/"
cp "$src/dist/images/"* "$dst/images/"
if [[ -f "$src/LICENSE" || -f "$src/MIT-LICENSE.md" ]]; then
    cp "$(ls "$src"/LICENSE "$src"/MIT-LICENSE.md 2>/dev/null | head -n1)" "$dst/LICENSE"
else
    # The npm tarball of leaflet-draw 1.0.4 ships no licence file (package.json
    # says "license": "MIT"). This is the text of upstream MIT-LICENSE.md from
    # https://github.com/Leaflet/Leaflet.draw.
    cat > "$dst/LICENSE" <<'LICENSE_EOF'
Copyright 2012-2016 Jacob Toye and Leaflet

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENSE_EOF
fi

echo "==> leaflet.markercluster@$MARKERCLUSTER_VERSION"
src="$(fetch leaflet.markercluster "$MARKERCLUSTER_VERSION")"
dst="$VENDOR/leaflet-markercluster"
rm -rf "$dst"
mkdir -p "$dst"
cp "$src/dist/leaflet.markercluster.js" "$src/dist/MarkerCluster.css" "$dst/"
cp "$src/MIT-LICENCE.txt" "$dst/LICENSE"

echo "==> html-to-image@$HTML_TO_IMAGE_VERSION"
src="$(fetch html-to-image "$HTML_TO_IMAGE_VERSION")"
dst="$VENDOR/html-to-image"
rm -rf "$dst"
mkdir -p "$dst"
cp "$src/dist/html-to-image.js" "$src/LICENSE" "$dst/"

echo "==> axe-core@$AXE_VERSION"
src="$(fetch axe-core "$AXE_VERSION")"
rm -rf "$AXE_DIR"
mkdir -p "$AXE_DIR"
cp "$src/axe.min.js" "$src/LICENSE" "$AXE_DIR/"

# Checksums of everything vendored, so drift is detectable offline:
#   (cd webmap/static/vendor && sha256sum -c SHA256SUMS)
(cd "$VENDOR" && find leaflet leaflet-draw leaflet-markercluster html-to-image -type f | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)

echo "==> done:"
(cd "$VENDOR" && find leaflet leaflet-draw leaflet-markercluster html-to-image -type f | LC_ALL=C sort)
