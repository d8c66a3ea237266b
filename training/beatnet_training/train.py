"""Train BEAT-Net on cinc2017 beat tokens: export tokens, cross-validate, data-efficiency check,
final model, export weights and golden vectors. One command: `python3 training/train.py`."""
import argparse
import json
import os
import random
import subprocess
import sys
import time

import numpy as np
import torch
from safetensors.numpy import load_file, save_file as save_numpy
from safetensors import safe_open
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import beatnet  # noqa: E402
from beatnet import BeatNet, CLASSES, CONFIG, MAX_BEATS, window_features  # noqa: E402
import multilead  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
CACHE = os.path.join(ROOT, "training", "cache")
BEATMON = os.environ.get("BEATMON") or os.path.join(ROOT, ".build-train", "release", "beatmon")   # env: a prebuilt beatmon
SEED = 2017


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def log(*args):
    print(*args, flush=True)


# ---------------------------------------------------------------- tokens

def ensure_beatmon():
    if not os.path.exists(BEATMON):
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-train", "--product", "beatmon"],
                       cwd=ROOT, check=True)


def export_tokens(records, path, chunks=2):
    """`beatmon tokens` over `records`, in `chunks` parallel processes; returns the chunk files."""
    if os.path.exists(path + ".done"):
        return json.load(open(path + ".done"))
    ensure_beatmon()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    parts, procs = [], []
    for c in range(chunks):
        part = f"{path}.{c}.safetensors"
        parts.append(part)
        procs.append(subprocess.Popen([BEATMON, "tokens", *records[c::chunks], "--output", part, "--skip-unreadable"],
                                      stderr=open(part + ".log", "w")))
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"beatmon tokens failed (see {path}.*.log)")
    json.dump(parts, open(path + ".done", "w"))
    return parts


TOKEN_FIELDS = ("rr", "quality", "lead_id", "amplitude", "morphology")


def load_tokens(parts, fields=TOKEN_FIELDS, with_records=False):
    """Per record name (basename): dict of the token arrays `fields` of that record, in time order;
    with `with_records`, (arrays, the record's entry in the file's `records` metadata)."""
    out = {}
    for part in parts:
        t = load_file(part)
        with safe_open(part, "np") as f:
            meta = f.metadata()
        entries = json.loads(meta["records"])
        rec = t["record"]
        order = np.argsort(rec, kind="stable")
        bounds = np.searchsorted(rec[order], np.arange(len(entries) + 1))
        for i, entry in enumerate(entries):
            idx = order[bounds[i]:bounds[i + 1]]
            arrays = {k: t[k][idx] for k in fields}
            out[os.path.basename(entry["name"])] = (arrays, entry) if with_records else arrays
    return out


def slice_features(tok, start, end):
    return window_features(tok["rr"][start:end], tok["quality"][start:end], tok["lead_id"][start:end],
                           tok["amplitude"][start:end], tok["morphology"][start:end])


# ---------------------------------------------------------------- batching

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


def eval_windows(n):
    """Sliding windows of 32 beats, hop 8, plus one ending at the last beat if not covered; the whole
    record if shorter than 32."""
    if n <= MAX_BEATS:
        return [(0, n)]
    starts = list(range(0, n - MAX_BEATS + 1, 8))
    if starts[-1] + MAX_BEATS < n:
        starts.append(n - MAX_BEATS)
    return [(s, s + MAX_BEATS) for s in starts]


@torch.no_grad()
def predict(model, tokens, names, rr_only=False, batch=256):
    """Record-level class probabilities [len(names), 4]; records without tokens get `~`."""
    model.eval()
    probs = np.zeros((len(names), 4), np.float32)
    jobs = []
    for i, name in enumerate(names):
        tok = tokens.get(name)
        n = 0 if tok is None else tok["rr"].shape[0]
        if n == 0:
            probs[i, 3] = 1
            continue
        for s, e in eval_windows(n):
            jobs.append((i, slice_features(tok, s, e)))
    sums = np.zeros((len(names), 4)); counts = np.zeros(len(names))
    for b in range(0, len(jobs), batch):
        chunk = jobs[b:b + batch]
        x = collate([w for _, w in chunk], drop_morphology=[rr_only] * len(chunk))
        p = torch.softmax(model(*x), dim=-1).numpy()
        for (i, _), pi in zip(chunk, p):
            sums[i] += pi; counts[i] += 1
    has = counts > 0
    probs[has] = (sums[has] / counts[has, None]).astype(np.float32)
    return probs


# ---------------------------------------------------------------- scores

def confusion(y, p):
    m = np.zeros((4, 4), int)
    for a, b in zip(y, p):
        m[a, b] += 1
    return m


def cinc_scores(y, pred):
    m = confusion(y, pred)
    f1 = [2 * m[k, k] / max(m[k].sum() + m[:, k].sum(), 1) for k in range(4)]
    return {"score": float(np.mean(f1[:3])), "F1_N": f1[0], "F1_A": f1[1], "F1_O": f1[2], "F1_noise": f1[3],
            "confusion": m.tolist()}


# ---------------------------------------------------------------- training

CROPS = 2
LR = 4e-3
CLASS_WEIGHT = "sqrt"
LEAD_AUG = 0.5     # probability per training window of replacing every lead id by a random one (0...12)
MULTILEAD = 0.5    # probability per training window of a second, noisy lead (multilead.py)
NOISE = None       # nstdb noise pieces for MULTILEAD


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


def train_model(tokens, names, labels, epochs, seed, log_every=1, lr=None, batch=64, crops=None):
    crops = crops or CROPS
    lr = lr or LR
    seed_all(seed)
    rng = np.random.default_rng(seed)
    keep = [i for i, n in enumerate(names) if n in tokens and tokens[n]["rr"].shape[0] >= 2]
    names = [names[i] for i in keep]; labels = np.asarray(labels)[keep]
    counts = np.bincount(labels, minlength=4).astype(np.float64)
    weights = counts.sum() / (4 * np.maximum(counts, 1))
    if CLASS_WEIGHT == "sqrt":
        weights = np.sqrt(weights)
    weights = torch.tensor(weights, dtype=torch.float32)
    model = BeatNet()
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-5)
    steps_per_epoch = (len(names) * crops + batch - 1) // batch
    total = steps_per_epoch * epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=total, pct_start=0.1)
    lossf = torch.nn.CrossEntropyLoss(weight=weights)
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        order = np.concatenate([rng.permutation(len(names)) for _ in range(crops)])
        run = 0.0
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            windows = []
            for i in idx:
                tok = tokens[names[i]]
                n = tok["rr"].shape[0]
                s = int(rng.integers(0, n - MAX_BEATS + 1)) if n > MAX_BEATS else 0
                windows.append(slice_features(tok, s, min(n, s + MAX_BEATS)))
            drop = rng.random(len(idx)) < 0.10        # RR-only mode for ~10% of windows
            x = collate(windows, drop_morphology=drop)
            if MULTILEAD > 0:   # a second, noisy lead: trains the lead-attention pooling
                arrays = multilead.add_noisy_lead(*(t.numpy() for t in x[:4]), x[6].numpy(), NOISE, rng, MULTILEAD)
                x[:4] = [torch.from_numpy(a) for a in arrays]
            x[2] = augment_lead_ids(x[2], rng, LEAD_AUG)
            y = torch.from_numpy(labels[idx])
            loss = lossf(model(*x), y)
            opt.zero_grad(); loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step()
            run += loss.item() * len(idx)
        if (epoch + 1) % log_every == 0 or epoch == epochs - 1:
            log(f"    epoch {epoch + 1}/{epochs} loss {run / len(order):.4f} ({time.time() - t0:.0f} s)")
    return model


# ---------------------------------------------------------------- RR-only classical baseline

def rr_baseline_features(tok):
    """CV of RR, RMSSD/mean RR, pNN50 over the record's RR intervals (previous-RR of each token)."""
    if tok is None:
        return np.zeros(3)
    rr = tok["rr"][:, 0].astype(np.float64)
    rr = rr[np.isfinite(rr) & (rr > 0)]
    if rr.size < 3:
        return np.zeros(3)
    d = np.diff(rr)
    return np.array([rr.std() / rr.mean(), np.sqrt(np.mean(d ** 2)) / rr.mean(), np.mean(np.abs(d) > 0.05)])


def train_baseline(X, y):
    """Class-weighted multinomial logistic regression on standardised features (LBFGS)."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Xt = torch.tensor((X - mu) / sd, dtype=torch.float32); yt = torch.tensor(y)
    counts = np.bincount(y, minlength=4).astype(np.float64)
    w = torch.tensor(counts.sum() / (4 * np.maximum(counts, 1)), dtype=torch.float32)
    lin = torch.nn.Linear(X.shape[1], 4)
    opt = torch.optim.LBFGS(lin.parameters(), max_iter=200)
    lossf = torch.nn.CrossEntropyLoss(weight=w)

    def closure():
        opt.zero_grad(); loss = lossf(lin(Xt), yt) + 1e-3 * lin.weight.pow(2).sum(); loss.backward(); return loss
    opt.step(closure)
    return lambda Z: lin(torch.tensor((Z - mu) / sd, dtype=torch.float32)).argmax(-1).numpy()


# ---------------------------------------------------------------- folds

def stratified_folds(labels, k, seed):
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(labels), int)
    for c in range(4):
        idx = np.flatnonzero(labels == c)
        idx = idx[rng.permutation(len(idx))]
        fold[idx] = np.arange(len(idx)) % k
    return fold


def stratified_subset(idx, labels, frac, seed):
    rng = np.random.default_rng(seed)
    out = []
    for c in range(4):
        ic = idx[labels[idx] == c]
        out.extend(rng.permutation(ic)[:max(1, int(round(frac * len(ic))))])
    return np.sort(np.array(out))


# ---------------------------------------------------------------- export

def export_weights(model, path, summary):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    state = {k: v.detach().to(torch.float32).contiguous() for k, v in model.state_dict().items()}
    save_file(state, path, metadata={"format": "beatnet-1", "config": json.dumps(CONFIG),
                                     "classes": json.dumps(CLASSES), "pe_periods_seconds": json.dumps(CONFIG["pe_periods_seconds"]),
                                     "version": "1", "training": json.dumps(summary)})


def export_golden(model, cases, path):
    """cases: list of (description, features dict). Writes inputs and eval-mode outputs."""
    model.eval()
    tensors, descr = {}, {}
    with torch.no_grad():
        for i, (what, f) in enumerate(cases):
            x = collate([f])
            logits, att, alpha = model(*x, explain=True)
            p = torch.softmax(logits, -1)
            tensors.update({
                f"case{i}.morphology": f["morphology"].astype(np.float32),
                f"case{i}.log_amplitude": f["log_amplitude"].astype(np.float32),
                f"case{i}.lead_id": f["lead_id"].astype(np.int64),
                f"case{i}.lead_mask": f["lead_mask"].astype(np.uint8),
                f"case{i}.rr_features": f["rr_features"].astype(np.float32),
                f"case{i}.time": f["time"].astype(np.float32),
                f"case{i}.probabilities": p[0].numpy().astype(np.float32),
                f"case{i}.beat_attention": att[0].numpy().astype(np.float32),
                f"case{i}.lead_weights": alpha[0].numpy().astype(np.float32),
            })
            for k in ("rr", "quality", "amplitude"):
                if k in f:
                    tensors[f"case{i}.token_{k}"] = np.ascontiguousarray(f[k])
            descr[f"case{i}"] = what
            log(f"  golden case{i}: {what}: p = {np.round(p[0].numpy(), 4).tolist()}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    save_numpy({k: np.ascontiguousarray(v) for k, v in tensors.items()}, path,
               metadata={"format": "beatnet-golden-1", "cases": json.dumps(descr), "classes": json.dumps(CLASSES),
                         "note": "inputs are window_features() of beatmon tokens; outputs from PyTorch eval mode, float32; "
                                 "token_rr/token_quality/token_amplitude are the raw token fields the features came from"})


def golden_cases(tokens, names, labels, model):
    cases = []
    rng = np.random.default_rng(SEED)
    for c, cls in enumerate(CLASSES):
        # a record of this class, the model's prediction right, one short (< 32 beats) for the noise case
        cands = [n for n, y in zip(names, labels) if y == c and n in tokens and tokens[n]["rr"].shape[0] >= 8]
        for n in rng.permutation(cands)[:50]:
            tok = tokens[n]; T = tok["rr"].shape[0]
            e = min(T, MAX_BEATS) if c != 3 else min(T, 20)
            f = slice_features(tok, 0, e)
            with torch.no_grad():
                model.eval()
                pred = int(model(*collate([f])).argmax())
            if pred == c:
                break
        f["rr"] = tok["rr"][:e].astype(np.float32); f["quality"] = tok["quality"][:e].astype(np.uint8)
        f["amplitude"] = tok["amplitude"][:e].astype(np.float32)
        cases.append((f"cinc2017 {n} (label {cls}), tokens 0..<{e}", f))
    # RR-only: the AF case's window with every lead masked
    what, f = cases[1]
    g = dict(f); g["lead_mask"] = np.zeros_like(f["lead_mask"])
    cases.append((what + ", RR-only (lead_mask all false)", g))
    return cases


def cpsc_case():
    path = os.path.join(CACHE, "cpsc2021-data_8_3")
    parts = export_tokens([os.path.join(DATA, "cpsc2021", "data_8_3")], path, chunks=1)
    tok = load_tokens(parts)["data_8_3"]
    s = 100
    f = slice_features(tok, s, s + MAX_BEATS)
    f["rr"] = tok["rr"][s:s + 32].astype(np.float32); f["quality"] = tok["quality"][s:s + 32].astype(np.uint8)
    f["amplitude"] = tok["amplitude"][s:s + 32].astype(np.float32)
    return (f"cpsc2021 data_8_3 (2 leads I, II; AF), tokens {s}..<{s + 32}", f)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--folds", default="0,1,2,3,4", help="which of the 5 CV folds to run ('' = none)")
    ap.add_argument("--tag", default="results", help="results file training/cache/TAG.json")
    ap.add_argument("--crops", type=int, default=2, help="random crops per record per epoch")
    ap.add_argument("--fractions", default="0.1,0.3", help="data-efficiency fractions on fold 0 (100%% = the fold itself)")
    ap.add_argument("--final", type=int, default=1, help="train the final model on all records and export it")
    ap.add_argument("--final-from-fold0", action="store_true", help="export fold 0's model instead (quick)")
    ap.add_argument("--lr", type=float, default=4e-3, help="peak learning rate (one-cycle)")
    ap.add_argument("--class-weight", default="sqrt", choices=["inverse", "sqrt"],
                    help="loss weights n/(4 n_class), or their square root")
    ap.add_argument("--lead-aug", type=float, default=0.5,
                    help="probability per training window of random lead ids 0...12 (0 = off, the old recipe)")
    ap.add_argument("--weights-out", default=os.path.join(ROOT, "Sources/BeatNet/Resources/beatnet.safetensors"),
                    help="where the final model's weights go (default: the shipped resource)")
    ap.add_argument("--golden-out", default=os.path.join(ROOT, "Fixtures/beatnet-golden.safetensors"),
                    help="where the final model's golden vectors go (default: the fixture)")
    ap.add_argument("--multilead", type=float, default=0.5,
                    help="probability per training window of a second lead: the same one with nstdb noise (multilead.py)")
    ap.add_argument("--rr", default=beatnet.RR_MODE, choices=["absolute", "relative"],
                    help="RR featurisation (changes the Swift contract: RhythmFeatures.swift)")
    ap.add_argument("--threads", type=int, default=1, help="1 is faster than 2 on a busy 2-core machine")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    global CROPS, LR, CLASS_WEIGHT, LEAD_AUG, MULTILEAD, NOISE
    CROPS, LR, CLASS_WEIGHT, LEAD_AUG = args.crops, args.lr, args.class_weight, args.lead_aug
    MULTILEAD = args.multilead
    if MULTILEAD > 0:
        NOISE = multilead.load_noise(DATA)
        CONFIG["multilead_augmentation"] = MULTILEAD
    beatnet.RR_MODE = args.rr
    CONFIG["rr_mode"] = args.rr
    seed_all(SEED)
    t_start = time.time()

    ref = [l.strip().split(",") for l in open(os.path.join(DATA, "cinc2017", "REFERENCE.csv")) if l.strip()]
    ref = [(r, y) for r, y in ref if os.path.exists(os.path.join(DATA, "cinc2017", r + ".hea"))]  # held-out ones absent
    names = [r for r, _ in ref]
    labels = np.array([CLASSES.index(y) for _, y in ref])
    parts = export_tokens([os.path.join(DATA, "cinc2017", n) for n in names], os.path.join(CACHE, "cinc2017-tokens"))
    tokens = load_tokens(parts)
    lens = np.array([tokens[n]["rr"].shape[0] if n in tokens else 0 for n in names])
    log(f"{len(names)} records, {len(tokens)} with tokens, {lens.sum()} tokens, beats/record median {np.median(lens):.0f}, "
        f"0-token records {int((lens == 0).sum())} ({time.time() - t_start:.0f} s)")
    base_X = np.stack([rr_baseline_features(tokens.get(n)) for n in names])

    results = {"epochs": args.epochs, "rr_mode": beatnet.RR_MODE, "lead_id_augmentation": LEAD_AUG, "folds": [],
               "efficiency": []}
    res_path = os.path.join(CACHE, args.tag + ".json")
    fold = stratified_folds(labels, 5, SEED)
    all_pred = np.full(len(names), -1); all_base = np.full(len(names), -1); all_rronly = np.full(len(names), -1)
    fold0_model = None
    fold_ids = [int(k) for k in args.folds.split(",") if k != ""]
    for k in fold_ids:
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        t0 = time.time()
        log(f"fold {k}: train {len(tr)}, test {len(te)}")
        model = train_model(tokens, [names[i] for i in tr], labels[tr], args.epochs, SEED + k)
        train_s = time.time() - t0
        export_weights(model, os.path.join(CACHE, f"{args.tag}-fold{k}.safetensors"),
                       {"trained_on": f"cinc2017 CV fold {k} training records ({len(tr)})", "epochs": args.epochs})
        probs = predict(model, tokens, [names[i] for i in te])
        pred = probs.argmax(1); all_pred[te] = pred
        rr_only = predict(model, tokens, [names[i] for i in te], rr_only=True).argmax(1); all_rronly[te] = rr_only
        base = train_baseline(base_X[tr], labels[tr])(base_X[te]); all_base[te] = base
        r = {"fold": k, "train_seconds": round(train_s), "model": cinc_scores(labels[te], pred),
             "model_rr_only_input": cinc_scores(labels[te], rr_only), "rr_baseline": cinc_scores(labels[te], base)}
        results["folds"].append(r)
        log(f"  fold {k}: model {r['model']['score']:.4f} (AF F1 {r['model']['F1_A']:.4f}), RR-only input "
            f"{r['model_rr_only_input']['score']:.4f}, RR baseline {r['rr_baseline']['score']:.4f} (AF {r['rr_baseline']['F1_A']:.4f}); "
            f"trained in {train_s:.0f} s")
        if k == 0:
            fold0_model = model
            results["efficiency"].append({"fraction": 1.0, "records": len(tr), "model": r["model"]["score"],
                                          "model_AF": r["model"]["F1_A"], "baseline": r["rr_baseline"]["score"],
                                          "baseline_AF": r["rr_baseline"]["F1_A"], "train_seconds": round(train_s)})
            if args.final_from_fold0:
                summary = {"trained_on": f"cinc2017 folds 1-4 ({len(tr)} records)", "epochs": args.epochs,
                           "fold0_score": r["model"]["score"], "fold0_F1_A": r["model"]["F1_A"]}
                export_weights(model, os.path.join(ROOT, "Sources/BeatNet/Resources/beatnet.safetensors"), summary)
                export_golden(model, golden_cases(tokens, names, labels, model) + [cpsc_case()],
                              os.path.join(ROOT, "Fixtures/beatnet-golden.safetensors"))
        json.dump(results, open(res_path, "w"), indent=1)
    if len(fold_ids) == 5:
        results["cv"] = {"model": cinc_scores(labels, all_pred), "model_rr_only_input": cinc_scores(labels, all_rronly),
                         "rr_baseline": cinc_scores(labels, all_base)}
        log(f"5-fold CV (pooled): model {results['cv']['model']['score']:.4f} AF {results['cv']['model']['F1_A']:.4f}; "
            f"baseline {results['cv']['rr_baseline']['score']:.4f}")

    # data efficiency on fold 0
    if args.fractions:
        tr, te = np.flatnonzero(fold != 0), np.flatnonzero(fold == 0)
        for frac in [float(x) for x in args.fractions.split(",")]:
            sub = stratified_subset(tr, labels, frac, SEED)
            epochs = int(round(args.epochs * min(1 / frac, 2)))   # more passes over less data, capped
            t0 = time.time()
            log(f"data efficiency {frac:.0%}: {len(sub)} records, {epochs} epochs")
            model = train_model(tokens, [names[i] for i in sub], labels[sub], epochs, SEED, log_every=max(epochs // 8, 1))
            s = cinc_scores(labels[te], predict(model, tokens, [names[i] for i in te]).argmax(1))
            b = cinc_scores(labels[te], train_baseline(base_X[sub], labels[sub])(base_X[te]))
            results["efficiency"].append({"fraction": frac, "records": len(sub), "epochs": epochs, "model": s["score"],
                                          "model_AF": s["F1_A"], "baseline": b["score"], "baseline_AF": b["F1_A"],
                                          "train_seconds": round(time.time() - t0)})
            log(f"  {frac:.0%}: model {s['score']:.4f} (AF {s['F1_A']:.4f}), baseline {b['score']:.4f} (AF {b['F1_A']:.4f})")
            json.dump(results, open(res_path, "w"), indent=1)

    if args.final:
        t0 = time.time()
        log(f"final model: all {len(names)} records, {args.epochs} epochs")
        model = train_model(tokens, names, labels, args.epochs, SEED + 100)
        results["final_train_seconds"] = round(time.time() - t0)
        train_s = cinc_scores(labels, predict(model, tokens, names).argmax(1))
        results["final_train_set"] = train_s
        summary = {"trained_on": f"cinc2017, all {len(names)} records", "epochs": args.epochs,
                   "multilead_augmentation": MULTILEAD,
                   "train_seconds": results["final_train_seconds"],
                   "cv5_score": results.get("cv", {}).get("model", {}).get("score"),
                   "cv5_F1_A": results.get("cv", {}).get("model", {}).get("F1_A"),
                   "train_set_score": train_s["score"], "seed": SEED + 100,
                   "rr_mode": beatnet.RR_MODE, "lead_id_augmentation": LEAD_AUG}
        export_weights(model, args.weights_out, summary)
        export_golden(model, golden_cases(tokens, names, labels, model) + [cpsc_case()], args.golden_out)
        log(f"  final: train-set score {train_s['score']:.4f}, trained in {results['final_train_seconds']} s")
    results["total_seconds"] = round(time.time() - t_start)
    json.dump(results, open(res_path, "w"), indent=1)
    log(f"done in {results['total_seconds']} s; results in {res_path}")


if __name__ == "__main__":
    main()
