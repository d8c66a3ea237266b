"""A training run's folder, `training/runs/NAME/`: everything one run writes, and `run.json` saying
what it was (config, command, versions) and whether it finished.

    run.json                      manifest: status running|complete|failed, config, outputs, timings
    train.log                     the run's log (also printed)
    metrics.json                  scores: CV folds, pooled CV, data efficiency, final model
    fold{K}.safetensors           each CV fold's model
    beatnet.safetensors           the model to ship (final model, or fold 0's with --final-from-fold0)
    beatnet-golden.safetensors    its golden vectors (Fixtures/beatnet-golden.safetensors once shipped)
"""
import json
import os
import platform
import subprocess
import time

MANIFEST = "run.json"
LOG = "train.log"
METRICS = "metrics.json"
WEIGHTS = "beatnet.safetensors"
GOLDEN = "beatnet-golden.safetensors"


def fold_weights(k):
    return f"fold{k}.safetensors"


def timestamp_name():
    return time.strftime("%Y%m%d-%H%M%S")


def write_json(path, value):
    """Write JSON atomically (a reader never sees half a file)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def git_commit(root):
    try:
        out = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


class Run:
    """One run folder. `Run.create` makes a new one (refusing an existing one unless `overwrite`);
    `Run(path)` opens one to read."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self._log = None

    @classmethod
    def create(cls, runs_dir, name, overwrite=False):
        run = cls(os.path.join(runs_dir, name))
        if os.path.exists(run.path) and os.listdir(run.path):
            if not overwrite:
                raise SystemExit(f"run folder {run.path} exists (choose another --name, or --overwrite)")
            for f in os.listdir(run.path):
                p = os.path.join(run.path, f)
                if os.path.isfile(p):
                    os.remove(p)
        os.makedirs(run.path, exist_ok=True)
        return run

    @classmethod
    def resolve(cls, runs_dir, name_or_path):
        """A run by name (under `runs_dir`) or by path."""
        path = name_or_path if os.path.isdir(name_or_path) else os.path.join(runs_dir, name_or_path)
        return cls(path)

    @property
    def name(self):
        return os.path.basename(self.path)

    def file(self, name):
        return os.path.join(self.path, name)

    @property
    def manifest_path(self):
        return self.file(MANIFEST)

    def manifest(self):
        return read_json(self.manifest_path) if os.path.exists(self.manifest_path) else None

    def start(self, config, argv, root):
        import numpy
        manifest = {"name": self.name, "status": "running", "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "command": list(argv), "config": config, "git_commit": git_commit(root),
                    "python": platform.python_version(), "numpy": numpy.__version__, "outputs": {}}
        try:
            import torch
            manifest["torch"] = torch.__version__
        except ImportError:
            pass
        write_json(self.manifest_path, manifest)
        return manifest

    def update(self, **fields):
        manifest = self.manifest()
        manifest.update(fields)
        write_json(self.manifest_path, manifest)
        return manifest

    def finish(self, outputs, seconds):
        """Mark the run complete; `outputs` maps roles (weights, golden, metrics, log) to file names."""
        missing = [f for f in outputs.values() if not os.path.exists(self.file(f))]
        if missing:
            raise SystemExit(f"run {self.path}: outputs missing: {missing}")
        return self.update(status="complete", finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                           total_seconds=seconds, outputs=outputs)

    def fail(self, error):
        if os.path.exists(self.manifest_path):
            self.update(status="failed", error=error)

    def problems(self, need=("weights", "golden")):
        """Why this run cannot be shipped (empty list: it can)."""
        manifest = self.manifest()
        if manifest is None:
            return [f"no {MANIFEST} in {self.path} (not a run folder)"]
        out = []
        if manifest.get("status") != "complete":
            out.append(f"status is {manifest.get('status')!r}, not 'complete'")
        outputs = manifest.get("outputs", {})
        for role in need:
            if role not in outputs:
                out.append(f"the run wrote no {role} file (e.g. --final 0)")
            elif not os.path.exists(self.file(outputs[role])):
                out.append(f"{role} file {outputs[role]} is missing")
        return out

    # ---------------------------------------------------------------- log

    def log(self, *args):
        """print() to stdout and to train.log."""
        line = " ".join(str(a) for a in args)
        print(line, flush=True)
        if self._log is None:
            self._log = open(self.file(LOG), "a")
        self._log.write(line + "\n")
        self._log.flush()

    def close(self):
        if self._log is not None:
            self._log.close()
            self._log = None


def print_log(*args):
    print(*args, flush=True)

