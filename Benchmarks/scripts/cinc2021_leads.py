#!/usr/bin/env python3
"""cinc2021 non-AF records that `beatmon classify` calls A, by the leads the model is given: the same
50 records cut to lead subsets (wfdb-python writes each subset as a WFDB record into a temporary
folder), then classified by the same binary and weights.

    python3 Benchmarks/scripts/cinc2021_leads.py [--data ../shared/data] [--beatmon .build/release/beatmon]
"""
import argparse
import csv
import glob
import io
import os
import subprocess
import tempfile

import wfdb

SUBSETS = {
    "II": ["II"],
    "II, V1": ["II", "V1"],
    "I, II, III": ["I", "II", "III"],
    "limb (6)": ["I", "II", "III", "aVR", "aVL", "aVF"],
    "chest (6)": ["V1", "V2", "V3", "V4", "V5", "V6"],
    "all 12": None,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--beatmon", default=".build/release/beatmon")
    ap.add_argument("--model", default="Sources/BeatNet/Resources/beatnet.safetensors")
    args = ap.parse_args()
    headers = sorted(glob.glob(os.path.join(args.data, "cinc2021", "*.hea")))
    if not headers:
        raise SystemExit(f"no cinc2021 records under {args.data}")
    print("| leads | records called A (of 50) | which |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for tag, leads in SUBSETS.items():
            folder = os.path.join(tmp, str(len(os.listdir(tmp))))
            os.makedirs(folder)
            paths = []
            for h in headers:
                name = os.path.basename(h)[:-4]
                if leads is None:
                    paths.append(h[:-4])
                    continue
                rec = wfdb.rdrecord(h[:-4])
                idx = [rec.sig_name.index(lead) for lead in leads]
                wfdb.wrsamp(name, fs=rec.fs, units=[rec.units[i] for i in idx], sig_name=leads,
                            p_signal=rec.p_signal[:, idx], fmt=["16"] * len(idx), write_dir=folder)
                paths.append(os.path.join(folder, name))
            out = subprocess.run([args.beatmon, "classify", *paths, "--model", args.model],
                                 capture_output=True, text=True, check=True).stdout
            called = [os.path.basename(r["record"]) for r in csv.DictReader(io.StringIO(out)) if r["label"] == "A"]
            print(f"| {tag} | {len(called)} | {' '.join(called)} |")


if __name__ == "__main__":
    main()
