#!/usr/bin/env bash
# Times WFDB decoding: beatmon's reader (wfdb-decode-bench, release build) against wfdb-python's
# rdrecord on the same files, in the same run.
#
#   Benchmarks/scripts/decode_benchmark.sh [DATA_DIR] [REPEATS]
#
# Records: mitdb/100 (30 min, 2 x 650,000 samples, format 212) and a 10-hour synthetic format-212
# record generated into /tmp by chaining 20 mitdb .dat files (2 x 13,000,000 samples, with
# computed checksums, so the Swift reader also verifies them). Both sides read every sample as
# physical values (Swift: Float, streaming; Python: float64 array in memory). Files are read once
# before timing so both sides see them in the page cache. Best of REPEATS runs is reported.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
REPEATS=${2:-5}
SCRATCH=${SCRATCH:-.build-bench}
LONG_DIR=${LONG_DIR:-/tmp/beatmon-decode-bench}

swift build -c release --package-path Benchmarks --scratch-path "$SCRATCH" --product wfdb-decode-bench >/dev/null
BENCH="$SCRATCH/release/wfdb-decode-bench"

mkdir -p "$LONG_DIR"
python3 - "$DATA" "$LONG_DIR" <<'PY'
import os, sys, numpy as np
data, out = sys.argv[1], sys.argv[2]
hea = os.path.join(out, "long10h.hea")
if os.path.exists(hea):
    sys.exit(0)
names = sorted(f[:-4] for f in os.listdir(os.path.join(data, "mitdb")) if f.endswith(".hea"))[:20]
sums = [0, 0]
frames = 0
with open(os.path.join(out, "long10h.dat"), "wb") as dat:
    for name in names:
        raw = np.fromfile(os.path.join(data, "mitdb", name + ".dat"), dtype=np.uint8).astype(np.int32)
        raw = raw[: len(raw) // 3 * 3].reshape(-1, 3)
        a = raw[:, 0] | ((raw[:, 1] & 0x0F) << 8)
        b = raw[:, 2] | ((raw[:, 1] & 0xF0) << 4)
        a[a > 2047] -= 4096; b[b > 2047] -= 4096
        sums[0] += int(a.sum()); sums[1] += int(b.sum())
        frames += len(a)
        dat.write(raw.astype(np.uint8).tobytes())
        if frames == len(a):
            first = (int(a[0]), int(b[0]))
def c16(v):
    v &= 0xFFFF
    return v - 65536 if v >= 32768 else v
with open(hea, "w") as h:
    h.write(f"long10h 2 360 {frames}\n")
    h.write(f"long10h.dat 212 200 11 1024 {first[0]} {c16(sums[0])} 0 MLII\n")
    h.write(f"long10h.dat 212 200 11 1024 {first[1]} {c16(sums[1])} 0 V1\n")
    h.write(f"# synthetic: mitdb {' '.join(names)} chained ({frames / 360 / 3600:.2f} h)\n")
PY

for RECORD in "$DATA/mitdb/100" "$LONG_DIR/long10h"; do
    cat "$RECORD.dat" > /dev/null
    SWIFT_LINE=$("$BENCH" "$RECORD" "$REPEATS")
    SWIFT_RATE=$(sed -E 's/.*samples_per_second=([0-9]+).*/\1/' <<<"$SWIFT_LINE")
    PY_RATE=$(python3 - "$RECORD" "$REPEATS" <<'PY'
import sys, time, wfdb
record, repeats = sys.argv[1], int(sys.argv[2])
best = float("inf")
for _ in range(repeats):
    start = time.perf_counter()
    r = wfdb.rdrecord(record)
    best = min(best, time.perf_counter() - start)
print(int(r.p_signal.size / best))
PY
)
    echo "$(basename "$RECORD"): swift $(awk -v r="$SWIFT_RATE" 'BEGIN{printf "%.1f", r/1e6}') M samples/s," \
         "wfdb-python $(awk -v r="$PY_RATE" 'BEGIN{printf "%.1f", r/1e6}') M samples/s," \
         "ratio $(awk -v a="$SWIFT_RATE" -v b="$PY_RATE" 'BEGIN{printf "%.1f", a/b}')x"
    echo "  ($SWIFT_LINE)"
done
