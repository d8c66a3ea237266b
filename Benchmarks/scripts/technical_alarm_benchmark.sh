#!/usr/bin/env bash
# Technical alarms and asystole on real recordings that have neither a lead off nor asystole: every
# mitdb record of ../shared (30 min each, 2 leads) and cpsc2021 (2 leads, 200 Hz). Counts the
# monitor-wide technical alarms, the lead alarms and the asystole alarms the whole monitor raises
# (`beatmon replay`), per hour of signal, and scores AF alongside (episode/duration Se and +P),
# so that the price of the alarms in AF sensitivity is visible in the same run.
# Usage: Benchmarks/scripts/technical_alarm_benchmark.sh [DATA_DIR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
OUT=${2:-out/technical-alarms}
if [ -z "${BEATMON:-}" ]; then swift build -c release --product beatmon >/dev/null; fi
B="${BEATMON:-.build/release/beatmon}"
rm -rf "$OUT"
for set in mitdb cpsc2021; do
    records=()
    for h in "$DATA/$set"/*.hea; do records+=("${h%.hea}"); done
    mkdir -p "$OUT/$set"
    for r in "${records[@]}"; do
        $B replay "$r" --quiet --annotations "$OUT/$set" --events "$OUT/$set/$(basename "$r").jsonl" >/dev/null
    done
    python3 - "$OUT/$set" "$set" <<'PY'
import json, sys, glob, os
folder, name = sys.argv[1], sys.argv[2]
monitor = lead = asystole = 0
seconds = 0.0
where = []
for path in sorted(glob.glob(folder + "/*.jsonl")):
    for line in open(path):
        e = json.loads(line)
        kind = e.get("event")
        if kind == "technical-alarm":
            if "lead" in e: lead += 1
            else: monitor += 1; where.append(f"{os.path.basename(path)[:-6]}@{e['alertSeconds']:.0f}s {e.get('condition')}")
        elif kind == "asystole-onset":
            asystole += 1; where.append(f"{os.path.basename(path)[:-6]}@{e['alertSeconds']:.0f}s asystole")
        elif kind == "stop":
            seconds += e.get("alertSeconds") or 0
hours = seconds / 3600
print(f"{name}: {hours:.1f} h; monitor technical alarms {monitor} ({monitor/hours:.2f}/h), "
      f"lead alarms {lead} ({lead/hours:.2f}/h), asystole {asystole} ({asystole/hours:.2f}/h)")
for w in where: print("  ", w)
PY
done
echo "== AF, mitdb (all records; first 5 minutes skipped, as epicmp)"
mit=(); for h in "$DATA"/mitdb/*.hea; do mit+=("${h%.hea}"); done
$B evaluate af --test-dir "$OUT/mitdb" "${mit[@]}" | tail -n 2
echo "== AF, cpsc2021 (scored whole)"
cpsc=(); for h in "$DATA"/cpsc2021/*.hea; do cpsc+=("${h%.hea}"); done
$B evaluate af --test-dir "$OUT/cpsc2021" --start 0 "${cpsc[@]}" | tail -n 2
