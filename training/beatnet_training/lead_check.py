"""Does the model depend on lead *naming*? Window AF sensitivity/specificity on multi-lead records
(cpsc2021: I, II; mitdb: MLII + V1/V2/V4/V5) with the real lead ids vs every lead id forced to 12
(unknown), for one or more weights files:

    python3 training/lead_check.py WEIGHTS.safetensors [MORE.safetensors ...]

A window is 32 consecutive beat tokens (non-overlapping); its reference label is AF when most of its
beats lie inside an `(AFIB` episode of the record's `.atr` rhythm annotations (aux notes); the model
calls it AF when class A has the highest probability."""
import glob
import json
import os
import sys

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file as load_torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import beatnet  # noqa: E402
from train import CACHE, DATA, TOKEN_FIELDS, collate, export_tokens, load_tokens  # noqa: E402

MITDB = ["201", "202", "203", "210", "219", "221", "222"]   # those present in ../shared/data/mitdb


def records():
    cpsc = sorted(p[:-4] for p in glob.glob(os.path.join(DATA, "cpsc2021", "*.hea")))
    mit = [os.path.join(DATA, "mitdb", r) for r in MITDB if os.path.exists(os.path.join(DATA, "mitdb", r + ".hea"))]
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


def windows(tokens):
    """Per record: list of (features, is_af, dataset)."""
    out = []
    for name, (tok, meta) in tokens.items():
        path = [p for p in records() if os.path.basename(p) == os.path.basename(name)][0]
        spans = af_intervals(path + ".atr", meta["frames"])
        r = tok["r_sample"]
        inside = np.zeros(len(r), bool)
        for a, b in spans:
            inside |= (r >= a) & (r < b)
        ds = "cpsc2021" if "cpsc2021" in path else "mitdb"
        for s in range(0, len(r) - 31, 32):
            f = beatnet.window_features(tok["rr"][s:s + 32], tok["quality"][s:s + 32], tok["lead_id"][s:s + 32],
                                        tok["amplitude"][s:s + 32], tok["morphology"][s:s + 32])
            out.append((f, bool(inside[s:s + 32].mean() > 0.5), ds, os.path.basename(name)))
    return out


@torch.no_grad()
def af_prob(model, ws, force_unknown):
    probs = []
    for b in range(0, len(ws), 128):
        x = collate([w[0] for w in ws[b:b + 128]])
        if force_unknown:
            x[2] = torch.full_like(x[2], beatnet.UNKNOWN_LEAD)
        probs.append(torch.softmax(model(*x), -1).numpy())
    return np.concatenate(probs)


def main():
    weights = sys.argv[1:]
    parts = export_tokens(records(), os.path.join(CACHE, "leadcheck-tokens"), chunks=2)
    tokens = load_tokens(parts, fields=TOKEN_FIELDS + ("r_sample",), with_records=True)
    rows = []
    for wpath in weights:
        with safe_open(wpath, "pt") as f:
            config = json.loads(f.metadata()["config"])
        beatnet.RR_MODE = config.get("rr_mode", "absolute")
        ws = windows(tokens)
        model = beatnet.BeatNet(); model.load_state_dict(load_torch(wpath)); model.eval()
        y = np.array([w[1] for w in ws]); ds = np.array([w[2] for w in ws])
        p_real, p_unk = af_prob(model, ws, False), af_prob(model, ws, True)
        print(f"\n{wpath} (rr_mode {beatnet.RR_MODE}): {len(ws)} windows, {int(y.sum())} AF")
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
    json.dump(rows, open(os.path.join(CACHE, "lead_check.json"), "w"), indent=1, default=float)


if __name__ == "__main__":
    main()
