#!/usr/bin/env bash
# The Holter report's figures against the reference annotations, record by record: ventricular and
# supraventricular ectopic beat counts (EC57 classes V and S of the atr labels), pauses >= 2 s (RR of
# the reference beats), and the physiological alarms the monitor raised (per hour of signal), on
# every mitdb record of ../shared (paced 102 104 107 217 listed apart, as EC57 excludes them).
# HRV is compared with NeuroKit2's hrv_time on the identical N-N intervals when neurokit2 is installed.
# Usage: Benchmarks/scripts/holter_figures_benchmark.sh [DATA_DIR] [OUT_DIR]   (BEATMON=path: skip the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
OUT=${2:-out/holter-figures}
if [ -z "${BEATMON:-}" ]; then swift build -c release --product beatmon >/dev/null; fi
B="${BEATMON:-.build/release/beatmon}"
rm -rf "$OUT" && mkdir -p "$OUT"
for h in "$DATA"/mitdb/*.hea; do
    r="${h%.hea}"; n=$(basename "$r")
    $B report "$r" -o "$OUT/$n.html" --json "$OUT/$n.json" --nn-intervals "$OUT/$n.nn.csv" >/dev/null
done
python3 Benchmarks/scripts/holter_figures.py "$DATA/mitdb" "$OUT"
if python3 -c "import neurokit2" 2>/dev/null; then
    args=(); for j in "$OUT"/*.json; do args+=("$j" "${j%.json}.nn.csv"); done
    python3 Benchmarks/scripts/hrv_vs_neurokit.py "${args[@]}" | tail -n 4
fi
