#!/usr/bin/env bash
# QRS detection accuracy (EC57, beatmon's evaluator) and throughput: beatmon beside NeuroKit2 and gqrs.
# Usage: Benchmarks/scripts/qrs_benchmark.sh [OUT]   (default OUT=out/qrs; needs ../shared/data, python3 with
# wfdb and neurokit2: pip install wfdb neurokit2). Set PEERS=0 to score beatmon alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-out/qrs}
DATA=../shared/data
swift build -c release --product beatmon >/dev/null
BEATMON=.build/release/beatmon
mkdir -p "$OUT"

records() { for h in "$DATA/$1"/*.hea; do echo "${h%.hea}"; done; }
declare -A SETS=([mitdb]="$(records mitdb)" [svdb]="$DATA/svdb/800" [cpsc2021]="$(records cpsc2021)" [cpsc2019]="$(records cpsc2019)")

for set in mitdb svdb cpsc2021 cpsc2019; do
    # shellcheck disable=SC2086
    set -- ${SETS[$set]}
    start=$(date +%s.%N)
    "$BEATMON" detect "$@" --rhythm-model none --output "$OUT/beatmon/$set" 2>/dev/null
    end=$(date +%s.%N)
    echo "== $set: beatmon (all leads), $(echo "$end - $start" | bc) s wall for $# records"
    "$BEATMON" evaluate beats --test-dir "$OUT/beatmon/$set" "$@" | tail -n 2
    if [ "${PEERS:-1}" = 1 ]; then
        python3 Benchmarks/scripts/qrs_peers.py --out "$OUT/peers/$set" "$@" | sed 's/^/   /'
        for method in neurokit pantompkins1985 gqrs; do
            echo "-- $set: $method (first lead)"
            "$BEATMON" evaluate beats --test-dir "$OUT/peers/$set/$method" "$@" | tail -n 2
        done
    fi
done
