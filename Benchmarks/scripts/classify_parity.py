#!/usr/bin/env python3
"""`beatmon classify` (Swift, the monitor's tokens) beside PyTorch (training's `predict`, the token
cache) on the CinC 2017 records of one fold: the two must agree record by record, and both give the
fold's score. A disagreement means the inputs differ (a stale token cache) or the code does.

Usage (repository root; torch needed):
  PYTHONPATH=training BEATMON=.build/release/beatmon python3 Benchmarks/scripts/classify_parity.py \
      [--weights Sources/BeatNet/Resources/beatnet.safetensors] [--fold 0]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from safetensors import safe_open
from safetensors.torch import load_file as load_torch

from beatnet_training.batch import predict
from beatnet_training.model import BeatNet
from beatnet_training.paths import Paths
from beatnet_training.scores import cinc_scores
from beatnet_training.tokens import export_tokens, load_tokens
from beatnet_training.train import cinc2017_records, stratified_folds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", default=os.path.join("Sources", "BeatNet", "Resources", "beatnet.safetensors"))
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--seed", type=int, default=2017)
    args = ap.parse_args()
    paths = Paths.default()
    names, labels = cinc2017_records(paths)
    if not names:
        sys.exit("classify_parity: SKIP: no cinc2017 records in ../shared/data")
    test = np.flatnonzero(stratified_folds(labels, 5, args.seed) == args.fold)
    records = [os.path.join(paths.data, "cinc2017", names[i]) for i in test]
    tokens = load_tokens(export_tokens(paths, [os.path.join(paths.data, "cinc2017", n) for n in names],
                                       os.path.join(paths.cache, "cinc2017-tokens")))
    with safe_open(args.weights, "pt") as f:
        rr_mode = json.loads(f.metadata()["config"]).get("rr_mode", "relative")
    model = BeatNet()
    model.load_state_dict(load_torch(args.weights))
    torch_p = predict(model, tokens, [names[i] for i in test], rr_mode=rr_mode)
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "classify.csv")
        subprocess.run([paths.beatmon, "classify", *records, "--model", args.weights, "--output", out], check=True)
        rows = {os.path.basename(r["record"]): r for r in csv.DictReader(open(out))}
    swift_p = np.array([[float(rows[names[i]][k]) for k in ("p_normal", "p_af", "p_other", "p_noisy")] for i in test])
    diff = np.abs(torch_p - swift_p).max(1)
    y = labels[test]
    s_torch, s_swift = cinc_scores(y, torch_p.argmax(1)), cinc_scores(y, swift_p.argmax(1))
    print(f"fold {args.fold}: {len(test)} records; largest probability difference {diff.max():.2e}; "
          f"records differing by > 1e-3: {int((diff > 1e-3).sum())}; labels differing: "
          f"{int((torch_p.argmax(1) != swift_p.argmax(1)).sum())}")
    print(f"score: PyTorch {s_torch['score']:.4f} (AF F1 {s_torch['F1_A']:.4f}), "
          f"beatmon classify {s_swift['score']:.4f} (AF F1 {s_swift['F1_A']:.4f})")
    sys.exit(0 if diff.max() <= 1e-3 else 1)


if __name__ == "__main__":
    main()
