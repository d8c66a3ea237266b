#!/usr/bin/env python3
"""Dump WFDB records for the QRS detector's development loop and score detections.

  dump_signal.py dump SET RECORD [OUTDIR]   -> OUTDIR/SET_RECORD.f32 (interleaved float32 physical
                                               values), .ref (reference beat samples), .json (meta)
  dump_signal.py score SET RECORD BEATS.txt -> Se/+P with the EC57 150 ms window

Reference beats are the annotations whose codes are beats (N L R B A a J S V r F e j n E / f Q ?);
records longer than 10 minutes are scored from minute 5 on, as EC57 prescribes.
"""
import json, os, sys
import numpy as np
import wfdb

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data")
BEAT_CODES = set("NLRBAaJSVrFejnE/fQ?")


def reference(set_name, record):
    ann = wfdb.rdann(os.path.join(DATA, set_name, record), "atr")
    return np.array([s for s, c in zip(ann.sample, ann.symbol) if c in BEAT_CODES], dtype=np.int64)


def dump(set_name, record, outdir="/tmp/qrs"):
    os.makedirs(outdir, exist_ok=True)
    rec = wfdb.rdrecord(os.path.join(DATA, set_name, record))
    base = os.path.join(outdir, f"{set_name}_{record}")
    rec.p_signal.astype(np.float32).tofile(base + ".f32")
    np.savetxt(base + ".ref", reference(set_name, record), fmt="%d")
    with open(base + ".json", "w") as f:
        json.dump({"fs": rec.fs, "leads": rec.n_sig, "frames": rec.sig_len, "names": rec.sig_name}, f)


def score(set_name, record, beats_path, fs=None, frames=None):
    ref = reference(set_name, record)
    det = np.loadtxt(beats_path, dtype=np.int64, ndmin=1)
    if fs is None or frames is None:
        hdr = wfdb.rdheader(os.path.join(DATA, set_name, record))
        fs, frames = hdr.fs, hdr.sig_len
    start = int(round(300 * fs)) if frames > 600 * fs else 0
    window = int(round(0.15 * fs))
    ref = ref[ref >= start]
    det = det[det >= start]
    # Greedy one-to-one matching in time order (as bxb does for unambiguous cases).
    tp, i, j = 0, 0, 0
    matched_det = np.zeros(len(det), bool)
    missed = []
    for r in ref:
        while j < len(det) and det[j] < r - window:
            j += 1
        k = j
        best = None
        while k < len(det) and det[k] <= r + window:
            if not matched_det[k] and (best is None or abs(det[k] - r) < abs(det[best] - r)):
                best = k
            k += 1
        if best is None:
            missed.append(int(r))
        else:
            matched_det[best] = True
            tp += 1
    fn = len(ref) - tp
    fp = int((~matched_det).sum())
    extra = [int(d) for d in det[~matched_det]]
    return tp, fn, fp, missed, extra


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "dump":
        dump(*sys.argv[2:])
    elif cmd == "score":
        tp, fn, fp, missed, extra = score(*sys.argv[2:5])
        print(f"TP {tp} FN {fn} FP {fp} Se {tp / max(tp + fn, 1):.4%} +P {tp / max(tp + fp, 1):.4%}")
        print("missed", missed[:20])
        print("extra", extra[:20])
