"""Tables for docs/model.md from training/cache/*.json: `python3 training/report.py [TAG...] [--stamp]`
(default tags: relrr cvR123 cvR4final, the parallel runs of docs/model-training.md; after a single
`python3 training/train.py` use `python3 training/report.py results`). --stamp writes the pooled CV
into the weights file's `training` metadata."""
import json
import os
import sys

import numpy as np

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cache")


def scores(m):
    m = np.asarray(m)
    f1 = [2 * m[k, k] / max(m[k].sum() + m[:, k].sum(), 1) for k in range(4)]
    return np.mean(f1[:3]), f1


def stamp(cv):
    """Record the cross-validation result in the weights file's `training` metadata (weights unchanged)."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "Sources/BeatNet/Resources/beatnet.safetensors")
    with safe_open(path, "pt") as f:
        meta = dict(f.metadata())
    training = json.loads(meta["training"])
    training.pop("cv5_score", None); training.pop("cv5_F1_A", None)
    training.update(cv)
    meta["training"] = json.dumps(training)
    save_file(load_file(path), path, metadata=meta)
    os.chmod(path, 0o644)
    print("stamped", path, meta["training"])


def main():
    do_stamp = "--stamp" in sys.argv
    tags = [a for a in sys.argv[1:] if a != "--stamp"] or ["relrr", "cvR123", "cvR4final"]
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
        if do_stamp:
            stamp({"cv_folds": len(folds), "cv_score": round(float(s), 4), "cv_F1_A": round(float(f[1]), 4),
                   "cv_F1_N": round(float(f[0]), 4), "cv_F1_O": round(float(f[2]), 4),
                   "cv_rr_baseline_score": round(float(s3), 4)})
    eff = []
    for t in dict.fromkeys(tags + ["effR"]):
        p = os.path.join(CACHE, t + ".json")
        if os.path.exists(p):
            eff += json.load(open(p))["efficiency"]
    if eff:
        print("\n| training records (fold 0) | epochs | BEAT-Net score (AF F1) | RR baseline score (AF F1) |")
        print("|---|---|---|---|")
        eff = list({e["fraction"]: e for e in eff}.values())
        for e in sorted(eff, key=lambda e: e["fraction"]):
            print(f"| {e['fraction']:.0%} ({e['records']}) | {e.get('epochs', 30)} | {e['model']:.3f} ({e['model_AF']:.3f}) | "
                  f"{e['baseline']:.3f} ({e['baseline_AF']:.3f}) |")
    p = next((q for q in (os.path.join(CACHE, t + ".json") for t in tags + ["final"]) if os.path.exists(q)
              and "final_train_seconds" in json.load(open(q))), os.path.join(CACHE, "final.json"))
    if os.path.exists(p):
        r = json.load(open(p))
        if "final_train_seconds" in r:
            print(f"\nfinal model: {r['final_train_seconds']} s, training-set score {r['final_train_set']['score']:.3f}")


if __name__ == "__main__":
    main()
