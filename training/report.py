"""Tables for docs/model.md from training/cache/*.json: `python3 training/report.py [TAG...]`
(default: the folds of cv runs named runC cv12 cv34, efficiency effC + runC, final)."""
import json
import os
import sys

import numpy as np

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cache")


def scores(m):
    m = np.asarray(m)
    f1 = [2 * m[k, k] / max(m[k].sum() + m[:, k].sum(), 1) for k in range(4)]
    return np.mean(f1[:3]), f1


def main():
    tags = sys.argv[1:] or ["runC", "cv12", "cv34"]
    folds = []
    for t in tags:
        p = os.path.join(CACHE, t + ".json")
        if os.path.exists(p):
            folds += json.load(open(p))["folds"]
    folds.sort(key=lambda r: r["fold"])
    print("| fold | BEAT-Net score | F1 N | F1 A | F1 O | F1 ~ | BEAT-Net, RR-only input | RR baseline (AF F1) | train s |")
    print("|---|---|---|---|---|---|---|---|---|")
    pooled = {k: np.zeros((4, 4), int) for k in ("model", "model_rr_only_input", "rr_baseline")}
    for r in folds:
        m = r["model"]
        print(f"| {r['fold']} | {m['score']:.3f} | {m['F1_N']:.3f} | {m['F1_A']:.3f} | {m['F1_O']:.3f} | {m['F1_noise']:.3f} | "
              f"{r['model_rr_only_input']['score']:.3f} | {r['rr_baseline']['score']:.3f} ({r['rr_baseline']['F1_A']:.3f}) | {r['train_seconds']} |")
        for k in pooled:
            pooled[k] += np.asarray(r[k]["confusion"])
    if folds:
        s, f = scores(pooled["model"]); s2, _ = scores(pooled["model_rr_only_input"]); s3, f3 = scores(pooled["rr_baseline"])
        print(f"| pooled ({len(folds)} folds) | **{s:.3f}** | {f[0]:.3f} | **{f[1]:.3f}** | {f[2]:.3f} | {f[3]:.3f} | {s2:.3f} | {s3:.3f} ({f3[1]:.3f}) | |")
        print("\npooled confusion (rows truth N A O ~, columns predicted):", pooled["model"].tolist())
    eff = []
    for t in ("runC", "effC"):
        p = os.path.join(CACHE, t + ".json")
        if os.path.exists(p):
            eff += json.load(open(p))["efficiency"]
    if eff:
        print("\n| training records (fold 0) | epochs | BEAT-Net score (AF F1) | RR baseline score (AF F1) |")
        print("|---|---|---|---|")
        for e in sorted(eff, key=lambda e: e["fraction"]):
            print(f"| {e['fraction']:.0%} ({e['records']}) | {e.get('epochs', 30)} | {e['model']:.3f} ({e['model_AF']:.3f}) | "
                  f"{e['baseline']:.3f} ({e['baseline_AF']:.3f}) |")
    p = os.path.join(CACHE, "final.json")
    if os.path.exists(p):
        r = json.load(open(p))
        if "final_train_seconds" in r:
            print(f"\nfinal model: {r['final_train_seconds']} s, training-set score {r['final_train_set']['score']:.3f}")


if __name__ == "__main__":
    main()
