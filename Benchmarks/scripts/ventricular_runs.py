#!/usr/bin/env python3
"""False ventricular-run alarms of the beat classifier, against mitdb's reference labels.

A run is >= MIN_RUN consecutive beats labelled ventricular (test: `V` in `beatmon detect`'s .qrs;
reference: `V` and `E` in .atr, the other beat labels breaking a run). A test run is a false alarm
when its span (first R to last R, widened by the 150 ms EC57 match window) overlaps no reference
run; a reference run is found when some test run overlaps it. The whole record is scored (an alarm
in the first 5 minutes is still an alarm).

Usage:
  beatmon detect ../shared/data/mitdb/{100,101,...} --rhythm-model none --output /tmp/qrs
  python3 Benchmarks/scripts/ventricular_runs.py --test-dir /tmp/qrs ../shared/data/mitdb/{100,101,...}
Options: --min-run N (default 3), --vt N (runs of >= N beats also counted as VT alarms, default 8),
--json for one JSON object.
"""
import argparse
import json
import os
import sys

import wfdb

# WFDB beat codes (wfdb.io.annotation's is_qrs set); anything else (rhythm, noise, comments) is
# not a beat and neither breaks nor extends a run.
BEAT_CODES = set("NLRBAaJSVrFejnE/fQ?!")
REFERENCE_VENTRICULAR = {"V", "E"}
TEST_VENTRICULAR = {"V"}
WINDOW_SECONDS = 0.15


def runs(samples, symbols, ventricular, min_run):
    """(first sample, last sample, beats) of each run of >= min_run consecutive ventricular beats."""
    found, start, count = [], None, 0
    previous = None
    for sample, symbol in zip(samples, symbols):
        if symbol not in BEAT_CODES:
            continue
        if symbol in ventricular:
            if count == 0:
                start = sample
            count += 1
            previous = sample
        else:
            if count >= min_run:
                found.append((start, previous, count))
            count = 0
    if count >= min_run:
        found.append((start, previous, count))
    return found


def overlaps(a, b, slack):
    return a[0] - slack <= b[1] and b[0] - slack <= a[1]


def score(record, test_dir, annotator, min_run, vt):
    name = os.path.basename(record)
    reference = wfdb.rdann(record, "atr")
    test = wfdb.rdann(os.path.join(test_dir, name), annotator)
    slack = int(round(WINDOW_SECONDS * reference.fs)) if reference.fs else 54
    ref_runs = runs(reference.sample, reference.symbol, REFERENCE_VENTRICULAR, min_run)
    test_runs = runs(test.sample, test.symbol, TEST_VENTRICULAR, min_run)
    false_runs = [t for t in test_runs if not any(overlaps(t, r, slack) for r in ref_runs)]
    found = [r for r in ref_runs if any(overlaps(r, t, slack) for t in test_runs)]
    return {
        "record": name,
        "referenceRuns": len(ref_runs),
        "referenceRunsFound": len(found),
        "testRuns": len(test_runs),
        "falseRuns": len(false_runs),
        "falseVTRuns": sum(1 for t in false_runs if t[2] >= vt),
        "referenceVTRuns": sum(1 for r in ref_runs if r[2] >= vt),
        "referenceVTRunsFound": sum(1 for r in found if r[2] >= vt),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("records", nargs="+", help="reference records (WFDB path without extension)")
    parser.add_argument("--test-dir", required=True, help="folder with NAME.<annotator> from beatmon detect")
    parser.add_argument("--annotator", default="qrs")
    parser.add_argument("--min-run", type=int, default=3)
    parser.add_argument("--vt", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.min_run < 1 or args.vt < args.min_run:
        sys.exit("--min-run must be >= 1 and --vt >= --min-run")
    rows = []
    for record in args.records:
        try:
            rows.append(score(record, args.test_dir, args.annotator, args.min_run, args.vt))
        except (FileNotFoundError, ValueError) as error:
            sys.exit(f"{record}: {error}")
    keys = ["referenceRuns", "referenceRunsFound", "testRuns", "falseRuns", "falseVTRuns", "referenceVTRuns",
            "referenceVTRunsFound"]
    total = {key: sum(row[key] for row in rows) for key in keys}
    if args.json:
        print(json.dumps({"minRun": args.min_run, "vt": args.vt, "records": rows, "total": total}, indent=1))
        return
    print(f"record  ref runs  found  test runs  false runs  false VT (>= {args.vt})")
    for row in rows:
        print(f"{row['record']:<7} {row['referenceRuns']:8d} {row['referenceRunsFound']:6d} {row['testRuns']:10d}"
              f" {row['falseRuns']:11d} {row['falseVTRuns']:9d}")
    print(f"{'total':<7} {total['referenceRuns']:8d} {total['referenceRunsFound']:6d} {total['testRuns']:10d}"
          f" {total['falseRuns']:11d} {total['falseVTRuns']:9d}")
    print(f"reference VT runs (>= {args.vt}): {total['referenceVTRuns']}, found {total['referenceVTRunsFound']}")


if __name__ == "__main__":
    main()
