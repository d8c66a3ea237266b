#!/usr/bin/env bash
# AF alerts from ECG signals with BEAT-Net deciding (the default) beside the RR-interval detector
# alone (--rhythm-model none), same pipeline, same records: cpsc2021 (2 leads, 200 Hz, scored whole)
# and every mitdb record here (AF in 201, 202, 221; the others measure false AF episodes).
# Episode and duration Se/+P as epicmp -a computes them (beatmon evaluate af).
# Usage: Benchmarks/scripts/af_model_benchmark.sh [DATA_DIR] [OUT_DIR]   (BEATMON=path skips the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
OUT=${2:-out/af-model}
if [ -z "${BEATMON:-}" ]; then swift build -c release --product beatmon >/dev/null; BEATMON=.build/release/beatmon; fi
rm -rf "$OUT"
cpsc=(); for h in "$DATA"/cpsc2021/*.hea; do cpsc+=("${h%.hea}"); done
mit=(); for h in "$DATA"/mitdb/*.hea; do mit+=("${h%.hea}"); done
for model in bundled none; do
  for r in "${cpsc[@]}"; do "$BEATMON" replay "$r" --quiet --rhythm-model "$model" --annotations "$OUT/$model/cpsc2021" --events "$OUT/$model/cpsc2021/events.jsonl" >/dev/null; done
  for r in "${mit[@]}"; do "$BEATMON" replay "$r" --quiet --rhythm-model "$model" --annotations "$OUT/$model/mitdb" --events "$OUT/$model/mitdb/events.jsonl" >/dev/null; done
  echo "== rhythm model: $model"
  echo "-- cpsc2021 (${#cpsc[@]} records, scored whole, --start 0)"
  "$BEATMON" evaluate af --test-dir "$OUT/$model/cpsc2021" --start 0 "${cpsc[@]}" | tail -n 2
  echo "-- mitdb (${#mit[@]} records, first 5 minutes skipped, as epicmp)"
  "$BEATMON" evaluate af --test-dir "$OUT/$model/mitdb" "${mit[@]}" | tail -n 2
  echo "-- AF onsets decided by: $(cat "$OUT/$model"/*/events.jsonl | grep -o '"decidedBy":"[a-z-]*"' | sort | uniq -c | tr '\n' ' ')"
done
