#!/usr/bin/env bash
# Renders the Holter report of the bundled 202 excerpt in headless Chromium and saves a screenshot,
# to check by eye that the page (inline CSS and SVG only) shows as intended in a real browser.
# Needs `apt-get install -y chromium` (not on CI on purpose: too heavy for a test).
# usage: Benchmarks/scripts/holter_screenshot.sh [OUTPUT.png]   (default docs/report-example.png)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-docs/report-example.png}"
scratch="${SCRATCH:-.build-holter}"
# BEATMON=path skips the build (e.g. while the checkout does not build).
if [ -z "${BEATMON:-}" ]; then
    if ! log=$(swift build -c release --scratch-path "$scratch" --product beatmon 2>&1); then
        echo "$log" | tail -n 20 >&2; exit 1
    fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${BEATMON:-$scratch/release/beatmon}" report Fixtures/mitdb-202-excerpt/202x --output "$work/report.html" --json "$work/report.json"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400 \
    --screenshot="$work/shot.png" "file://$work/report.html" 2>/dev/null
# Chromium writes a full-colour PNG; quantise it when Pillow is there to stay well under 500 KB.
python3 - "$work/shot.png" "$out" <<'PY' 2>/dev/null || cp "$work/shot.png" "$out"
import sys
from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(colors=64).save(sys.argv[2], optimize=True)
PY
ls -l "$out"
