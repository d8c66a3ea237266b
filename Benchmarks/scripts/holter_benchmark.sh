#!/usr/bin/env bash
# 24-hour replay speed: `beatmon replay --speed max --annotations DIR` on 1-hour and 24-hour 2-lead,
# 250 Hz recordings chained from mitdb (Benchmarks/scripts/holter_build_24h.py, written under /tmp), as WFDB
# 212 and EDF; `beatmon report` on the 24-hour one; NeuroKit2's ecg_peaks on one lead of the same
# file in the same run. Wall time, x real time, CPU share and peak RSS from /usr/bin/time -v.
# usage: Benchmarks/scripts/holter_benchmark.sh [DATA_DIR] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
WORK=${2:-/tmp/holter-bench}
SCRATCH=${SCRATCH:-.build-holter}
# BEATMON=path skips the build (e.g. while the checkout does not build).
if [ -z "${BEATMON:-}" ]; then
    if ! log=$(swift build -c release --scratch-path "$SCRATCH" --product beatmon 2>&1); then
        echo "$log" | tail -n 20 >&2; exit 1
    fi
fi
B="${BEATMON:-$SCRATCH/release/beatmon}"
mkdir -p "$WORK"
for h in 1 24; do
    [ -f "$WORK/holter${h}h.hea" ] || python3 Benchmarks/scripts/holter_build_24h.py --hours "$h" --out "$WORK" --data "$DATA" >/dev/null
done

measure() {  # label, real seconds, command...
    local label=$1 real=$2; shift 2
    local log="$WORK/time.log"
    /usr/bin/time -v "$@" >"$WORK/stdout.log" 2>"$log"
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$log")
    printf "| %-34s | %8.2f s | %7.0fx | %5s | %7s MB |\n" "$label" "$wall" "$(echo "$real / $wall" | bc -l)" "$cpu" "$rss"
    sed 's/^/    /' "$WORK/stdout.log" >&2
}

echo "| run | wall | x real time | CPU | peak RSS |"
echo "|---|---|---|---|---|"
for h in 1 24; do
    real=$((h * 3600))
    rm -rf "$WORK/out"
    measure "replay ${h} h WFDB 212" $real "$B" replay "$WORK/holter${h}h" --speed max --quiet --annotations "$WORK/out"
    measure "replay ${h} h EDF+" $real "$B" replay "$WORK/holter${h}h.edf" --speed max --quiet --annotations "$WORK/out"
    measure "report ${h} h WFDB 212" $real "$B" report "$WORK/holter${h}h" --output "$WORK/report${h}h.html" --json "$WORK/report${h}h.json"
    measure "neurokit2 ecg_peaks ${h} h (1 lead)" $real python3 Benchmarks/scripts/holter_nk_peaks.py "$WORK/holter${h}h"
done
