#!/usr/bin/env python3
"""HRV of `beatmon report` beside NeuroKit2's hrv_time on the identical N-N intervals.

Usage: hrv_vs_neurokit.py REPORT.json NN.csv [REPORT.json NN.csv ...]
(both written by `beatmon report RECORD -o R.html --json REPORT.json --nn-intervals NN.csv`).
Prints one row per record and exits 1 when a figure differs by more than 1 %.
"""
import csv
import json
import sys
import warnings

import numpy as np
import neurokit2 as nk

PAIRS = [("sdnnMs", "SDNN"), ("sdannMs", "SDANN5"), ("sdnnIndexMs", "SDNNI5"), ("rmssdMs", "RMSSD"), ("pnn50", "pNN50")]


def compare(report_path, nn_path):
    report = json.load(open(report_path))
    hrv = report.get("hrv") or {}
    rows = list(csv.DictReader(open(nn_path)))
    rri = np.array([float(r["nn_ms"]) for r in rows])
    rri_time = np.array([float(r["end_seconds"]) for r in rows])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = nk.hrv_time({"RRI": rri, "RRI_Time": rri_time}, sampling_rate=1000).iloc[0]
    out = []
    worst = 0.0
    for mine_key, nk_key in PAIRS:
        mine, other = hrv.get(mine_key), float(theirs.get("HRV_" + nk_key, np.nan))
        if mine is None or np.isnan(other):
            out.append(f"{mine_key} {mine} / {other:.3f}")
            continue
        diff = abs(mine - other) / abs(other) * 100 if other else 0.0
        worst = max(worst, diff)
        out.append(f"{mine_key} {mine:.3f} / {other:.3f} ({diff:.3f} %)")
    print(f"{report['record']}: n={len(rri)}  " + "  ".join(out))
    return worst


def main(args):
    if len(args) < 2 or len(args) % 2:
        sys.exit(__doc__)
    worst = max(compare(args[i], args[i + 1]) for i in range(0, len(args), 2))
    print(f"largest difference: {worst:.3f} %")
    sys.exit(0 if worst <= 1.0 else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
