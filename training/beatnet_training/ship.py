"""Ship a run's model: copy its weights to Sources/BeatNet/Resources/beatnet.safetensors and its
golden vectors to Fixtures/beatnet-golden.safetensors (the weights' metadata travels inside the file),
printing what each replaces. Refuses a run that is not complete, has no model, or whose golden vectors
do not match its weights (check_golden's NumPy forward pass).

    beatnet-ship NAME                 into this repository
    beatnet-ship NAME --dest DIR      into DIR/Sources/... and DIR/Fixtures/... instead (a dry run elsewhere)
"""
import argparse
import hashlib
import json
import os
import shutil

from safetensors import safe_open

from .check_golden import TOLERANCE, check
from .paths import SHIPPED_GOLDEN, SHIPPED_WEIGHTS, Paths
from .runs import Run


def describe(path):
    """One line about a safetensors file: size, sha256 prefix, and its training summary if any."""
    if not os.path.exists(path):
        return "(none)"
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    text = f"{os.path.getsize(path):,} bytes, sha256 {digest}"
    try:
        with safe_open(path, "np") as f:
            meta = f.metadata() or {}
    except Exception as e:   # not a safetensors file: say so, the copy still replaces it
        return text + f" (unreadable: {e})"
    if "training" in meta:
        t = json.loads(meta["training"])
        keys = ("trained_on", "epochs", "seed", "cv_score", "cv5_score", "cv_F1_A", "train_set_score")
        text += "; training " + ", ".join(f"{k}={t[k]}" for k in keys if t.get(k) is not None)
    if "cases" in meta:
        text += f"; {len(json.loads(meta['cases']))} golden cases"
    return text


def ship(run, dest_root, log=print):
    """Copy `run`'s weights and golden vectors under `dest_root`; returns [(source, destination)]."""
    problems = run.problems()
    if problems:
        raise SystemExit(f"refusing to ship {run.path}:\n  " + "\n  ".join(problems))
    outputs = run.manifest()["outputs"]
    weights, golden = run.file(outputs["weights"]), run.file(outputs["golden"])
    worst = check(weights, golden, log=lambda *a: None)
    if not worst < TOLERANCE:
        raise SystemExit(f"refusing to ship {run.path}: golden vectors do not match the weights (max |diff| {worst:.2e})")
    copies = [(weights, os.path.join(dest_root, SHIPPED_WEIGHTS)), (golden, os.path.join(dest_root, SHIPPED_GOLDEN))]
    for src, dst in copies:
        log(f"{os.path.relpath(dst, dest_root)}:\n  replaced {describe(dst)}\n  with     {describe(src)}\n  from     {src}")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        tmp = dst + ".tmp"
        shutil.copyfile(src, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    log(f"shipped run {run.name} (golden vectors match its weights to {worst:.1e}); next: "
        "swift test --filter BeatNetTests")
    return copies


def main(argv=None):
    ap = argparse.ArgumentParser(prog="beatnet-ship", description=__doc__.split("\n")[0])
    ap.add_argument("run", help="run name under training/runs, or a run folder")
    ap.add_argument("--dest", help="root to ship into (default: the repository)")
    args = ap.parse_args(argv)
    paths = Paths.default()
    ship(Run.resolve(paths.runs, args.run), os.path.abspath(args.dest) if args.dest else paths.root)


if __name__ == "__main__":
    main()
