#!/usr/bin/env bash
# Wrap the .app that PyInstaller builds on macOS (dist/brugdesk.app) in a
# compressed disk image, dist/brugdesk-<version>.dmg. Run on macOS after
# `make bundle`. Not signed or notarised: see the README.
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${1:-0.0.0}"
app="dist/brugdesk.app"
[ -d "$app" ] || { echo "geen $app: bouw eerst de bundel (make bundle)" >&2; exit 1; }
stage="$(mktemp -d)"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname brugdesk -srcfolder "$stage" -ov -format UDZO "dist/brugdesk-$version.dmg"
rm -rf "$stage"
echo "dist/brugdesk-$version.dmg"
