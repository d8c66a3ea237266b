#!/usr/bin/env python3
"""Continuous AF recordings built by chaining the cinc2017 `A` records (#11: one AF episode for a
20-minute continuous-AF recording), replayed through beatmon, counting AF onsets per recording.

Usage: continuous_af.py [--data ../shared/data] [--out out/continuous-af] [--recordings 5] [--minutes 20]
                        [--beatmon .build/release/beatmon] [--rhythm-model bundled none]

Recording k chains the A records of REFERENCE.csv (sorted by name) from the k-th block on, each
record's signal as stored (300 Hz, one lead, AliveCor), until `--minutes` are filled; each is
written as a WFDB record (format 16) with a reference `.atr` of one `(AFIB` episode over the whole
recording, so `beatmon evaluate af` scores it too. The joins are abrupt (a step in baseline and
amplitude every 9-61 s), which is harder than one continuous recording, not easier."""
import argparse
import json
import os
import subprocess

import numpy as np
import wfdb


def build(data, out, recordings, minutes):
    with open(os.path.join(data, "cinc2017", "REFERENCE.csv")) as f:
        names = sorted(r for r, y in (line.strip().split(",") for line in f if line.strip()) if y == "A"
                       and os.path.exists(os.path.join(data, "cinc2017", r + ".hea")))
    os.makedirs(out, exist_ok=True)
    paths, cursor = [], 0
    for k in range(recordings):
        parts, fs, used = [], 300, []
        while sum(len(p) for p in parts) < minutes * 60 * fs and cursor < len(names):
            rec = wfdb.rdrecord(os.path.join(data, "cinc2017", names[cursor]))
            fs = rec.fs
            parts.append(rec.p_signal[:, 0]); used.append(names[cursor]); cursor += 1
        signal = np.concatenate(parts)[: int(minutes * 60 * fs)]
        name = f"afchain{k}"
        wfdb.wrsamp(name, fs=fs, units=["mV"], sig_name=["ECG"], p_signal=signal[:, None], fmt=["16"],
                    adc_gain=[1000.0], baseline=[0], write_dir=out, comments=[f"chained cinc2017 A records: {' '.join(used)}"])
        wfdb.wrann(name, "atr", np.array([0]), symbol=["+"], aux_note=["(AFIB"], write_dir=out, fs=fs)
        paths.append(os.path.join(out, name))
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="out/continuous-af")
    ap.add_argument("--recordings", type=int, default=5)
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--beatmon", default=".build/release/beatmon")
    ap.add_argument("--rhythm-model", nargs="+", default=["bundled", "none"])
    a = ap.parse_args()
    records = build(a.data, os.path.join(a.out, "records"), a.recordings, a.minutes)
    for model in a.rhythm_model:
        onsets = []
        test_dir = os.path.join(a.out, model.replace("/", "_"))
        os.makedirs(test_dir, exist_ok=True)
        for r in records:
            events = os.path.join(test_dir, os.path.basename(r) + ".jsonl")
            if os.path.exists(events):
                os.remove(events)
            subprocess.run([a.beatmon, "replay", r, "--quiet", "--rhythm-model", model, "--annotations", test_dir,
                            "--events", events], check=True, stdout=subprocess.DEVNULL)
            kinds = [json.loads(line).get("event") for line in open(events)]
            onsets.append(kinds.count("af-onset"))
        score = subprocess.run([a.beatmon, "evaluate", "af", "--test-dir", test_dir, "--start", "0", *records],
                               check=True, capture_output=True, text=True).stdout.strip().splitlines()[-2:]
        print(f"rhythm model {model}: AF onsets per {a.minutes:g}-minute recording {onsets} "
              f"(total {sum(onsets)} over {len(records)})")
        for line in score:
            print("  " + line)


if __name__ == "__main__":
    main()
