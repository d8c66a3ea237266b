#!/usr/bin/env bash
# AF alerts from ECG signals (the whole monitor: detection, tokens, RR AF detector, alert policy) on
# cpsc2021 (2 leads, 200 Hz) and the mitdb AF records 201, 202, 221: episode and duration Se/+P
# (epicmp -a rules) and the delay from reference onset to alert.
# Usage: Benchmarks/scripts/af_signal_benchmark.sh [DATA_DIR] [OUT_DIR]   (needs python3 with wfdb for delays)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
OUT=${2:-out/af-signal}
swift build -c release --product beatmon >/dev/null
B=.build/release/beatmon
rm -rf "$OUT"
cpsc=()
for h in "$DATA"/cpsc2021/*.hea; do cpsc+=("${h%.hea}"); done
mit=("$DATA/mitdb/201" "$DATA/mitdb/202" "$DATA/mitdb/221")
for r in "${cpsc[@]}"; do $B replay "$r" --quiet --annotations "$OUT/cpsc2021" --events "$OUT/cpsc2021/events.jsonl" >/dev/null; done
for r in "${mit[@]}"; do $B replay "$r" --quiet --annotations "$OUT/mitdb" --events "$OUT/mitdb/events.jsonl" >/dev/null; done
echo "== cpsc2021 (records of 0.7-9 min: scored whole, --start 0)"
$B evaluate af --test-dir "$OUT/cpsc2021" --start 0 "${cpsc[@]}" | tail -n 2
echo "== mitdb 201, 202, 221 (first 5 minutes skipped, as epicmp)"
$B evaluate af --test-dir "$OUT/mitdb" "${mit[@]}" | tail -n 2
python3 Benchmarks/scripts/af_delays.py "$DATA" "$OUT"
