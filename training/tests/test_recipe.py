"""The distilled recipe's one command: what it asks of `beatnet-train`, when it reuses a teacher, and
that a failing step stops it."""
import sys

import pytest

from beatnet_training import config, recipe, runs
from beatnet_training.config import TrainConfig
from beatnet_training.runs import Run


def test_teachers_are_the_base_recipe_with_their_seeds():
    for seed in recipe.TEACHER_SEEDS:
        cfg, opts = config.parse(recipe.teacher_argv("d", 2, seed))
        base = TrainConfig()
        assert opts.name == f"d-teacher{seed}"
        assert cfg.folds == (2,) and cfg.fractions == () and not cfg.final and cfg.seed == seed
        # everything else is the base recipe's default
        assert cfg.epochs == base.epochs and cfg.lr == base.lr and cfg.many_leads == base.many_leads
        assert cfg.teachers == () and cfg.init == "" and cfg.anchor == ""
    assert len(set(recipe.TEACHER_SEEDS)) == 3


def test_the_fine_tune_distils_the_window_head_and_anchors_the_first_teacher():
    teachers = ["/r/a/fold0.safetensors", "/r/b/fold0.safetensors", "/r/c/fold0.safetensors"]
    cfg, opts = config.parse(recipe.student_argv("d", 0, teachers))
    assert opts.name == "d" and cfg.folds == (0,) and cfg.final_from_fold0 and cfg.exports_model
    assert cfg.teachers == tuple(teachers) and cfg.init == teachers[0] and cfg.anchor == teachers[0]
    assert cfg.distill_heads == ("window",) and cfg.anchor_heads == ("beat", "af")
    assert cfg.epochs == 10 and cfg.lr == 1e-3 and cfg.anchor_weight == 5
    # another fold is cross-validation only: nothing to ship
    cfg, _ = config.parse(recipe.student_argv("d", 3, teachers))
    assert cfg.folds == (3,) and not cfg.final_from_fold0 and not cfg.exports_model


def test_a_teacher_is_reused_only_when_complete_with_the_same_command(tmp_path):
    argv = recipe.train_argv(recipe.teacher_argv("d", 0, 2017), str(tmp_path))
    run = Run.create(str(tmp_path), "d-teacher2017")
    run.start({}, ["beatnet-train", *argv], str(tmp_path))
    assert not recipe.reusable(run, argv, 0)                     # still running
    open(run.file(runs.fold_weights(0)), "wb").write(b"x")
    run.finish({"fold0": runs.fold_weights(0)}, 1)
    assert recipe.reusable(run, argv, 0)
    other = recipe.train_argv(recipe.teacher_argv("d", 0, 3017), str(tmp_path))
    assert not recipe.reusable(run, other, 0)                    # another seed
    assert not recipe.reusable(run, argv, 1)                     # no fold-1 model


def test_steps_run_in_parallel_and_a_failure_stops_the_recipe(tmp_path):
    ok = [([sys.executable, "-c", f"open({str(tmp_path / f'{k}.done')!r}, 'w')"], str(tmp_path / f"{k}.out"))
          for k in range(3)]
    recipe.run_all(ok, 2, str(tmp_path), lambda *a: None)
    assert sorted(p.name for p in tmp_path.glob("*.done")) == ["0.done", "1.done", "2.done"]
    bad = ok[:1] + [([sys.executable, "-c", "print('boom'); raise SystemExit(3)"], str(tmp_path / "bad.out"))]
    with pytest.raises(SystemExit, match="exited 3"):
        recipe.run_all(bad, 2, str(tmp_path), lambda *a: None)
    assert open(tmp_path / "bad.out").read() == "boom\n"


def test_the_base_is_the_checkpoint_on_fold_0_only(tmp_path):
    root = str(tmp_path)
    (tmp_path / "training" / "checkpoints").mkdir(parents=True)
    checkpoint = tmp_path / recipe.BASE_CHECKPOINT
    checkpoint.write_bytes(b"w")
    assert recipe.resolve_base(None, 0, root) == str(checkpoint)
    assert recipe.resolve_base(None, 1, root) is None              # other folds train their own base
    assert recipe.resolve_base("none", 0, root) is None
    with pytest.raises(SystemExit, match="trained on fold 2"):
        recipe.resolve_base(str(checkpoint), 2, root)
    with pytest.raises(SystemExit, match="no such weights file"):
        recipe.resolve_base("missing.safetensors", 0, root)


def test_the_shipped_checkpoint_is_there():
    from beatnet_training.paths import Paths
    import os
    assert os.path.exists(os.path.join(Paths.default().root, recipe.BASE_CHECKPOINT))


def test_a_free_slot_is_filled_when_any_step_ends(tmp_path):
    """The long first step does not hold back the third: it starts when the short second one ends."""
    stamp = "import time; open({!r}, 'w').write(str(time.monotonic()))"
    slow = ([sys.executable, "-c", "import time; time.sleep(1.5); " + stamp.format(str(tmp_path / "slow"))], str(tmp_path / "a.out"))
    fast = ([sys.executable, "-c", stamp.format(str(tmp_path / "fast"))], str(tmp_path / "b.out"))
    third = ([sys.executable, "-c", stamp.format(str(tmp_path / "third"))], str(tmp_path / "c.out"))
    recipe.run_all([slow, fast, third], 2, str(tmp_path), lambda *a: None, poll_seconds=0.05)
    assert float((tmp_path / "third").read_text()) < float((tmp_path / "slow").read_text())
