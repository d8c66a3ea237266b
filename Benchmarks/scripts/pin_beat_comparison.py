"""Pins EC57 beat-comparison counts from wfdb-python for the Swift evaluator's tests.

The test beats are the reference beats perturbed by a fixed, reproducible rule (dropped, shifted,
extra beats), so that the Swift test can build the same list without any detector.
Run: python3 Benchmarks/scripts/pin_beat_comparison.py
"""
import os
import numpy as np
import wfdb
from wfdb.processing import compare_annotations

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
BEATS = set("NLRBAaJSVrFejnE/fQ?")  # WFDB isqrs codes


def perturbed(reference, fs):
    """Drop every 37th beat, shift each by a pseudo-random -100..+100 ms, add a beat 300 ms after every 53rd."""
    test = []
    span = int(0.1 * fs)
    for k, s in enumerate(reference):
        if k % 37 == 36:
            continue
        offset = ((k * 7919) % (2 * span + 1)) - span
        test.append(s + offset)
        if k % 53 == 52:
            test.append(s + int(0.3 * fs))
    return sorted(test)


for path in ["mitdb/100", "mitdb/213", "cpsc2021/data_21_7", "svdb/800"]:
    rec = os.path.join(DATA, path)
    hdr = wfdb.rdheader(rec)
    ann = wfdb.rdann(rec, "atr")
    ref = [int(s) for s, c in zip(ann.sample, ann.symbol) if c in BEATS]
    test = perturbed(ref, hdr.fs)
    window = int(0.15 * hdr.fs)
    comp = compare_annotations(np.array(ref), np.array(test), window + 1)  # wfdb matches |d| < width; EC57 |d| <= 150 ms
    print(path, len(ref), len(test), comp.tp, comp.fn, comp.fp)
