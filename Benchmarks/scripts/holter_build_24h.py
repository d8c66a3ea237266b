#!/usr/bin/env python3
"""Builds long 2-lead, 250 Hz Holter-like recordings from real mitdb records, for the report and
replay benchmarks (Benchmarks/scripts/holter_benchmark.sh). Not committed: written under /tmp.

Each mitdb record (30 min, 360 Hz) is resampled to 250 Hz with scipy.signal.resample_poly (25/36)
and the records are chained, AF records 201, 202 and 221 included, cycling through the set until
the target length. Written as WFDB format 212 (gain 200/mV, as mitdb) with wfdb.wrsamp, and as EDF
(16-bit, 1 s data records) with pyedflib when it is installed.

usage: holter_build_24h.py [--hours 24] [--out /tmp/holter24] [--data ../shared/data] [--no-edf]
"""
import argparse
import os
import sys

import numpy as np
import wfdb
from scipy.signal import resample_poly

RATE = 250


def records(data):
    folder = os.path.join(data, "mitdb")
    names = sorted(n[:-4] for n in os.listdir(folder) if n.endswith(".hea"))
    # AF records first, so that even the 1-hour file holds AF.
    first = [n for n in ("201", "202", "221") if n in names]
    return first + [n for n in names if n not in first]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=24)
    parser.add_argument("--out", default="/tmp/holter24")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
    parser.add_argument("--no-edf", action="store_true")
    args = parser.parse_args()
    target = int(args.hours * 3600 * RATE)
    names = records(args.data)
    os.makedirs(args.out, exist_ok=True)
    record = "holter%gh" % args.hours
    # 12-bit digital samples at gain 200/mV, baseline 0: +-10 mV, as mitdb itself.
    digital = np.empty((target, 2), dtype=np.int16)
    done, used = 0, []
    while done < target:
        for name in names:
            if done >= target:
                break
            signal, _ = wfdb.rdsamp(os.path.join(args.data, "mitdb", name))
            resampled = resample_poly(signal[:, :2], 25, 36, axis=0)
            values = np.clip(np.round(resampled * 200), -2047, 2047).astype(np.int16)
            take = min(len(values), target - done)
            digital[done:done + take] = values[:take]
            done += take
            used.append(name)
    print("chained %d records: %s" % (len(used), " ".join(used[:12]) + (" ..." if len(used) > 12 else "")), file=sys.stderr)
    wfdb.wrsamp(record, fs=RATE, units=["mV", "mV"], sig_name=["ECG1", "ECG2"], d_signal=digital,
                fmt=["212", "212"], adc_gain=[200, 200], baseline=[0, 0], write_dir=args.out,
                base_time=__import__("datetime").time(8, 0, 0))
    print(os.path.join(args.out, record))
    if args.no_edf:
        return
    try:
        import pyedflib
    except ImportError:
        print("pyedflib not installed: no EDF copy", file=sys.stderr)
        return
    path = os.path.join(args.out, record + ".edf")
    writer = pyedflib.EdfWriter(path, 2, file_type=pyedflib.FILETYPE_EDFPLUS)
    headers = []
    for label in ("ECG1", "ECG2"):
        headers.append({"label": label, "dimension": "mV", "sample_frequency": RATE,
                        "physical_min": -10.24, "physical_max": 10.235, "digital_min": -2048, "digital_max": 2047})
    writer.setSignalHeaders(headers)
    writer.setStartdatetime(__import__("datetime").datetime(2024, 1, 1, 8, 0, 0))
    # Write in 1-hour slices so that memory stays small.
    step = 3600 * RATE
    for start in range(0, target, step):
        block = digital[start:start + step].astype(np.int32)
        writer.writeSamples([block[:, 0].copy(), block[:, 1].copy()], digital=True)
    writer.close()
    print(path)


if __name__ == "__main__":
    main()
