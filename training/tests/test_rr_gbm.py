import numpy as np
import pytest

from beatnet_training.rr_gbm import FEATURES, rr_features, sample_entropy


def tokens_of(rr):
    return {"rr": np.stack([np.asarray(rr, np.float64), np.full(len(rr), np.nan)], 1)}


def test_regular_rhythm_has_no_dispersion():
    f = dict(zip(FEATURES, rr_features(tokens_of([0.8] * 30))))
    assert f["beats"] == 30 and np.isclose(f["mean_rr"], 0.8)
    for k in ("sd_rr", "cv_rr", "rmssd_rel", "pnn20", "pnn50", "sd1_rel", "sample_entropy", "turning_points"):
        assert f[k] == pytest.approx(0, abs=1e-12), k


def test_irregular_rhythm_scores_higher_on_every_dispersion_feature():
    rng = np.random.default_rng(0)
    sinus = 0.8 + 0.01 * np.sin(np.arange(40) / 3)
    af = rng.uniform(0.4, 1.1, 40)
    s, a = dict(zip(FEATURES, rr_features(tokens_of(sinus)))), dict(zip(FEATURES, rr_features(tokens_of(af))))
    for k in ("cv_rr", "rmssd_rel", "pnn50", "sd1_rel", "sd1_sd2", "sample_entropy", "turning_points"):
        assert a[k] > s[k], k


def test_too_few_intervals_and_missing_tokens_give_zeros():
    assert not rr_features(None).any()
    assert not rr_features(tokens_of([0.8, np.nan, 0.9])).any()
    assert rr_features(None).shape == (16,)


def test_sample_entropy_of_a_period_two_sequence_is_zero():
    # every template of length 2 and 3 repeats exactly: A ~ B, SampEn ~ -ln 1
    assert sample_entropy(np.tile([0.6, 1.0], 20)) == pytest.approx(0.0, abs=0.02)
