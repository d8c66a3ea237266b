"""Runs the QRS detectors a user would otherwise reach for on the same records as beatmon.

NeuroKit2 (`neurokit` and `pantompkins1985` methods, each with its own cleaning step, as its
documentation pipes them) and wfdb-python's `gqrs`, on the first lead of each record. Each writes
WFDB annotation files `OUT/METHOD/NAME.qrs`, so that every detector is scored by the same EC57
evaluator (`beatmon evaluate beats`), and prints a throughput line per method.

Run: python3 Benchmarks/scripts/qrs_peers.py --out out/peers RECORD...   (see Benchmarks/scripts/qrs_benchmark.sh)
"""
import argparse
import json
import os
import time
import warnings

import numpy as np
import wfdb
from wfdb import processing

warnings.filterwarnings("ignore")


def neurokit(method):
    import neurokit2 as nk

    def detect(signal, fs):
        cleaned = nk.ecg_clean(signal, sampling_rate=fs, method=method)
        _, info = nk.ecg_peaks(cleaned, sampling_rate=fs, method=method)
        return np.asarray(info["ECG_R_Peaks"], dtype=np.int64)

    return detect


def gqrs(signal, fs):
    return np.asarray(processing.gqrs_detect(sig=signal, fs=fs), dtype=np.int64)


METHODS = {"neurokit": neurokit("neurokit"), "pantompkins1985": neurokit("pantompkins1985"), "gqrs": gqrs}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--json", help="append per-method throughput as JSON to this file")
    parser.add_argument("records", nargs="+")
    args = parser.parse_args()
    methods = args.methods.split(",")
    totals = {m: [0, 0.0] for m in methods}
    for record in args.records:
        rec = wfdb.rdrecord(record, channels=[0])
        signal = np.nan_to_num(rec.p_signal[:, 0])
        name = os.path.basename(record)
        for method in methods:
            start = time.perf_counter()
            try:
                peaks = METHODS[method](signal, rec.fs)
            except Exception as error:  # a peer failing on a record is a result, not a crash
                print(f"{method} {name}: failed: {error}")
                peaks = np.zeros(0, dtype=np.int64)
            elapsed = time.perf_counter() - start
            totals[method][0] += len(signal)
            totals[method][1] += elapsed
            folder = os.path.join(args.out, method)
            os.makedirs(folder, exist_ok=True)
            peaks = np.unique(peaks[(peaks >= 0) & (peaks < len(signal))])
            if len(peaks) == 0:
                peaks = np.array([0])  # wrann refuses an empty file; one beat at 0 is scored as the FP it is
            wfdb.wrann(name, "qrs", peaks, symbol=["N"] * len(peaks), write_dir=folder, fs=rec.fs)
    for method, (samples, seconds) in totals.items():
        rate = samples / seconds if seconds else float("nan")
        print(f"{method}: {samples} samples in {seconds:.2f} s = {rate / 1e6:.3f} M samples/s (one lead)")
        if args.json:
            with open(args.json, "a") as handle:
                handle.write(json.dumps({"method": method, "samples": samples, "seconds": seconds}) + "\n")


if __name__ == "__main__":
    main()
