#!/usr/bin/env bash
# QRS detection by split (issue 11 §5): EC57 gross Se/+P of beatmon's fused detector on mitdb (all,
# and the two halves: records at odd/even positions of the sorted list), svdb/800, cpsc2021,
# cpsc2019 (all, even and odd record numbers), and the cinc2017 RR-outlier proxy (rr_outliers.py).
# Usage: Benchmarks/scripts/qrs_splits.sh [OUT] [BEATMON]   (defaults out/splits, .build/release/beatmon)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-out/splits}
BEATMON=${2:-.build/release/beatmon}
DATA=../shared/data
records() { for h in "$DATA/$1"/*.hea; do echo "${h%.hea}"; done; }
gross() {  # NAME DIR RECORDS...
    local name=$1 dir=$2; shift 2
    "$BEATMON" evaluate beats --test-dir "$dir" "$@" |
        awk -v n="$name" '/^Gross/ && !done {done = 1; printf "%-22s TP %6d  FN %4d  FP %4d  Se %6s  +P %6s\n", n, $3, $4, $5, $6, $7}'
}
mapfile -t MITDB < <(records mitdb)
mapfile -t CPSC2021 < <(records cpsc2021)
mapfile -t CPSC2019 < <(records cpsc2019)
"$BEATMON" detect "${MITDB[@]}" --rhythm-model none --output "$OUT/mitdb" >/dev/null 2>&1
"$BEATMON" detect "$DATA/svdb/800" --rhythm-model none --output "$OUT/svdb" >/dev/null 2>&1
"$BEATMON" detect "${CPSC2021[@]}" --rhythm-model none --output "$OUT/cpsc2021" >/dev/null 2>&1
"$BEATMON" detect "${CPSC2019[@]}" --rhythm-model none --output "$OUT/cpsc2019" >/dev/null 2>&1
MITDB_A=() MITDB_B=() C19_EVEN=() C19_ODD=()
for i in "${!MITDB[@]}"; do if (( i % 2 == 0 )); then MITDB_A+=("${MITDB[$i]}"); else MITDB_B+=("${MITDB[$i]}"); fi; done
for r in "${CPSC2019[@]}"; do n=${r##*_}; if (( 10#$n % 2 == 0 )); then C19_EVEN+=("$r"); else C19_ODD+=("$r"); fi; done
gross "mitdb (36)" "$OUT/mitdb" "${MITDB[@]}"
gross "mitdb tuning half" "$OUT/mitdb" "${MITDB_A[@]}"
gross "mitdb other half" "$OUT/mitdb" "${MITDB_B[@]}"
gross "svdb/800" "$OUT/svdb" "$DATA/svdb/800"
gross "cpsc2021 (12)" "$OUT/cpsc2021" "${CPSC2021[@]}"
gross "cpsc2019 (50)" "$OUT/cpsc2019" "${CPSC2019[@]}"
gross "cpsc2019 even (tuning)" "$OUT/cpsc2019" "${C19_EVEN[@]}"
gross "cpsc2019 odd" "$OUT/cpsc2019" "${C19_ODD[@]}"
if [ "${CINC:-1}" = 1 ]; then
    mapfile -t CINC_N < <(awk -F, '$2 == "N" {print "'"$DATA"'/cinc2017/" $1}' "$DATA/cinc2017/REFERENCE.csv")
    printf '%s\n' "${CINC_N[@]}" | xargs -n 500 "$BEATMON" detect --rhythm-model none --output "$OUT/cinc2017" >/dev/null 2>&1
    python3 Benchmarks/scripts/rr_outliers.py "$OUT/cinc2017" --reference "$DATA/cinc2017/REFERENCE.csv" --halves
fi
