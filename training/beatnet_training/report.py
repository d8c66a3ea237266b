"""Tables for docs/model.md from runs' metrics.json:

    beatnet-report [RUN ...] [--stamp TARGET]

RUN: a run name under training/runs, a run folder, or a results .json (the old training/cache/TAG.json).
Default runs: relrr cvR123 cvR4final (+ effR for data efficiency), the parallel runs of
docs/model-training.md; after one full `beatnet-train --name NAME`, `beatnet-report NAME`.
--stamp TARGET records the pooled CV in the `training` metadata of TARGET's weights (a run name or
folder: its beatnet.safetensors; or a weights file), weights unchanged; then ship that run."""
import argparse
import json
import os

import numpy as np

from .paths import Paths
from .runs import METRICS, WEIGHTS, Run
from .scores import f1_scores

DEFAULT_RUNS = ["relrr", "cvR123", "cvR4final"]


def metrics_path(paths, run):
    """The metrics file of a run given by name, folder or .json path (it may not exist)."""
    if run.endswith(".json"):
        return run
    return Run.resolve(paths.runs, run).file(METRICS)


def load(paths, runs):
    out = []
    for r in runs:
        p = metrics_path(paths, r)
        if os.path.exists(p):
            with open(p) as f:
                out.append((r, json.load(f)))
    return out


def stamp(path, cv):
    """Record the cross-validation result in the weights file's `training` metadata (weights unchanged)."""
    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file
    with safe_open(path, "np") as f:
        meta = dict(f.metadata())
    training = json.loads(meta["training"])
    training.pop("cv5_score", None); training.pop("cv5_F1_A", None)
    training.update(cv)
    meta["training"] = json.dumps(training)
    save_file(load_file(path), path, metadata=meta)
    os.chmod(path, 0o644)
    print("stamped", path, meta["training"])


def stamp_target(paths, target):
    if target.endswith(".safetensors"):
        return target
    return Run.resolve(paths.runs, target).file(WEIGHTS)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="beatnet-report", description=__doc__.split("\n")[0])
    ap.add_argument("runs", nargs="*", help=f"runs (default: {' '.join(DEFAULT_RUNS)})")
    ap.add_argument("--stamp", metavar="TARGET", help="write the pooled CV into TARGET's weights metadata")
    args = ap.parse_args(argv)
    paths = Paths.default()
    runs = args.runs or DEFAULT_RUNS
    loaded = load(paths, runs)
    folds = sorted((f for _, r in loaded for f in r["folds"]), key=lambda r: r["fold"])
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
        s, f = f1_scores(pooled["model"]); s2, _ = f1_scores(pooled["model_rr_only_input"]); s3, f3 = f1_scores(pooled["rr_baseline"])
        print(f"| pooled ({len(folds)} folds) | **{s:.3f}** | {f[0]:.3f} | **{f[1]:.3f}** | {f[2]:.3f} | {f[3]:.3f} | {s2:.3f} | {s3:.3f} ({f3[1]:.3f}) | |")
        print("\npooled confusion (rows truth N A O ~, columns predicted):", pooled["model"].tolist())
        if args.stamp:
            stamp(stamp_target(paths, args.stamp),
                  {"cv_folds": len(folds), "cv_score": round(float(s), 4), "cv_F1_A": round(float(f[1]), 4),
                   "cv_F1_N": round(float(f[0]), 4), "cv_F1_O": round(float(f[2]), 4),
                   "cv_rr_baseline_score": round(float(s3), 4), "cv_runs": ", ".join(r for r, _ in loaded)})
    elif args.stamp:
        raise SystemExit("--stamp: the runs have no CV folds")
    eff = [e for _, r in load(paths, list(dict.fromkeys(runs + ["effR"]))) for e in r["efficiency"]]
    if eff:
        print("\n| training records (fold 0) | epochs | BEAT-Net score (AF F1) | RR baseline score (AF F1) |")
        print("|---|---|---|---|")
        eff = list({e["fraction"]: e for e in eff}.values())
        for e in sorted(eff, key=lambda e: e["fraction"]):
            print(f"| {e['fraction']:.0%} ({e['records']}) | {e.get('epochs', 30)} | {e['model']:.3f} ({e['model_AF']:.3f}) | "
                  f"{e['baseline']:.3f} ({e['baseline_AF']:.3f}) |")
    final = next((r for _, r in load(paths, runs + ["final"]) if "final_train_seconds" in r), None)
    if final is not None:
        print(f"\nfinal model: {final['final_train_seconds']} s, training-set score {final['final_train_set']['score']:.3f}")


if __name__ == "__main__":
    main()
