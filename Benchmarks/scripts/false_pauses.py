#!/usr/bin/env python3
"""False pauses and false asystole in detected beats, against the reference beat annotations.

Usage: false_pauses.py DETECTIONS_DIR [REFERENCE_DIR] [--annotator qrs] [--verbose]

DETECTIONS_DIR holds `beatmon detect` output (RECORD.qrs); REFERENCE_DIR (default ../shared/data/mitdb)
holds RECORD.hea and RECORD.atr. A detected RR interval >= 2 s is a false pause when every reference
RR interval overlapping it in time is shorter than 2 s (the reference saw beats the detector
dropped); a detected interval >= 3 s is a false asystole when every overlapping reference interval is
shorter than 3 s. Detected pauses that the reference has too are counted as true.
"""
import argparse
import glob
import os

import numpy as np
import wfdb

# MIT-BIH beat codes (EC57), as `beatmon evaluate beats` counts them.
BEATS = set("NLRejBAaJSVEF/fQ")


def longest_overlapping(ref, start, end):
    """Longest reference RR interval (in samples) that overlaps [start, end]; 0 when none."""
    if len(ref) < 2:
        return 0
    # Interval k is (ref[k], ref[k+1]); it overlaps when ref[k] < end and ref[k+1] > start.
    lo = max(0, np.searchsorted(ref, start, side="right") - 1)
    hi = min(len(ref) - 1, np.searchsorted(ref, end, side="left"))
    if hi <= lo:
        return 0
    return int(np.max(np.diff(ref[lo:hi + 1])))


def count(detections, reference, annotator="qrs", verbose=False):
    totals = {"records": 0, "detected_pauses": 0, "false_pauses": 0, "false_asystole": 0, "reference_pauses": 0}
    for path in sorted(glob.glob(os.path.join(detections, f"*.{annotator}"))):
        name = os.path.basename(path)[: -len(annotator) - 1]
        ref_path = os.path.join(reference, name)
        if not os.path.exists(ref_path + ".atr"):
            continue
        atr = wfdb.rdann(ref_path, "atr")
        fs = float(atr.fs or wfdb.rdheader(ref_path).fs)
        ref = np.array([s for s, sym in zip(atr.sample, atr.symbol) if sym in BEATS], dtype=np.int64)
        got = np.sort(np.array(wfdb.rdann(os.path.join(detections, name), annotator).sample, dtype=np.int64))
        totals["records"] += 1
        totals["reference_pauses"] += int((np.diff(ref) >= 2 * fs).sum())
        for a, b in zip(got[:-1], got[1:]):
            if b - a < 2 * fs:
                continue
            totals["detected_pauses"] += 1
            longest = longest_overlapping(ref, a, b)
            if longest < 2 * fs:
                totals["false_pauses"] += 1
                kind = "false pause"
                if b - a >= 3 * fs and longest < 3 * fs:
                    totals["false_asystole"] += 1
                    kind = "false asystole"
                if verbose:
                    print(f"{name}: {kind} {a / fs:9.2f}-{b / fs:9.2f} s ({(b - a) / fs:.2f} s; "
                          f"reference longest {longest / fs:.2f} s)")
            elif b - a >= 3 * fs and longest < 3 * fs:
                totals["false_asystole"] += 1
                if verbose:
                    print(f"{name}: false asystole {a / fs:9.2f}-{b / fs:9.2f} s (reference pause {longest / fs:.2f} s)")
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("detections")
    parser.add_argument("reference", nargs="?", default=os.path.join("..", "shared", "data", "mitdb"))
    parser.add_argument("--annotator", default="qrs")
    parser.add_argument("--verbose", action="store_true", help="list every false pause")
    args = parser.parse_args()
    t = count(args.detections, args.reference, args.annotator, args.verbose)
    print(f"{t['records']} records: {t['detected_pauses']} detected RR >= 2 s, {t['false_pauses']} false pauses, "
          f"{t['false_asystole']} false asystole (>= 3 s); reference has {t['reference_pauses']} RR >= 2 s")


if __name__ == "__main__":
    main()
