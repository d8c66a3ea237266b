#!/usr/bin/env python3
"""Report figures (REPORT.json from `beatmon report --json`) against mitdb reference annotations.

Usage: holter_figures.py MITDB_DIR REPORT_DIR
"""
import glob
import json
import os
import sys
from collections import Counter

import numpy as np
import wfdb

DS1 = "101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230".split()
DS2 = "100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234".split()
PACED = "102 104 107 217".split()
V, S = set("VE"), set("AaJS")
BEATS = set("NLRejBAaJSVEF/fQ")


def main(mitdb, folder):
    rows, alarms, hours = [], Counter(), 0.0
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        name = os.path.basename(path)[:-5]
        report = json.load(open(path))
        ann = wfdb.rdann(os.path.join(mitdb, name), "atr")
        beats = [(s, l) for s, l in zip(ann.sample, ann.symbol) if l in BEATS]
        samples = np.array([b[0] for b in beats])
        rr = np.diff(samples) / ann.fs
        ref_v = sum(1 for b in beats if b[1] in V)
        ref_s = sum(1 for b in beats if b[1] in S)
        ref_pauses = int((rr >= report["pauses"]["thresholdSeconds"]).sum())
        got_v = report["ectopy"]["ventricular"]["total"]
        got_s = report["ectopy"]["supraventricular"]["total"]
        hours += report["durationSeconds"] / 3600
        kinds = Counter(e["kind"] for e in report["events"] if e["kind"].endswith("-onset"))
        alarms.update(kinds)
        split = "DS1" if name in DS1 else "DS2" if name in DS2 else "paced" if name in PACED else "-"
        rows.append((name, split, ref_v, got_v, ref_s, got_s, ref_pauses, report["pauses"]["count"], dict(kinds)))
    print(f"{'record':>6} {'set':>5} {'V ref':>6} {'V got':>6} {'V err%':>7} {'S ref':>6} {'S got':>6} {'pauses ref/got':>15}  alarms")
    within = []
    for name, split, rv, gv, rs, gs, rp, gp, kinds in rows:
        err = (gv - rv) / rv * 100 if rv else (0.0 if gv == 0 else float("inf"))
        if split == "DS2":
            within.append(abs(gv - rv) <= max(0.05 * rv, 0))
        short = {k.replace("-onset", ""): v for k, v in kinds.items()}
        print(f"{name:>6} {split:>5} {rv:>6} {gv:>6} {err:>7.1f} {rs:>6} {gs:>6} {rp:>7}/{gp:<7}  {short}")
    ds2 = [r for r in rows if r[1] == "DS2"]
    print(f"DS2: {sum(within)}/{len(within)} records with the VE count within 5 % of the reference "
          f"(gross V {sum(r[3] for r in ds2)} vs {sum(r[2] for r in ds2)})")
    exact = sum(1 for r in rows if (r[6] > 0) == (r[7] > 0))
    print(f"pauses >= 2 s: found on exactly the records that have them in {exact}/{len(rows)} records; "
          f"reference {sum(r[6] for r in rows)}, found {sum(r[7] for r in rows)}")
    print(f"alarm onsets over {hours:.1f} h: " + ", ".join(f"{k} {v} ({v / hours:.2f}/h)" for k, v in sorted(alarms.items())))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
