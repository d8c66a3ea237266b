#!/usr/bin/env bash
# The Holter lab's batch: every recording of a folder through `beatmon report` (HTML + JSON per
# recording, one folder each, as systemd/beatmon-replay@.service writes them), JOBS at a time with
# GNU parallel, then the JSON reports collated into one CSV. Prints recordings per hour of wall time.
# usage: Benchmarks/scripts/holter_lab.sh [RECORDINGS_DIR] [OUT_DIR] [JOBS]
#   BEATMON=path uses that binary (default: a release build in .build-holter, as holter_benchmark.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
RECORDINGS=${1:-../shared/data/mitdb}
OUT=${2:-/tmp/holter-lab}
JOBS=${3:-2}
SCRATCH=${SCRATCH:-.build-holter}
if [ -z "${BEATMON:-}" ]; then
    swift build -c release --scratch-path "$SCRATCH" --product beatmon >/dev/null
fi
B=$(realpath "${BEATMON:-$SCRATCH/release/beatmon}")
command -v parallel >/dev/null || { echo "GNU parallel is not installed (apt-get install parallel)" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"
ls "$RECORDINGS"/*.hea | xargs -n1 basename | sed 's/\.hea$//' > "$OUT/recordings.txt"
count=$(wc -l < "$OUT/recordings.txt")
start=$(date +%s.%N)
# One job per recording; --joblog keeps each one's exit status and run time; a failed recording
# does not stop the others (parallel's exit status counts the failures).
parallel --jobs "$JOBS" --joblog "$OUT/joblog.tsv" \
    "mkdir -p '$OUT/{}' && '$B' report '$RECORDINGS/{}' --output '$OUT/{}/report.html' --json '$OUT/{}/report.json' > '$OUT/{}/report.log' 2>&1" \
    < "$OUT/recordings.txt" || echo "failed recordings: $?"
end=$(date +%s.%N)
python3 - "$OUT" "$start" "$end" "$count" "$JOBS" <<'PY'
import csv, json, os, sys
out, start, end, count, jobs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rows = []
for name in sorted(open(f"{out}/recordings.txt").read().split()):
    path = f"{out}/{name}/report.json"
    if not os.path.exists(path):
        rows.append(dict(record=name, status="failed")); continue
    r = json.load(open(path))
    hr = r.get("heartRate") or {}
    rows.append(dict(record=r["record"], status="ok", duration_s=round(r["durationSeconds"], 1),
                     analysable_s=round(r["analysableSeconds"], 1), beats=r["beats"],
                     mean_hr_bpm=round(hr["mean"], 1) if hr.get("mean") is not None else "",
                     af_episodes=len(r["episodes"]), af_burden_percent=round(r["afBurdenPercent"], 2)))
with open(f"{out}/summary.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["record", "status", "duration_s", "analysable_s", "beats", "mean_hr_bpm",
                                      "af_episodes", "af_burden_percent"])
    w.writeheader(); w.writerows(rows)
wall = end - start
ok = sum(1 for r in rows if r["status"] == "ok")
hours = sum(r.get("duration_s", 0) for r in rows) / 3600
print(f"{ok}/{count} recordings ({hours:.1f} h of ECG) in {wall:.1f} s with {jobs} jobs: "
      f"{ok / wall * 3600:.0f} recordings per hour, {hours / wall * 3600:.0f} h of ECG per hour; {out}/summary.csv")
PY
