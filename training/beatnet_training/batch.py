"""Batching windows for the model, and record-level prediction (PyTorch)."""
import numpy as np
import torch

from .features import DEFAULT_RR_MODE, conducted_irregularity, eval_windows, record_label, slice_features


def collate(windows, drop_morphology=None):
    B = len(windows)
    T = max(w["rr_features"].shape[0] for w in windows)
    L = max(w["lead_mask"].shape[1] for w in windows)
    morph = np.zeros((B, T, L, 96), np.float32)
    logamp = np.full((B, T, L), np.log(0.01), np.float32)
    lead = np.full((B, T, L), 12, np.int64)
    mask = np.zeros((B, T, L), bool)
    rr = np.zeros((B, T, 8), np.float32)
    tm = np.zeros((B, T), np.float32)
    valid = np.zeros((B, T), bool)
    for i, w in enumerate(windows):
        t, l = w["lead_mask"].shape
        morph[i, :t, :l] = w["morphology"]
        logamp[i, :t, :l] = w["log_amplitude"]
        lead[i, :t, :l] = w["lead_id"]
        mask[i, :t, :l] = w["lead_mask"]
        if drop_morphology is not None and drop_morphology[i]:
            mask[i] = False
        rr[i, :t] = w["rr_features"]
        tm[i, :t] = w["time"]
        valid[i, :t] = True
    return [torch.from_numpy(a) for a in (morph, logamp, lead, mask, rr, tm, valid)]


@torch.no_grad()
def predict(model, tokens, names, rr_only=False, batch=256, rr_mode=DEFAULT_RR_MODE, labels=False):
    """Record-level class probabilities [len(names), 4]; records without tokens get `~`. With `labels`,
    also each record's class as `beatmon classify` gives it: the regular-rhythm rule over the beat
    head's classes, each beat read from the first window that holds it (`record_label`)."""
    model.eval()
    probs = np.zeros((len(names), 4), np.float32)
    jobs = []
    for i, name in enumerate(names):
        tok = tokens.get(name)
        n = 0 if tok is None else tok["rr"].shape[0]
        if n == 0:
            probs[i, 3] = 1
            continue
        first = 0
        for s, e in eval_windows(n):
            jobs.append((i, s, max(first, s), e, slice_features(tok, s, e, rr_mode)))
            first = e
    sums = np.zeros((len(names), 4)); counts = np.zeros(len(names))
    classes = {i: np.zeros(tokens[name]["rr"].shape[0], np.int64) for i, name in enumerate(names)
               if labels and tokens.get(name) is not None}
    beat_af = {i: np.zeros(len(c), np.float32) for i, c in classes.items()}
    for b in range(0, len(jobs), batch):
        chunk = jobs[b:b + batch]
        x = collate([j[4] for j in chunk], drop_morphology=[rr_only] * len(chunk))
        logits, beat_logits, af_logits = model(*x)
        p = torch.softmax(logits, dim=-1).numpy()
        beat = beat_logits.argmax(-1).numpy()
        af = torch.sigmoid(af_logits).numpy()
        for (i, s, fresh, e, _), pi, bi, ai in zip(chunk, p, beat, af):
            sums[i] += pi; counts[i] += 1
            if labels:
                classes[i][fresh:e] = bi[fresh - s:e - s]
                beat_af[i][fresh:e] = ai[fresh - s:e - s]
    has = counts > 0
    probs[has] = (sums[has] / counts[has, None]).astype(np.float32)
    if not labels:
        return probs
    out = probs.argmax(1)
    for i, name in enumerate(names):
        if i in classes and has[i]:
            out[i] = record_label(probs[i], conducted_irregularity(tokens[name]["rr"][:, 0], classes[i]),
                                  float(beat_af[i].mean()))
    return probs, out


def augment_lead_ids(lead, rng, p):
    """Lead-identity augmentation: with probability p per window, each lead slot of the window gets a
    random id 0...12 (the same id on every beat), so every row of `lead_embedding` is trained (cinc2017
    is all lead 12 = unknown, yet the monitor runs the model on named leads)."""
    if p <= 0:
        return lead
    B, T, L = lead.shape
    flip = torch.from_numpy(rng.random(B) < p)
    ids = torch.from_numpy(rng.integers(0, 13, size=(B, 1, L)))
    return torch.where(flip[:, None, None], ids.expand(B, T, L), lead)
