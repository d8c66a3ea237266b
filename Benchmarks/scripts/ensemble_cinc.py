#!/usr/bin/env python3
"""CinC 2017 score on one fold of several BEAT-Net weights files and of their mean class
probabilities (an ensemble, the ceiling a distilled student aims at), PyTorch on the token cache.

Usage (repository root; torch needed):
  PYTHONPATH=training BEATMON=.build/release/beatmon python3 Benchmarks/scripts/ensemble_cinc.py \
      --fold 0 training/runs/v4cv0/fold0.safetensors training/runs/v5fold0/fold0.safetensors ...
"""
import argparse
import os
import sys

import numpy as np

from beatnet_training.batch import predict
from beatnet_training.config import TrainConfig
from beatnet_training.model import load_weights
from beatnet_training.paths import Paths
from beatnet_training.scores import cinc_scores
from beatnet_training.tokens import export_tokens, load_tokens
from beatnet_training.train import cinc2017_records, stratified_folds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("weights", nargs="+", help="weights files, none of them trained on the fold")
    ap.add_argument("--fold", type=int, default=0)
    args = ap.parse_args()
    paths = Paths.default()
    names, labels = cinc2017_records(paths)
    if not names:
        sys.exit("ensemble_cinc: SKIP: no cinc2017 records in ../shared/data")
    test = np.flatnonzero(stratified_folds(labels, TrainConfig.cv_folds, TrainConfig.split_seed) == args.fold)
    tokens = load_tokens(export_tokens(paths, [os.path.join(paths.data, "cinc2017", n) for n in names],
                                       os.path.join(paths.cache, "cinc2017-tokens")))
    y, probabilities = labels[test], []
    for path in args.weights:
        model, rr_mode = load_weights(path)
        probabilities.append(predict(model, tokens, [names[i] for i in test], rr_mode=rr_mode))
        s = cinc_scores(y, probabilities[-1].argmax(1))
        print(f"{path}: {s['score']:.4f} (AF F1 {s['F1_A']:.4f})")
    s = cinc_scores(y, np.mean(probabilities, 0).argmax(1))
    print(f"mean of {len(args.weights)}: {s['score']:.4f} (AF F1 {s['F1_A']:.4f})")


if __name__ == "__main__":
    main()
