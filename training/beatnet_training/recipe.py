"""The distilled recipe as one command: a base model and two more of the base recipe (`beatnet-train`
defaults, seeds 3017 and 4017) on one CV fold, then a short fine-tune of the base that learns the
three's mean window probabilities while an anchor (the base itself) keeps its per-beat heads, which the
alarms and the beat labels read, where they were (docs/model-training.md, "The distilled recipe").

    python3 -m beatnet_training.recipe --name shipped              # fold 0, base: the v4 checkpoint (~1 h on 2 cores)
    python3 -m beatnet_training.ship shipped                       # then, explicitly
    python3 -m beatnet_training.recipe --name d1 --fold 1 --base none   # another fold, for cross-validation

The base is `--base FILE` (fold 0's default: training/checkpoints/v4-fold0.safetensors, the model
shipped from session 6 to 10, trained on CV folds 1-4) or, with `--base none`, a third model of the
base recipe (seed 2017) trained here. The runs are NAME-teacherSEED and NAME (the fine-tune; on fold 0
it also writes the weights to ship). Teachers train `--jobs` at a time (2: one per core). A teacher
run that is already complete with the same command is reused, so an interrupted recipe resumes; any
other run of those names is trained again.
"""
import argparse
import os
import subprocess
import sys
import time

from .paths import Paths
from .runs import Run, fold_weights, print_log

TEACHER_SEEDS = (2017, 3017, 4017)
# The base of fold 0's recipe: a fixed checkpoint (trained on folds 1-4 from tokens of an older
# detector build, so no command here remakes it bit for bit; docs/model-training.md).
BASE_CHECKPOINT = os.path.join("training", "checkpoints", "v4-fold0.safetensors")
BASE_CHECKPOINT_FOLD = 0
# The fine-tune: 10 epochs at a tenth of the base recipe's peak rate, the teachers' window head only,
# the anchor's per-beat heads (beat class and p(AF)) at 5x weight so that the beat labels do not drift.
FINE_TUNE = ("--epochs", "10", "--lr", "1e-3", "--distill-heads", "window", "--anchor-weight", "5")


def teacher_name(name, seed):
    return f"{name}-teacher{seed}"


def teacher_argv(name, fold, seed):
    """`beatnet-train` arguments of one teacher: the base recipe on `fold`, CV only."""
    return ["--name", teacher_name(name, seed), "--folds", str(fold), "--fractions", "", "--final", "0",
            "--seed", str(seed)]


def student_argv(name, fold, teachers):
    """`beatnet-train` arguments of the fine-tune of `teachers[0]` towards the mean of `teachers`."""
    argv = ["--name", name, "--folds", str(fold), "--fractions", "", "--final", "0"]
    if fold == 0:
        argv.append("--final-from-fold0")
    return argv + ["--teachers", ",".join(teachers), "--init", teachers[0], "--anchor", teachers[0], *FINE_TUNE]


def train_argv(argv, runs_dir):
    """The whole `beatnet-train` argument list: `argv`, the runs folder, and --overwrite (a partial run
    of that name is trained again)."""
    return [*argv, *(["--runs-dir", runs_dir] if runs_dir else []), "--overwrite"]


def reusable(run, argv, fold):
    """True when `run` completed the same `beatnet-train` arguments (`train_argv`) and kept its fold model."""
    manifest = run.manifest()
    return (manifest is not None and manifest.get("status") == "complete"
            and manifest.get("command", [])[1:] == list(argv)
            and os.path.exists(run.file(fold_weights(fold))))


def prepare(paths):
    """Builds beatmon once and fills the token caches once, before runs in parallel would each try."""
    from .beat_eval import EvaluationSets
    from .labelled import training_sets
    from .tokens import ensure_beatmon, export_tokens
    from .train import cinc2017_records
    ensure_beatmon(paths)
    names, _ = cinc2017_records(paths)
    export_tokens(paths, [os.path.join(paths.data, "cinc2017", n) for n in names],
                  os.path.join(paths.cache, "cinc2017-tokens"))
    training_sets(paths)
    EvaluationSets.load(paths)


def run_all(commands, jobs, cwd, log, poll_seconds=2.0):
    """Run the commands `jobs` at a time, each one's output to its own file, starting the next as soon
    as any finishes; raise once all have ended if any failed."""
    pending, running, failed = list(commands), [], []
    while pending or running:
        while pending and len(running) < jobs:
            command, out = pending.pop(0)
            log(f"start: {' '.join(command[1:])} (output {out})")
            with open(out, "w") as sink:     # the child keeps its own descriptor
                running.append((subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT),
                                command, out))
        done = [r for r in running if r[0].poll() is not None]
        if not done:
            time.sleep(poll_seconds)
        for process, command, out in done:
            running.remove((process, command, out))
            if process.returncode != 0:
                failed.append(f"{' '.join(command[1:])} exited {process.returncode} (see {out})")
    if failed:
        raise SystemExit("recipe step failed:\n  " + "\n  ".join(failed))


def resolve_base(base, fold, root):
    """The base weights file (absolute), or None to train one. The checkpoint is fold 0's default and
    only fold 0's: it trained on the other folds, so it would have seen their test records."""
    if base is None:
        base = BASE_CHECKPOINT if fold == BASE_CHECKPOINT_FOLD else "none"
    if base == "none":
        return None
    path = base if os.path.isabs(base) else os.path.join(root, base)
    if not os.path.exists(path):
        raise SystemExit(f"--base {base}: no such weights file ({path})")
    if os.path.samefile(path, os.path.join(root, BASE_CHECKPOINT)) and fold != BASE_CHECKPOINT_FOLD:
        raise SystemExit(f"--base {base}: that checkpoint trained on fold {fold}'s records; use --base none")
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", required=True, help="the fine-tune's run name; teachers are NAME-teacherSEED")
    ap.add_argument("--fold", type=int, default=0, help="the CV fold (0: also the model to ship)")
    ap.add_argument("--base", default=None,
                    help="the base model (first teacher, start and anchor): a weights file, or 'none' to train "
                         f"one (seed {TEACHER_SEEDS[0]}); default {BASE_CHECKPOINT} on fold {BASE_CHECKPOINT_FOLD}, "
                         "none on the others")
    ap.add_argument("--jobs", type=int, default=2, help="teachers trained at once (one per core)")
    ap.add_argument("--runs-dir", default=None, help="where run folders go (default training/runs)")
    opts = ap.parse_args(argv)
    paths = Paths.default(runs=opts.runs_dir)
    cwd = os.path.join(paths.root, "training")
    os.makedirs(paths.runs, exist_ok=True)

    base = resolve_base(opts.base, opts.fold, paths.root)
    prepare(paths)
    os.environ["BEATMON"] = paths.beatmon      # the runs use the binary just built
    train = [sys.executable, "-m", "beatnet_training.train"]
    teachers, commands = ([base] if base else []), []
    for seed in TEACHER_SEEDS[1:] if base else TEACHER_SEEDS:
        targv = train_argv(teacher_argv(opts.name, opts.fold, seed), opts.runs_dir)
        run = Run.resolve(paths.runs, teacher_name(opts.name, seed))
        teachers.append(run.file(fold_weights(opts.fold)))
        if reusable(run, targv, opts.fold):
            print(f"teacher {run.name}: complete, reused", flush=True)
        else:
            commands.append(([*train, *targv], os.path.join(paths.runs, f"{run.name}.out")))
    run_all(commands, max(opts.jobs, 1), cwd, print_log)
    sargv = train_argv(student_argv(opts.name, opts.fold, teachers), opts.runs_dir)
    run_all([([*train, *sargv], os.path.join(paths.runs, f"{opts.name}.out"))], 1, cwd, print_log)
    print(f"recipe complete: {Run.resolve(paths.runs, opts.name).path}"
          + (f"; ship it with `beatnet-ship {opts.name}`" if opts.fold == 0 else ""), flush=True)


if __name__ == "__main__":
    main()
