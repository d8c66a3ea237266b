"""The issue's peer for the window head: a gradient-boosting classifier on 16 RR-interval features of a
whole record, trained and scored on the same stratified CinC 2017 folds as BEAT-Net (train.py's
`stratified_folds`, same seed). scikit-learn's HistGradientBoostingClassifier does the boosting.

    python3 -m beatnet_training.rr_gbm [--folds 0,1,2,3,4] [--json OUT]      (from training/)

The features are the classic AF screening set (Sarkar 2008, Tateno & Glass 2001, the CinC 2017 RR
entries): rate, dispersion, successive differences, Poincare geometry, entropy and regularity of the
RR sequence. No morphology: that is what BEAT-Net adds."""
import argparse
import json
import os
import time

import numpy as np

from .paths import Paths
from .scores import cinc_scores
from .tokens import export_tokens, load_tokens

FEATURES = ("beats", "mean_rr", "median_rr", "sd_rr", "cv_rr", "iqr_rr_rel", "min_rr_rel", "max_rr_rel",
            "rmssd_rel", "pnn20", "pnn50", "sd1_rel", "sd2_rel", "sd1_sd2", "sample_entropy", "turning_points")
assert len(FEATURES) == 16


def sample_entropy(x, m=2, r=0.2):
    """SampEn(m, r*SD) of a short sequence (Richman & Moorman 2000). The counts get a half-match floor so
    that a strip with no (m+1)-matches (short and very irregular) reads as irregular instead of undefined."""
    x = np.asarray(x, np.float64)
    n = x.size
    if n <= m + 2 or x.std() == 0:
        return 0.0
    tol = r * x.std()

    def matches(k):
        emb = np.lib.stride_tricks.sliding_window_view(x, k)[: n - m]
        d = np.abs(emb[:, None, :] - emb[None, :, :]).max(-1)
        return (np.count_nonzero(d <= tol) - len(emb)) / 2

    b, a = matches(m), matches(m + 1)
    return float(-np.log((a + 0.5) / (b + 0.5)))


def rr_features(tok):
    """The 16 features of one record's previous-RR sequence (seconds); zeros for under 4 intervals."""
    if tok is None:
        return np.zeros(len(FEATURES))
    rr = tok["rr"][:, 0].astype(np.float64)
    rr = rr[np.isfinite(rr) & (rr > 0)]
    if rr.size < 4:
        return np.zeros(len(FEATURES))
    mean = rr.mean()
    d = np.diff(rr)
    sd1 = np.sqrt(np.var(d) / 2)
    sd2 = np.sqrt(max(2 * np.var(rr) - np.var(d) / 2, 0))
    q1, q3 = np.percentile(rr, [25, 75])
    tp = np.count_nonzero((rr[1:-1] - rr[:-2]) * (rr[1:-1] - rr[2:]) > 0) / max(rr.size - 2, 1)
    return np.array([rr.size, mean, np.median(rr), rr.std(), rr.std() / mean, (q3 - q1) / mean, rr.min() / mean,
                     rr.max() / mean, np.sqrt(np.mean(d ** 2)) / mean, np.mean(np.abs(d) > 0.02),
                     np.mean(np.abs(d) > 0.05), sd1 / mean, sd2 / mean, sd1 / sd2 if sd2 > 0 else 0.0,
                     sample_entropy(rr), tp])


def train_gbm(X, y, seed):
    """Class-balanced gradient boosting (sklearn defaults otherwise: 100 iterations, early stopping off
    below 10k samples); returns predict(Z) -> class indices."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    clf = HistGradientBoostingClassifier(class_weight="balanced", random_state=seed)
    clf.fit(X, y)
    return clf.predict


def main(argv=None):
    from .config import TrainConfig
    from .train import cinc2017_records, stratified_folds
    seed = TrainConfig().seed
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", default="0,1,2,3,4")
    ap.add_argument("--json", help="write the per-fold and pooled scores here")
    args = ap.parse_args(argv)
    paths = Paths.default()
    names, labels = cinc2017_records(paths)
    tokens = load_tokens(export_tokens(paths, [os.path.join(paths.data, "cinc2017", n) for n in names],
                                       os.path.join(paths.cache, "cinc2017-tokens")))
    t0 = time.time()
    X = np.stack([rr_features(tokens.get(n)) for n in names])
    print(f"{len(names)} records, 16 RR features in {time.time() - t0:.1f} s")
    fold = stratified_folds(labels, TrainConfig.cv_folds, seed)
    out, pooled = {"folds": []}, np.full(len(names), -1)
    for k in [int(f) for f in args.folds.split(",")]:
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        pred = train_gbm(X[tr], labels[tr], seed + k)(X[te])
        pooled[te] = pred
        s = cinc_scores(labels[te], pred)
        out["folds"].append({"fold": k, **s})
        print(f"fold {k}: RR gradient boosting {s['score']:.4f} (AF F1 {s['F1_A']:.4f})")
    done = pooled >= 0
    s = cinc_scores(labels[done], pooled[done])
    out["pooled"] = s
    print(f"pooled over {int(done.sum())} records: {s['score']:.4f} (AF F1 {s['F1_A']:.4f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
