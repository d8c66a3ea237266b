import numpy as np
import pytest

from beatnet_training.features import (CLASSES, CONFIG, MAX_BEATS, conducted_irregularity, eval_windows, model_config,
                                       record_label, slice_features, window_features)

from helpers import synthetic_tokens


def test_window_features_shapes_and_dtypes():
    tok = synthetic_tokens(np.random.default_rng(0), T=20, L=2)
    f = slice_features(tok, 0, 20)
    assert f["morphology"].shape == (20, 2, 96) and f["morphology"].dtype == np.float32
    assert f["log_amplitude"].shape == (20, 2) and f["log_amplitude"].dtype == np.float32
    assert f["lead_id"].shape == (20, 2) and f["lead_id"].dtype == np.int64
    assert f["lead_mask"].shape == (20, 2) and f["lead_mask"].dtype == bool
    assert f["rr_features"].shape == (20, 8) and f["rr_features"].dtype == np.float32
    assert f["time"].shape == (20,) and f["time"].dtype == np.float32


def test_relative_rr_features_follow_the_contract():
    rr = np.array([[np.nan, 1.0], [1.0, 0.5], [0.5, np.nan]])
    lead = np.array([[12], [255], [3]], np.uint8)
    amp = np.array([[1.0], [1.0], [0.0]], np.float32)
    f = window_features(rr, np.array([0, 0b00010, 0b01000], np.uint8), lead, amp, np.zeros((3, 1, 96)))
    median = np.median([1.0, 1.0, 0.5, 0.5])
    r = f["rr_features"]
    assert r[0, 0] == 0 and r[0, 3] == 1                      # absent previous RR: filled with the median, masked
    assert np.isclose(r[1, 1], np.log(0.5 / median)) and np.isclose(r[1, 2], np.log(median))
    assert r[1].tolist()[5:] == [0, 1, 0] and r[2].tolist()[5:] == [0, 0, 1]
    assert np.allclose(f["time"], [0, 1.0, 1.5])
    assert f["lead_mask"][:, 0].tolist() == [True, False, False]   # empty slot; zero amplitude
    assert f["lead_id"][:, 0].tolist() == [12, 12, 3]


def test_absolute_rr_mode_is_a_parameter_not_a_global():
    tok = synthetic_tokens(np.random.default_rng(1), T=10)
    rel, ab = slice_features(tok, 0, 10), slice_features(tok, 0, 10, rr_mode="absolute")
    assert np.isclose(ab["rr_features"][1, 0], np.log(tok["rr"][1, 0]))
    assert not np.allclose(rel["rr_features"][:, :3], ab["rr_features"][:, :3])
    assert np.array_equal(slice_features(tok, 0, 10)["rr_features"], rel["rr_features"])
    with pytest.raises(ValueError):
        slice_features(tok, 0, 10, rr_mode="log")


def test_eval_windows_cover_every_beat():
    assert eval_windows(5) == [(0, 5)]
    assert eval_windows(MAX_BEATS) == [(0, MAX_BEATS)]
    w = eval_windows(45)
    assert w[0] == (0, 32) and w[-1] == (13, 45) and all(e - s == 32 for s, e in w)


def test_model_config_leaves_config_alone():
    before = dict(CONFIG)
    c = model_config("relative", 0.5)
    assert list(c)[-2:] == ["multilead_augmentation", "rr_mode"] and c["multilead_augmentation"] == 0.5
    assert "multilead_augmentation" not in model_config("absolute", 0.0)
    assert CONFIG == before


def test_conducted_irregularity_mirrors_the_swift_rule():
    # Sources/RhythmAnalysis/ConductedRhythmRegularity.swift's test case: sinus at 0.8 s with one PAC.
    rr = [np.nan, 0.80, 0.82, 0.50, 1.10, 0.80, 0.84]
    with_pac = [0, 0, 0, 1, 0, 0, 0]
    assert conducted_irregularity(rr, with_pac) == pytest.approx(0.02 / 0.81, abs=1e-12)
    assert conducted_irregularity(rr, [0] * 7) > 0.05
    assert conducted_irregularity([np.nan, 0.8, 0.5, 1.1, 0.8, np.nan], [0, 0, 2, 0, 0, 0]) is None


def test_record_label_overrules_af_only_for_a_regular_rhythm():
    a, n, o = CLASSES.index("A"), CLASSES.index("N"), CLASSES.index("O")
    p = np.array([0.003, 0.83, 0.081, 0.082])   # A, then ~ above O: a regular rhythm becomes O, never ~
    assert record_label(p, 0.005) == o
    assert record_label(p, 0.2) == a
    assert record_label(p, None) == a
    assert record_label(np.array([0.3, 0.6, 0.1, 0.0]), 0.01) == n
    assert record_label(np.array([0.1, 0.2, 0.7, 0.0]), 0.01) == o


def test_record_label_overrules_af_where_the_beats_say_otherwise():
    n, a, o = CLASSES.index("N"), CLASSES.index("A"), CLASSES.index("O")
    p = np.array([0.05, 0.6, 0.3, 0.05])
    assert record_label(p, 0.2, beat_af=0.1) == o
    assert record_label(p, 0.2, beat_af=0.35) == a
    assert record_label(p, None, beat_af=None) == a
    assert record_label(np.array([0.3, 0.6, 0.1, 0.0]), None, beat_af=0.0) == n
