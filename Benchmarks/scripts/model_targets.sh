#!/usr/bin/env bash
# Every figure of issue #11, BEAT-Net (bundled, or MODEL=weights.safetensors) beside the classical
# beat classifier and the RR-interval AF detector alone (--rhythm-model none): the same binary, the
# same records, one run. docs/model.md and docs/af-detection.md quote its output.
#   - mitdb DS2 (records here), EC57 VEB/SVEB gross (bxb -S rules, `beatmon evaluate beats`)
#   - false AF episodes per 24 h over the non-AF, non-paced mitdb records here
#   - false ventricular runs in the replay's beat labels (ventricular_runs.py), the same mitdb records
#   - AF episode and duration Se/+P: mitdb 201 202 221, cpsc2021 (scored whole)
#   - continuous AF: 20-minute recordings chained from cinc2017 A records, onsets per recording
#   - cinc2021 (12 leads, no AF in the sample): records `classify` calls A, and the leads the model weighs
# Usage: Benchmarks/scripts/model_targets.sh [DATA_DIR] [OUT_DIR]   (BEATMON=path skips the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
OUT=${2:-out/model-targets}
MODEL=${MODEL:-bundled}
if [ -z "${BEATMON:-}" ]; then swift build -c release --product beatmon >/dev/null; BEATMON=.build/release/beatmon; fi
rm -rf "$OUT"; mkdir -p "$OUT"
present() { for r in "$@"; do [ -f "$DATA/mitdb/$r.hea" ] && echo "$DATA/mitdb/$r"; done; }
DS2=($(present 100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234))
NONAF=($(present 100 101 103 105 106 108 109 111 112 113 114 115 116 117 118 119 121 122 123 124 200 203 205 207 208 209 210 212 213 214 215 219 220 222 223 228 230 231 232 233 234))
AF=($(present 201 202 221))
cpsc=(); for h in "$DATA"/cpsc2021/*.hea; do cpsc+=("${h%.hea}"); done
for model in "$MODEL" none; do
  tag=$(basename "$model" .safetensors)
  for r in "${NONAF[@]}" "${AF[@]}"; do
    "$BEATMON" replay "$r" --quiet --rhythm-model "$model" --annotations "$OUT/$tag/mitdb" --events "$OUT/$tag/mitdb/$(basename "$r").jsonl" >/dev/null
  done
  for r in "${cpsc[@]}"; do
    "$BEATMON" replay "$r" --quiet --rhythm-model "$model" --annotations "$OUT/$tag/cpsc2021" --events "$OUT/$tag/cpsc2021/events.jsonl" >/dev/null
  done
  echo "== rhythm model: $model (beat classes from $([ "$model" = none ] && echo 'the classical classifier' || echo "BEAT-Net's beat head"))"
  echo "-- mitdb DS2 (${#DS2[@]} records here), EC57 gross"
  "$BEATMON" evaluate beats --test beatmon --test-dir "$OUT/$tag/mitdb" "${DS2[@]}" | grep -iE "gross|VEB|SVEB" | tail -n 4
  python3 - "$OUT/$tag/mitdb" "$DATA/mitdb" "${NONAF[@]}" <<'PY'
import json, sys, os
out, data, records = sys.argv[1], sys.argv[2], sys.argv[3:]
onsets, hours, worst = 0, 0.0, []
for r in records:
    name = os.path.basename(r)
    n = sum(1 for line in open(os.path.join(out, name + ".jsonl")) if json.loads(line).get("event") == "af-onset")
    with open(os.path.join(data, name + ".hea")) as f:
        first = f.readline().split()
    hours += int(first[3]) / float(first[2].split("/")[0]) / 3600
    onsets += n
    if n:
        worst.append(f"{name}:{n}")
print(f"-- false AF episodes over {len(records)} non-AF mitdb records ({hours:.1f} h): {onsets} = {onsets / hours * 24:.1f} per 24 h {' '.join(worst)}")
PY
  echo "-- ventricular runs (>= 3 V) in the replay's beat labels over the ${#NONAF[@]} + ${#AF[@]} mitdb records, against .atr (ventricular_runs.py)"
  python3 Benchmarks/scripts/ventricular_runs.py --annotator beatmon --test-dir "$OUT/$tag/mitdb" "${NONAF[@]}" "${AF[@]}" \
    | sed -n '1p;/^total/,$p'
  echo "-- mitdb AF records (${AF[*]##*/}), epicmp -a"
  "$BEATMON" evaluate af --test-dir "$OUT/$tag/mitdb" "${AF[@]}" | tail -n 2
  echo "-- cpsc2021 (${#cpsc[@]} records, scored whole)"
  "$BEATMON" evaluate af --test-dir "$OUT/$tag/cpsc2021" --start 0 "${cpsc[@]}" | tail -n 2
done
echo "== continuous AF (cinc2017 A records chained into 20-minute recordings)"
python3 Benchmarks/scripts/continuous_af.py --data "$DATA" --out "$OUT/continuous-af" --beatmon "$BEATMON" --rhythm-model "$MODEL" none
echo "== cinc2021 (50 12-lead records, none with AF): beatmon classify"
c21=(); for h in "$DATA"/cinc2021/*.hea; do c21+=("${h%.hea}"); done
"$BEATMON" classify "${c21[@]}" --model "$([ "$MODEL" = bundled ] && echo Sources/BeatNet/Resources/beatnet.safetensors || echo "$MODEL")" --output "$OUT/cinc2021.csv" 2>/dev/null || true
python3 - "$OUT/cinc2021.csv" <<'PY'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1])))
def named(keep): return [r["record"].split("/")[-1] for r in rows if keep(r)]
called, head = named(lambda r: r["label"] == "A"), named(lambda r: r["window_label"] == "A")
beat_af = named(lambda r: float(r["beat_p_af"]) >= 0.5)
print(f"records {len(rows)}; classified A (label: the regular-rhythm rule and the per-beat agreement): {len(called)} {' '.join(called)}; "
      f"by the window head alone: {len(head)} {' '.join(head)}; mean per-beat p(AF) >= 0.5: {len(beat_af)} {' '.join(beat_af)}")
sums, counts = collections.Counter(), collections.Counter()
for r in rows:
    for item in filter(None, r["lead_weights"].split(";")):
        name, w = item.rsplit(":", 1); sums[name] += float(w); counts[name] += 1
ranked = sorted(sums, key=lambda k: -sums[k] / counts[k])
print("mean lead weight over the records: " + ", ".join(f"{k} {sums[k] / counts[k]:.3f}" for k in ranked))
PY
