#!/usr/bin/env python3
"""RR-outlier proxy for QRS detection on records without beat annotations (cinc2017, issue 11 §5).

For each record of the chosen REFERENCE.csv label (default N, normal rhythm), reads the detector's
beats (DIR/NAME.qrs) and counts the RR intervals more than 30 % away from the record's median RR. A
record is an outlier record when more than 10 % of its intervals are. In normal sinus rhythm almost
every such interval is a missed or a false beat, so the share of outlier records tracks detection
errors (it also counts real ectopy and sinus arrhythmia, so it never reaches 0).

Usage: rr_outliers.py QRS_DIR [--reference ../shared/data/cinc2017/REFERENCE.csv] [--label N]
                      [--annotator qrs] [--list] [--halves]
--list prints the outlier records; --halves also scores the even and odd record numbers apart
(A00002, A00004, ... and A00001, A00003, ...: tune on one, report the other).
"""
import argparse
import os
import sys

import numpy as np
import wfdb


def outlier_share(samples):
    """Fraction of RR intervals > 30 % away from the median RR; None with under 2 intervals."""
    rr = np.diff(np.asarray(samples, dtype=float))
    if len(rr) < 2:
        return None
    median = np.median(rr)
    return float(np.mean(np.abs(rr - median) > 0.3 * median))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("qrs_dir")
    parser.add_argument("--reference", default="../shared/data/cinc2017/REFERENCE.csv")
    parser.add_argument("--label", default="N")
    parser.add_argument("--annotator", default="qrs")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--halves", action="store_true")
    args = parser.parse_args()

    names = []
    with open(args.reference) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) == 2 and parts[1] == args.label:
                names.append(parts[0])
    outliers, too_few, missing = [], [], 0
    for name in names:
        path = os.path.join(args.qrs_dir, name)
        if not os.path.exists(f"{path}.{args.annotator}"):
            missing += 1
            continue
        try:
            ann = wfdb.rdann(path, args.annotator)
            share = outlier_share(ann.sample)
        except Exception:  # an empty annotation file: no beats at all
            share = None
        if share is None:
            too_few.append(name)
        elif share > 0.10:
            outliers.append((name, share))
    scored = len(names) - missing
    if scored == 0:
        sys.exit(f"no {args.annotator} files for label {args.label} in {args.qrs_dir}")
    bad = len(outliers) + len(too_few)
    print(f"label {args.label}: {scored} records, {len(outliers)} with > 10 % RR outliers, "
          f"{len(too_few)} with < 3 beats; outlier share {100 * bad / scored:.2f} %"
          + (f" ({missing} not detected)" if missing else ""))
    if args.halves:
        flagged = {name for name, _ in outliers} | set(too_few)
        for parity, half in (("even", 0), ("odd", 1)):
            members = [n for n in names if int(n.lstrip("A")) % 2 == half
                       and os.path.exists(os.path.join(args.qrs_dir, f"{n}.{args.annotator}"))]
            share = 100 * sum(n in flagged for n in members) / max(1, len(members))
            print(f"  {parity} record numbers: {len(members)} records, outlier share {share:.2f} %")
    if args.list:
        for name, share in sorted(outliers, key=lambda x: -x[1]):
            print(f"{name} {100 * share:.1f}")
        for name in too_few:
            print(f"{name} too few beats")


if __name__ == "__main__":
    main()
