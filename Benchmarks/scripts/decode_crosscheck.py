#!/usr/bin/env python3
"""Compares beatmon's WFDB decoding of whole records with wfdb-python.

    python3 Benchmarks/scripts/decode_crosscheck.py [DATA_DIR] [CINC2017_STRIDE]

For every record with a signal file in mitdb, nstdb, svdb, cpsc2021, cpsc2019, cinc2021 and every
CINC2017_STRIDE-th CinC 2017 record, dumps all frames with `wfdb-decode-bench --dump` (release
build) and checks that the raw values equal `rdrecord(physical=False).d_signal` and the physical
values equal `rdrecord().p_signal` rounded to float32 (bit for bit, NaN where NaN).
"""
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import wfdb

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
stride = int(sys.argv[2]) if len(sys.argv) > 2 else 70
scratch = os.environ.get("SCRATCH", os.path.join(root, ".build-bench"))
subprocess.run(["swift", "build", "-c", "release", "--package-path", "Benchmarks", "--scratch-path", scratch,
                "--product", "wfdb-decode-bench"],
               cwd=root, check=True, stdout=subprocess.DEVNULL)
tool = os.path.join(scratch, "release", "wfdb-decode-bench")

records = sorted(h[:-4] for s in ["mitdb", "nstdb", "svdb", "cpsc2021", "cpsc2019", "cinc2021"]
                 for h in glob.glob(os.path.join(data, s, "*.hea")))
records += sorted(h[:-4] for h in glob.glob(os.path.join(data, "cinc2017", "*.hea")))[::stride]
mismatches = 0
samples = 0
with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "dump")
    for record in records:
        subprocess.run([tool, record, "--dump", prefix], check=True)
        physical = wfdb.rdrecord(record).p_signal
        digital = wfdb.rdrecord(record, physical=False).d_signal
        ours_physical = np.fromfile(prefix + ".f32", dtype=np.float32).reshape(physical.shape)
        ours_raw = np.fromfile(prefix + ".i32", dtype=np.int32).reshape(digital.shape)
        same = np.array_equal(ours_raw, digital) and np.array_equal(
            ours_physical, physical.astype(np.float32), equal_nan=True)
        samples += physical.size
        if not same:
            mismatches += 1
            print("MISMATCH", record)
print(f"{len(records)} records, {samples} samples, {mismatches} mismatching records")
sys.exit(1 if mismatches else 0)
