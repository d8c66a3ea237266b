"""Does the model depend on lead *naming*? Window AF sensitivity/specificity on multi-lead records
(cpsc2021: I, II; mitdb: MLII + V1/V2/V4/V5) with the real lead ids vs every lead id forced to 12
(unknown), for one or more weights files:

    beatnet-lead-check WEIGHTS [MORE ...] [--out JSON]

WEIGHTS: a weights file, or a run (name under training/runs, or a folder): its beatnet.safetensors.

A window is 32 consecutive beat tokens (non-overlapping); its reference label is AF when most of its
beats lie inside an `(AFIB` episode of the record's `.atr` rhythm annotations (aux notes); the model
calls it AF when class A has the highest probability."""
import argparse
import glob
import json
import os

import numpy as np
import torch

from .batch import collate
from .features import UNKNOWN_LEAD, window_features
from .model import load_weights
from .paths import Paths
from .runs import WEIGHTS, Run
from .tokens import TOKEN_FIELDS, export_tokens, load_tokens

MITDB = ["201", "202", "203", "210", "219", "221", "222"]   # those present in ../shared/data/mitdb


def records(data):
    cpsc = sorted(p[:-4] for p in glob.glob(os.path.join(data, "cpsc2021", "*.hea")))
    mit = [os.path.join(data, "mitdb", r) for r in MITDB if os.path.exists(os.path.join(data, "mitdb", r + ".hea"))]
    return cpsc + mit


def read_rhythm(path):
    """(sample, aux) of every annotation with an aux note in a WFDB (MIT format) annotation file."""
    data = np.fromfile(path, dtype="<u2")
    out, t, i, pending = [], 0, 0, None
    while i < len(data):
        w = int(data[i]); code, value = w >> 10, w & 0x3FF; i += 1
        if code == 0 and value == 0:
            break
        if code == 59:      # SKIP: 32-bit interval follows (PDP-11 order: high word first)
            t += (int(data[i]) << 16) | int(data[i + 1])
            if t >= 1 << 31:
                t -= 1 << 32
            i += 2
        elif code == 63:    # AUX: value bytes follow, padded to an even count
            n = value
            raw = data[i:i + (n + 1) // 2].tobytes()[:n]
            i += (n + 1) // 2
            if pending is not None:
                out.append((pending, raw.decode("latin-1").rstrip("\x00")))
        elif code in (60, 61, 62):   # NUM, SUB, CHN
            pass
        else:
            t += value
            pending = t
    return out


def af_intervals(path, frames):
    """[(start, end)) sample ranges of (AFIB episodes."""
    spans, start = [], None
    for sample, aux in read_rhythm(path):
        if not aux.startswith("("):
            continue
        if start is not None:
            spans.append((start, sample)); start = None
        if aux.startswith("(AFIB"):
            start = sample
    if start is not None:
        spans.append((start, frames))
    return spans


def windows(tokens, record_paths, rr_mode):
    """Per record: list of (features, is_af, dataset)."""
    out = []
    for name, (tok, meta) in tokens.items():
        path = [p for p in record_paths if os.path.basename(p) == os.path.basename(name)][0]
        spans = af_intervals(path + ".atr", meta["frames"])
        r = tok["r_sample"]
        inside = np.zeros(len(r), bool)
        for a, b in spans:
            inside |= (r >= a) & (r < b)
        ds = "cpsc2021" if "cpsc2021" in path else "mitdb"
        for s in range(0, len(r) - 31, 32):
            f = window_features(tok["rr"][s:s + 32], tok["quality"][s:s + 32], tok["lead_id"][s:s + 32],
                                tok["amplitude"][s:s + 32], tok["morphology"][s:s + 32], rr_mode=rr_mode)
            out.append((f, bool(inside[s:s + 32].mean() > 0.5), ds, os.path.basename(name)))
    return out


@torch.no_grad()
def af_prob(model, ws, force_unknown):
    probs = []
    for b in range(0, len(ws), 128):
        x = collate([w[0] for w in ws[b:b + 128]])
        if force_unknown:
            x[2] = torch.full_like(x[2], UNKNOWN_LEAD)
        probs.append(torch.softmax(model(*x)[0], -1).numpy())
    return np.concatenate(probs)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="beatnet-lead-check", description=__doc__.split("\n")[0])
    ap.add_argument("weights", nargs="+", help="weights files or runs")
    ap.add_argument("--out", help="results JSON (default training/cache/lead_check.json)")
    args = ap.parse_args(argv)
    paths = Paths.default()
    record_paths = records(paths.data)
    parts = export_tokens(paths, record_paths, os.path.join(paths.cache, "leadcheck-tokens"), chunks=2)
    tokens = load_tokens(parts, fields=TOKEN_FIELDS + ("r_sample",), with_records=True)
    rows = []
    for wpath in args.weights:
        if not wpath.endswith(".safetensors"):
            wpath = Run.resolve(paths.runs, wpath).file(WEIGHTS)
        model, rr_mode = load_weights(wpath, default_rr_mode="absolute")
        ws = windows(tokens, record_paths, rr_mode)
        y = np.array([w[1] for w in ws]); ds = np.array([w[2] for w in ws])
        p_real, p_unk = af_prob(model, ws, False), af_prob(model, ws, True)
        print(f"\n{wpath} (rr_mode {rr_mode}): {len(ws)} windows, {int(y.sum())} AF")
        print("| set | windows (AF) | lead ids | Se | Sp | mean abs. P(AF) change vs unknown | decisions changed |")
        print("|---|---|---|---|---|---|---|")
        for name, sel in [("cpsc2021", ds == "cpsc2021"), ("mitdb", ds == "mitdb"), ("all", np.ones(len(y), bool))]:
            for label, p in [("real", p_real), ("all 12", p_unk)]:
                pred = p[sel].argmax(1) == 1; t = y[sel]
                se = (pred & t).sum() / max(t.sum(), 1); sp = (~pred & ~t).sum() / max((~t).sum(), 1)
                d = np.abs(p_real[sel, 1] - p_unk[sel, 1]).mean()
                ch = int(((p_real[sel].argmax(1) == 1) != (p_unk[sel].argmax(1) == 1)).sum())
                print(f"| {name} | {sel.sum()} ({t.sum()}) | {label} | {se:.3f} | {sp:.3f} | {d:.3f} | {ch} |")
                rows.append({"weights": wpath, "set": name, "ids": label, "Se": se, "Sp": sp, "windows": int(sel.sum()),
                             "af_windows": int(t.sum()), "mean_abs_dP_AF": d, "af_decisions_changed": ch})
    out = args.out or os.path.join(paths.cache, "lead_check.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(rows, f, indent=1, default=float)
    print("results in", out)


if __name__ == "__main__":
    main()
