import json
import os
import shutil

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from beatnet_training import check_golden, runs, ship
from beatnet_training.paths import SHIPPED_GOLDEN, SHIPPED_WEIGHTS, Paths
from beatnet_training.runs import Run
from beatnet_training.scores import cinc_scores

PATHS = Paths.default()


def complete_run(tmp_path, name="r", weights=PATHS.shipped_weights, golden=PATHS.shipped_golden):
    """A run folder holding the shipped weights and golden vectors, as a finished run leaves it."""
    run = Run.create(str(tmp_path / "runs"), name)
    run.start({"epochs": 1}, ["beatnet-train"], PATHS.root)
    run.log("hello")
    shutil.copyfile(weights, run.file(runs.WEIGHTS))
    shutil.copyfile(golden, run.file(runs.GOLDEN))
    runs.write_json(run.file(runs.METRICS), {"folds": []})
    run.close()
    run.finish({"weights": runs.WEIGHTS, "golden": runs.GOLDEN, "metrics": runs.METRICS, "log": runs.LOG}, 1)
    return run


def test_run_folder_layout(tmp_path):
    run = complete_run(tmp_path)
    assert sorted(os.listdir(run.path)) == ["beatnet-golden.safetensors", "beatnet.safetensors", "metrics.json",
                                            "run.json", "train.log"]
    manifest = json.load(open(run.manifest_path))
    assert manifest["status"] == "complete" and manifest["outputs"]["weights"] == "beatnet.safetensors"
    assert open(run.file(runs.LOG)).read() == "hello\n"
    assert run.problems() == []
    assert Run.resolve(str(tmp_path / "runs"), "r").path == run.path


def test_run_folder_is_not_reused_silently(tmp_path):
    complete_run(tmp_path)
    with pytest.raises(SystemExit):
        Run.create(str(tmp_path / "runs"), "r")
    again = Run.create(str(tmp_path / "runs"), "r", overwrite=True)
    assert os.listdir(again.path) == []


def test_default_runs_folder_is_not_in_sources():
    assert PATHS.runs == os.path.join(PATHS.root, "training", "runs")
    assert not PATHS.runs.startswith(os.path.join(PATHS.root, "Sources"))


def test_ship_copies_a_complete_run_and_says_what_it_replaced(tmp_path):
    run = complete_run(tmp_path)
    dest = tmp_path / "dest"
    (dest / "Fixtures").mkdir(parents=True)
    (dest / SHIPPED_GOLDEN).write_bytes(b"old")
    lines = []
    ship.ship(run, str(dest), log=lines.append)
    assert (dest / SHIPPED_WEIGHTS).read_bytes() == open(PATHS.shipped_weights, "rb").read()
    assert (dest / SHIPPED_GOLDEN).read_bytes() == open(PATHS.shipped_golden, "rb").read()
    text = "\n".join(lines)
    assert "replaced (none)" in text and "replaced 3 bytes" in text and "trained_on=" in text


def test_ship_refuses_an_incomplete_run(tmp_path):
    run = Run.create(str(tmp_path / "runs"), "half")
    run.start({}, ["beatnet-train"], PATHS.root)
    shutil.copyfile(PATHS.shipped_weights, run.file(runs.WEIGHTS))
    with pytest.raises(SystemExit, match="status is 'running'"):
        ship.ship(run, str(tmp_path / "dest"))
    run.fail("KeyboardInterrupt")
    with pytest.raises(SystemExit, match="status is 'failed'"):
        ship.ship(run, str(tmp_path / "dest"))
    assert not (tmp_path / "dest").exists()


def test_ship_refuses_a_run_without_a_model_or_folder(tmp_path):
    run = Run.create(str(tmp_path / "runs"), "cv")
    run.start({}, ["beatnet-train"], PATHS.root)
    runs.write_json(run.file(runs.METRICS), {})
    run.finish({"metrics": runs.METRICS}, 1)
    with pytest.raises(SystemExit, match="no weights file"):
        ship.ship(run, str(tmp_path / "dest"))
    with pytest.raises(SystemExit, match="not a run folder"):
        ship.ship(Run(str(tmp_path / "nothing")), str(tmp_path / "dest"))


def test_ship_refuses_golden_vectors_of_other_weights(tmp_path):
    g = load_file(PATHS.shipped_golden)
    g["case0.probabilities"] = np.roll(g["case0.probabilities"], 1)
    bad = tmp_path / "bad-golden.safetensors"
    save_file(g, str(bad))
    run = complete_run(tmp_path, golden=str(bad))
    with pytest.raises(SystemExit, match="do not match"):
        ship.ship(run, str(tmp_path / "dest"))


def test_shipped_weights_match_the_golden_fixture():
    assert check_golden.check(PATHS.shipped_weights, PATHS.shipped_golden, log=lambda *a: None) < check_golden.TOLERANCE


def test_cinc_score():
    s = cinc_scores([0, 0, 1, 2, 3], [0, 1, 1, 2, 0])
    assert s["confusion"][0] == [1, 1, 0, 0] and s["F1_O"] == 1.0
    assert np.isclose(s["score"], np.mean([0.5, 2 / 3, 1.0]))
