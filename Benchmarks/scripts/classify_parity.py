#!/usr/bin/env python3
"""`beatmon classify` (Swift, the monitor's tokens) beside PyTorch (training's `predict`, the token
cache) on the CinC 2017 records of one fold: the two must agree record by record, and both give the
fold's score. A disagreement means the inputs differ (a stale token cache) or the code does. Two
scores each: the window head's own class (the most probable), and the record's label as `classify`
gives it, with the regular-rhythm rule and the per-beat agreement (docs/model.md).

Usage (repository root; torch needed):
  PYTHONPATH=training BEATMON=.build/release/beatmon python3 Benchmarks/scripts/classify_parity.py \
      [--weights Sources/BeatNet/Resources/beatnet.safetensors] [--fold 0]
  Cross-validation on the monitor's tokens: one weights file per fold, scores pooled over the folds:
      --fold 0,1,2,3,4 --weights training/runs/v4cv0/fold0.safetensors,training/runs/v4cv12/fold1.safetensors,...
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

from beatnet_training.batch import predict
from beatnet_training.config import TrainConfig
from beatnet_training.features import CLASSES
from beatnet_training.model import load_weights
from beatnet_training.paths import Paths
from beatnet_training.scores import cinc_scores
from beatnet_training.tokens import export_tokens, load_tokens
from beatnet_training.train import cinc2017_records, stratified_folds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", default=os.path.join("Sources", "BeatNet", "Resources", "beatnet.safetensors"),
                    help="weights, or one per fold (comma-separated)")
    ap.add_argument("--fold", default="0", help="fold, or folds (comma-separated)")
    ap.add_argument("--split-seed", type=int, default=TrainConfig.split_seed, help="seed of the CV folds (training's)")
    args = ap.parse_args()
    folds = [int(f) for f in args.fold.split(",")]
    weights = args.weights.split(",")
    if len(weights) != len(folds):
        sys.exit("classify_parity: give one weights file per fold")
    paths = Paths.default()
    names, labels = cinc2017_records(paths)
    if not names:
        sys.exit("classify_parity: SKIP: no cinc2017 records in ../shared/data")
    assignment = stratified_folds(labels, TrainConfig.cv_folds, args.split_seed)
    tokens = load_tokens(export_tokens(paths, [os.path.join(paths.data, "cinc2017", n) for n in names],
                                       os.path.join(paths.cache, "cinc2017-tokens")))
    worst, rule_differs, pooled = 0.0, 0, [[] for _ in range(5)]
    for fold, path in zip(folds, weights):
        test = np.flatnonzero(assignment == fold)
        torch_p, torch_l, swift_p, swift_l = fold_predictions(paths, path, tokens, names, test)
        diff = np.abs(torch_p - swift_p).max(1)
        worst = max(worst, float(diff.max()))
        rule_differs += int((torch_l != swift_l).sum())
        y = labels[test]
        report(f"fold {fold}: {len(test)} records; largest probability difference {diff.max():.2e}; "
               f"records differing by > 1e-3: {int((diff > 1e-3).sum())}; labels differing: "
               f"{int((torch_p.argmax(1) != swift_p.argmax(1)).sum())} (window head), "
               f"{int((torch_l != swift_l).sum())} (with the rule); the rule changed "
               f"{int((swift_l != swift_p.argmax(1)).sum())} labels", y, torch_p, torch_l, swift_p, swift_l)
        for part, values in zip(pooled, (y, torch_p, torch_l, swift_p, swift_l)):
            part.append(values)
    if len(folds) > 1:
        report(f"pooled over folds {args.fold}: {sum(len(t) for t in pooled[0])} records",
               *(np.concatenate(part) for part in pooled))
    sys.exit(0 if worst <= 1e-3 and rule_differs == 0 else 1)


def fold_predictions(paths, weights, tokens, names, test):
    """Class probabilities of the records `test` from PyTorch and from `beatmon classify`."""
    records = [os.path.join(paths.data, "cinc2017", names[i]) for i in test]
    model, rr_mode = load_weights(weights)
    torch_p, torch_l = predict(model, tokens, [names[i] for i in test], rr_mode=rr_mode, labels=True)
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "classify.csv")
        subprocess.run([paths.beatmon, "classify", *records, "--model", weights, "--output", out], check=True)
        rows = {os.path.basename(r["record"]): r for r in csv.DictReader(open(out))}
    swift_p = np.array([[float(rows[names[i]][k]) for k in ("p_normal", "p_af", "p_other", "p_noisy")] for i in test])
    swift_l = np.array([CLASSES.index(rows[names[i]]["label"]) for i in test])
    return torch_p, torch_l, swift_p, swift_l


def report(heading, y, torch_p, torch_l, swift_p, swift_l):
    print(heading)
    for what, t, s in (("window head", torch_p.argmax(1), swift_p.argmax(1)), ("label (regular-rhythm rule)", torch_l, swift_l)):
        s_torch, s_swift = cinc_scores(y, t), cinc_scores(y, s)
        print(f"{what}: PyTorch {s_torch['score']:.4f} (AF F1 {s_torch['F1_A']:.4f}), "
              f"beatmon classify {s_swift['score']:.4f} (AF F1 {s_swift['F1_A']:.4f})")


if __name__ == "__main__":
    main()
