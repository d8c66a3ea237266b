#!/usr/bin/env bash
# AF detection from RR intervals: afdb (beats from .qrs), nsrdb (beats from .atr), mitdb 201/202/221
# (beats from .atr). Writes NAME.beatmon into $OUT/<set>/ and scores it as epicmp -a does.
# Usage: Benchmarks/scripts/af_benchmark.sh [DATA_DIR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
OUT=${2:-/tmp/beatmon-af}
SCRATCH=${SCRATCH:-.build-af}
swift build -c release --scratch-path "$SCRATCH" --product beatmon >/dev/null
BIN="$SCRATCH/release/beatmon"

run_set() {  # set annotator records...
    local set=$1 annotator=$2; shift 2
    mkdir -p "$OUT/$set"
    rm -f "$OUT/$set/events.jsonl"
    local paths=()
    for r in "$@"; do
        "$BIN" rhythm "$DATA/$set/$r" --beats-from "$annotator" ${RHYTHM_OPTIONS:-} --annotations "$OUT/$set" --events "$OUT/$set/events.jsonl"
        paths+=("$DATA/$set/$r")
    done
    "$BIN" evaluate af --reference atr --test beatmon --test-dir "$OUT/$set" "${paths[@]}"
    "$BIN" evaluate af --reference atr --test beatmon --test-dir "$OUT/$set" --json "${paths[@]}" > "$OUT/$set/score.json"
}

records() { ls "$DATA/$1"/*.hea | xargs -n1 basename | sed 's/\.hea$//'; }

echo "== afdb (RR from .qrs)"
run_set afdb qrs $(records afdb)
echo "== nsrdb (RR from .atr)"
run_set nsrdb atr $(records nsrdb)
echo "== mitdb 201 202 221 (RR from .atr)"
run_set mitdb atr 201 202 221
python3 Benchmarks/scripts/af_delays.py "$DATA" "$OUT"
