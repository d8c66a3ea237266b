"""Train BEAT-Net on cinc2017 beat tokens: export tokens, cross-validate, data-efficiency check,
final model, weights and golden vectors, all into one run folder (runs.py). One command:

    python3 -m beatnet_training.train --name NAME      (from training/; or `beatnet-train` when installed)

then `beatnet-ship NAME` copies the run's weights and golden vectors into the repository."""
import os
import random
import sys
import time

import numpy as np
import torch
from safetensors.torch import load_file

from . import config as config_mod
from . import beat_eval, multilead
from . import pretrain as pretrain_mod
from .batch import augment_lead_ids, collate, predict
from .export import cpsc_case, export_golden, export_weights, golden_cases
from .features import CLASSES, MAX_BEATS, model_config, slice_features
from .labelled import class_counts, training_sets
from .model import BeatNet, load_weights
from .paths import Paths
from .runs import GOLDEN, LOG, METRICS, WEIGHTS, Run, fold_weights, timestamp_name, write_json
from .scores import cinc_scores
from .tokens import export_tokens, load_tokens


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ---------------------------------------------------------------- training

def beat_class_weights(sets, power=0.5):
    """Inverse-frequency weights of the EC57 classes in the beat-labelled sets to the power `power`
    (0.5: square root; 0.25: fourth root), capped at 10 (Q has a handful of beats outside the paced records)."""
    counts = class_counts(sets).astype(np.float64)
    w = (counts.sum() / (len(counts) * np.maximum(counts, 1))) ** power
    return torch.tensor(np.minimum(w, 10.0), dtype=torch.float32)


def augment_morphology(morph, logamp, rng, p):
    """With probability p per window: each beat's every lead shifted by -2...2 samples (R alignment
    jitter of the detector, 20 ms at 100 Hz), white noise of a random level (0-0.05 of the beat's
    largest deviation) and each lead's amplitude scaled by a random factor (log-normal, sigma 0.15).
    Shapes that survive this are the class, not the patient's exact waveform."""
    if p <= 0:
        return morph, logamp
    B, T, L, W = morph.shape
    pick = torch.from_numpy(rng.random(B) < p)
    if not pick.any():
        return morph, logamp
    shifts = torch.from_numpy(rng.integers(-2, 3, size=(B, T, L)))
    shifted = morph.clone()
    for s in (-2, -1, 1, 2):
        where = (shifts == s) & pick[:, None, None]
        shifted[where] = torch.roll(morph[where], s, dims=-1)
    level = torch.from_numpy(rng.uniform(0, 0.05, size=(B, 1, 1, 1)).astype(np.float32))
    noise = torch.from_numpy(rng.standard_normal((B, T, L, W)).astype(np.float32)) * level
    shifted = torch.where(pick[:, None, None, None], shifted + noise, morph)
    scale = torch.from_numpy((0.15 * rng.standard_normal((B, 1, L))).astype(np.float32))
    logamp = torch.where(pick[:, None, None], logamp + scale, logamp)
    return shifted, logamp


def labelled_crops(sets, count, rng, ectopic_share=0.25):
    """`count` (record, start, end) crops of up to 32 beats from the beat-labelled sets: a share centred
    anywhere on an ectopic beat (S, V, F: rare, and what the beat head is for), the rest uniform over
    every token."""
    names = list(sets)
    sizes = np.array([sets[n]["rr"].shape[0] for n in names], dtype=np.float64)
    ectopic = [(i, j) for i, n in enumerate(names) for j in np.flatnonzero(np.isin(sets[n]["beat_label"], (1, 2, 3)))]
    out = []
    for _ in range(count):
        if ectopic and rng.random() < ectopic_share:
            i, j = ectopic[rng.integers(len(ectopic))]
            n = sizes[i]
            s = int(np.clip(j - rng.integers(0, MAX_BEATS), 0, max(n - MAX_BEATS, 0)))
        else:
            i = int(rng.choice(len(names), p=sizes / sizes.sum()))
            n = sizes[i]
            s = int(rng.integers(0, n - MAX_BEATS + 1)) if n > MAX_BEATS else 0
        out.append((names[i], s, int(min(n, s + MAX_BEATS))))
    return out


def padded(rows, T, fill, dtype):
    out = np.full((len(rows), T), fill, dtype)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return torch.from_numpy(out)


def train_model(tokens, names, labels, epochs, seed, cfg, noise=None, log=print, log_every=1, labelled=None,
                init_state=None):
    """One model on cinc2017 records `names` (labels `labels`) and the beat-labelled sets `labelled`
    (labelled.training_sets) with the recipe `cfg`; `noise`: the nstdb pieces for the multi-lead
    augmentation (needed when cfg.multilead > 0).

    Each step is a batch of cinc2017 crops (window class; every beat's AF target from the record's
    label, none for `~`) and beat-labelled crops (every beat's EC57 class and AF state; no window class)."""
    seed_all(seed)
    rng = np.random.default_rng(seed)
    labelled = labelled or {}
    crops, lr, batch = cfg.crops, cfg.lr, cfg.batch
    keep = [i for i, n in enumerate(names) if n in tokens and tokens[n]["rr"].shape[0] >= 2]
    names = [names[i] for i in keep]; labels = np.asarray(labels)[keep]
    counts = np.bincount(labels, minlength=4).astype(np.float64)
    weights = counts.sum() / (4 * np.maximum(counts, 1))
    if cfg.class_weight == "sqrt":
        weights = np.sqrt(weights)
    weights = torch.tensor(weights, dtype=torch.float32)
    model = BeatNet()
    if init_state is not None:          # fine-tuning from masked-beat pretraining (pretrain.py)
        model.load_state_dict(init_state)
    elif cfg.init:                      # fine-tuning a trained model
        model.load_state_dict(load_file(cfg.init))
    if cfg.trainable:                   # the rest frozen: a refit of some parts of a trained model
        for name, parameter in model.named_parameters():
            parameter.requires_grad_(any(name.startswith(prefix) for prefix in cfg.trainable))
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=1e-5)
    steps_per_epoch = (len(names) * crops + batch - 1) // batch
    per_step = (cfg.labelled_windows + steps_per_epoch - 1) // steps_per_epoch if labelled else 0
    total = steps_per_epoch * epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=total, pct_start=0.1)
    lossf = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-1)
    beat_lossf = torch.nn.CrossEntropyLoss(weight=beat_class_weights(labelled, cfg.beat_weight_power), ignore_index=-1) if labelled else None
    af_target = {0: 0.0, 1: 1.0, 2: 0.0, 3: np.nan}       # a cinc2017 record's label -> its beats' AF state
    teachers = load_teachers(cfg.teachers)
    anchor = load_teachers((cfg.anchor,)) if cfg.anchor else []
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        order = np.concatenate([rng.permutation(len(names)) for _ in range(crops)])
        run = np.zeros(3)
        steps = 0
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            windows, window_y, beat_y, af_y = [], [], [], []
            for i in idx:
                tok = tokens[names[i]]
                n = tok["rr"].shape[0]
                s = int(rng.integers(0, n - MAX_BEATS + 1)) if n > MAX_BEATS else 0
                e = min(n, s + MAX_BEATS)
                windows.append(slice_features(tok, s, e, cfg.rr_mode))
                window_y.append(labels[i]); beat_y.append(np.full(e - s, -1)); af_y.append(np.full(e - s, af_target[labels[i]]))
            for name, s, e in (labelled_crops(labelled, per_step, rng) if per_step else []):
                tok = labelled[name]
                windows.append(slice_features(tok, s, e, cfg.rr_mode))
                window_y.append(-1); beat_y.append(tok["beat_label"][s:e]); af_y.append(tok["af_label"][s:e])
            drop = rng.random(len(windows)) < 0.10        # RR-only mode for ~10% of windows
            x = collate(windows, drop_morphology=drop)
            if cfg.multilead > 0:   # a second, noisy lead: trains the lead-attention pooling
                arrays = multilead.add_noisy_lead(*(t.numpy() for t in x[:4]), x[6].numpy(), noise, rng, cfg.multilead)
                x[:4] = [torch.from_numpy(a) for a in arrays]
            if cfg.many_leads > 0 and rng.random() < cfg.many_leads:   # 12-lead recordings at inference
                arrays = multilead.add_derived_leads(*(t.numpy() for t in x[:4]), x[6].numpy(), noise, rng,
                                                     int(rng.integers(3, 13)))
                x[:4] = [torch.from_numpy(a) for a in arrays]
            x[2] = augment_lead_ids(x[2], rng, cfg.lead_aug)
            x[0], x[1] = augment_morphology(x[0], x[1], rng, cfg.morphology_aug)
            T = x[6].shape[1]
            window_logits, beat_logits, af_logits = model(*x)
            loss_w = lossf(window_logits, torch.tensor(window_y))
            by = padded(beat_y, T, -1, np.int64)
            ay = padded(af_y, T, np.nan, np.float32)
            known = ~torch.isnan(ay)
            loss_af = torch.nn.functional.binary_cross_entropy_with_logits(af_logits[known], ay[known]) \
                if known.any() else af_logits.sum() * 0
            loss_b = beat_lossf(beat_logits.reshape(-1, beat_logits.shape[-1]), by.reshape(-1)) \
                if beat_lossf is not None and (by >= 0).any() else beat_logits.sum() * 0
            loss = loss_w + cfg.beat_loss * loss_b + cfg.af_loss * loss_af
            if teachers:
                loss = loss + cfg.distill * distillation_loss(teachers, x, window_logits, beat_logits, af_logits, cfg)
            if anchor:
                loss = loss + cfg.anchor_weight * distillation_loss(anchor, x, window_logits, beat_logits, af_logits,
                                                                    cfg, heads=cfg.anchor_heads)
            opt.zero_grad(); loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step()
            run += [loss_w.item(), loss_b.item(), loss_af.item()]
            steps += 1
        if (epoch + 1) % log_every == 0 or epoch == epochs - 1:
            run /= max(steps, 1)
            log(f"    epoch {epoch + 1}/{epochs} loss window {run[0]:.4f} beat {run[1]:.4f} af {run[2]:.4f} "
                f"({time.time() - t0:.0f} s)")
    return model


def load_teachers(paths):
    """The ensemble to distil: BeatNet models from weights files, frozen, in eval mode (no dropout)."""
    return [load_weights(path, frozen=True)[0] for path in paths]


def distillation_loss(teachers, x, window_logits, beat_logits, af_logits, cfg, heads=None):
    """Cross-entropy of the model's outputs against the teachers' mean probabilities, on the same
    (augmented) batch: the window class, every real beat's EC57 class and p(AF), weighted like the
    labels; only the outputs named in `heads` (default `cfg.distill_heads`)."""
    with torch.no_grad():
        outs = [teacher(*x) for teacher in teachers]
        window_p = torch.stack([torch.softmax(o[0], -1) for o in outs]).mean(0)
        beat_p = torch.stack([torch.softmax(o[1], -1) for o in outs]).mean(0)
        af_p = torch.stack([torch.sigmoid(o[2]) for o in outs]).mean(0)
    valid = x[6]
    heads = set(cfg.distill_heads if heads is None else heads)
    loss = window_logits.sum() * 0
    if "window" in heads:
        loss = loss - (window_p * torch.log_softmax(window_logits, -1)).sum(-1).mean()
    if "beat" in heads:
        loss = loss - cfg.beat_loss * (beat_p * torch.log_softmax(beat_logits, -1)).sum(-1)[valid].mean()
    if "af" in heads:
        loss = loss + cfg.af_loss * torch.nn.functional.binary_cross_entropy_with_logits(af_logits[valid], af_p[valid])
    return loss


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


# ---------------------------------------------------------------- the run

def cinc2017_records(paths):
    """(names, labels) of the cinc2017 records in REFERENCE.csv that are present (held-out ones are absent)."""
    with open(os.path.join(paths.data, "cinc2017", "REFERENCE.csv")) as f:
        ref = [line.strip().split(",") for line in f if line.strip()]
    ref = [(r, y) for r, y in ref if os.path.exists(os.path.join(paths.data, "cinc2017", r + ".hea"))]
    return [r for r, _ in ref], np.array([CLASSES.index(y) for _, y in ref])


def limit_records(names, labels, limit, seed):
    """A stratified subset of about `limit` records (at least one per class); all of them when limit is 0."""
    if not 0 < limit < len(names):
        return names, labels
    keep = stratified_subset(np.arange(len(names)), labels, limit / len(names), seed)
    return [names[i] for i in keep], labels[keep]


def run_training(cfg, run, paths, log):
    """Everything one run does; writes into `run` and returns the outputs it wrote (role -> file)."""
    torch.set_num_threads(cfg.threads)
    noise = multilead.load_noise(paths.data) if cfg.multilead > 0 else None
    export_config = model_config(cfg.rr_mode, cfg.multilead)
    seed = cfg.seed
    seed_all(seed)
    t_start = time.time()
    outputs = {"metrics": METRICS, "log": LOG}

    all_names, all_labels = cinc2017_records(paths)
    # tokens of every record (one cache for all runs), whatever subset this run uses
    parts = export_tokens(paths, [os.path.join(paths.data, "cinc2017", n) for n in all_names],
                          os.path.join(paths.cache, "cinc2017-tokens"))
    tokens = load_tokens(parts)
    names, labels = limit_records(all_names, all_labels, cfg.limit_records, cfg.split_seed)
    lens = np.array([tokens[n]["rr"].shape[0] if n in tokens else 0 for n in names])
    log(f"{len(names)} records, {len(tokens)} with tokens, {lens.sum()} tokens, beats/record median {np.median(lens):.0f}, "
        f"0-token records {int((lens == 0).sum())} ({time.time() - t_start:.0f} s)")
    base_X = np.stack([rr_baseline_features(tokens.get(n)) for n in names])
    labelled = training_sets(paths) if cfg.labelled_windows > 0 else {}
    if labelled:
        log(f"beat-labelled training records: {len(labelled)} ({sum(t['rr'].shape[0] for t in labelled.values())} tokens; "
            f"EC57 N S V F Q {class_counts(labelled).tolist()}; AF beats "
            f"{int(sum(t['af_label'].sum() for t in labelled.values()))})")
    evaluation = beat_eval.EvaluationSets.load(paths) if cfg.labelled_windows > 0 else None

    results = {"epochs": cfg.epochs, "rr_mode": cfg.rr_mode, "lead_id_augmentation": cfg.lead_aug, "folds": [],
               "efficiency": []}
    res_path = run.file(METRICS)

    def save_model(model, summary):
        export_weights(model, run.file(WEIGHTS), summary, export_config)
        export_golden(model, golden_cases(tokens, names, labels, model, seed, cfg.rr_mode) + [cpsc_case(paths, cfg.rr_mode)],
                      run.file(GOLDEN), log)
        outputs.update(weights=WEIGHTS, golden=GOLDEN)

    fold = stratified_folds(labels, cfg.cv_folds, cfg.split_seed)
    all_pred = np.full(len(names), -1); all_base = np.full(len(names), -1); all_rronly = np.full(len(names), -1)
    for k in cfg.folds:
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        t0 = time.time()
        log(f"fold {k}: train {len(tr)}, test {len(te)}")
        model = train_model(tokens, [names[i] for i in tr], labels[tr], cfg.epochs, seed + k, cfg, noise, log,
                            labelled=labelled)
        train_s = time.time() - t0
        export_weights(model, run.file(fold_weights(k)),
                       {"trained_on": f"cinc2017 CV fold {k} training records ({len(tr)})", "epochs": cfg.epochs},
                       export_config)
        outputs[f"fold{k}"] = fold_weights(k)
        test = [names[i] for i in te]
        pred = predict(model, tokens, test, rr_mode=cfg.rr_mode).argmax(1); all_pred[te] = pred
        rr_only = predict(model, tokens, test, rr_only=True, rr_mode=cfg.rr_mode).argmax(1); all_rronly[te] = rr_only
        base = train_baseline(base_X[tr], labels[tr])(base_X[te]); all_base[te] = base
        r = {"fold": k, "train_seconds": round(train_s), "model": cinc_scores(labels[te], pred),
             "model_rr_only_input": cinc_scores(labels[te], rr_only), "rr_baseline": cinc_scores(labels[te], base)}
        if evaluation is not None:
            r["beats"] = evaluation.score(model, cfg.rr_mode, log)
        results["folds"].append(r)
        log(f"  fold {k}: model {r['model']['score']:.4f} (AF F1 {r['model']['F1_A']:.4f}), RR-only input "
            f"{r['model_rr_only_input']['score']:.4f}, RR baseline {r['rr_baseline']['score']:.4f} (AF {r['rr_baseline']['F1_A']:.4f}); "
            f"trained in {train_s:.0f} s")
        if k == 0:
            results["efficiency"].append({"fraction": 1.0, "records": len(tr), "model": r["model"]["score"],
                                          "model_AF": r["model"]["F1_A"], "baseline": r["rr_baseline"]["score"],
                                          "baseline_AF": r["rr_baseline"]["F1_A"], "train_seconds": round(train_s)})
            if cfg.final_from_fold0:
                save_model(model, {"trained_on": f"cinc2017 folds 1-4 ({len(tr)} records)", "epochs": cfg.epochs,
                                   "fold0_score": r["model"]["score"], "fold0_F1_A": r["model"]["F1_A"]})
        write_json(res_path, results)
    if len(cfg.folds) == cfg.cv_folds:
        results["cv"] = {"model": cinc_scores(labels, all_pred), "model_rr_only_input": cinc_scores(labels, all_rronly),
                         "rr_baseline": cinc_scores(labels, all_base)}
        log(f"5-fold CV (pooled): model {results['cv']['model']['score']:.4f} AF {results['cv']['model']['F1_A']:.4f}; "
            f"baseline {results['cv']['rr_baseline']['score']:.4f}")

    # data efficiency on fold 0
    if cfg.fractions:
        tr, te = np.flatnonzero(fold != 0), np.flatnonzero(fold == 0)
        starts = [("none", None)]
        if cfg.pretrain_epochs > 0:
            # Masked-beat pretraining on every token the fold may train on (all of its cinc2017 training
            # records, labelled or not, and the beat-labelled sets), none of the test records.
            t0 = time.time()
            state = pretrain_mod.pretrain([{names[i]: tokens[names[i]] for i in tr if names[i] in tokens}, labelled],
                                          cfg.pretrain_epochs, seed + 50, cfg.rr_mode, log=log)
            results["pretrain_seconds"] = round(time.time() - t0)
            starts.append(("masked-beat", state))
        for frac in cfg.fractions:
            sub = stratified_subset(tr, labels, frac, seed)
            epochs = int(round(cfg.epochs * min(1 / frac, 2)))   # more passes over less data, capped
            for start, state in starts:
                t0 = time.time()
                log(f"data efficiency {frac:.0%}: {len(sub)} records, {epochs} epochs, pretraining: {start}")
                model = train_model(tokens, [names[i] for i in sub], labels[sub], epochs, seed, cfg, noise, log,
                                    log_every=max(epochs // 8, 1), labelled=labelled, init_state=state)
                s = cinc_scores(labels[te], predict(model, tokens, [names[i] for i in te], rr_mode=cfg.rr_mode).argmax(1))
                b = cinc_scores(labels[te], train_baseline(base_X[sub], labels[sub])(base_X[te]))
                entry = {"fraction": frac, "records": len(sub), "epochs": epochs, "pretraining": start,
                         "model": s["score"], "model_AF": s["F1_A"], "baseline": b["score"], "baseline_AF": b["F1_A"],
                         "train_seconds": round(time.time() - t0)}
                if evaluation is not None:
                    entry["beats"] = evaluation.score(model, cfg.rr_mode, log)
                results["efficiency"].append(entry)
                log(f"  {frac:.0%} ({start}): model {s['score']:.4f} (AF {s['F1_A']:.4f}), baseline {b['score']:.4f} "
                    f"(AF {b['F1_A']:.4f})")
                write_json(res_path, results)

    if cfg.final:
        t0 = time.time()
        log(f"final model: all {len(names)} records, {cfg.epochs} epochs")
        model = train_model(tokens, names, labels, cfg.epochs, seed + 100, cfg, noise, log, labelled=labelled)
        results["final_train_seconds"] = round(time.time() - t0)
        train_s = cinc_scores(labels, predict(model, tokens, names, rr_mode=cfg.rr_mode).argmax(1))
        results["final_train_set"] = train_s
        if evaluation is not None:
            results["final_beats"] = evaluation.score(model, cfg.rr_mode, log)
        save_model(model, {"trained_on": f"cinc2017, all {len(names)} records", "epochs": cfg.epochs,
                           "multilead_augmentation": cfg.multilead,
                           "train_seconds": results["final_train_seconds"],
                           "cv5_score": results.get("cv", {}).get("model", {}).get("score"),
                           "cv5_F1_A": results.get("cv", {}).get("model", {}).get("F1_A"),
                           "train_set_score": train_s["score"], "seed": seed + 100,
                           "rr_mode": cfg.rr_mode, "lead_id_augmentation": cfg.lead_aug})
        log(f"  final: train-set score {train_s['score']:.4f}, trained in {results['final_train_seconds']} s")
    results["total_seconds"] = round(time.time() - t_start)
    write_json(res_path, results)
    log(f"done in {results['total_seconds']} s; results in {res_path}")
    return outputs, results["total_seconds"]


def main(argv=None):
    cfg, opts = config_mod.parse(argv)
    paths = Paths.default(runs=opts.runs_dir)
    run = Run.create(paths.runs, opts.name or timestamp_name(), overwrite=opts.overwrite)
    run.start(cfg.as_dict(), ["beatnet-train", *(sys.argv[1:] if argv is None else argv)], paths.root)
    run.log(f"run {run.path}")
    try:
        outputs, seconds = run_training(cfg, run, paths, run.log)
    except BaseException as e:
        run.fail(f"{type(e).__name__}: {e}")
        raise
    finally:
        run.close()
    run.finish(outputs, seconds)
    shippable = "weights" in outputs
    print(f"run complete: {run.path}" + (f"; ship it with `beatnet-ship {run.name}`" if shippable else
                                         " (no model to ship: --final 0)"), flush=True)


if __name__ == "__main__":
    main()
