"""The PyTorch parts, on synthetic tokens (skipped where torch is not installed)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch not installed (pip install -r training/requirements.txt)")

from beatnet_training.batch import collate, predict  # noqa: E402
from beatnet_training.config import TrainConfig  # noqa: E402
from beatnet_training.features import slice_features  # noqa: E402
from beatnet_training.model import BeatNet  # noqa: E402
from beatnet_training.train import train_model  # noqa: E402

from helpers import synthetic_tokens  # noqa: E402


def dataset():
    rng = np.random.default_rng(3)
    tokens = {f"r{i}": synthetic_tokens(rng, T=int(rng.integers(10, 50)), rr=0.5 + 0.1 * i) for i in range(8)}
    return tokens, list(tokens), np.arange(8) % 4


def test_collate_pads_to_the_longest_window():
    rng = np.random.default_rng(0)
    a, b = slice_features(synthetic_tokens(rng, T=10, L=1), 0, 10), slice_features(synthetic_tokens(rng, T=32, L=2), 0, 32)
    morph, logamp, lead, mask, rr, tm, valid = collate([a, b], drop_morphology=[True, False])
    assert morph.shape == (2, 32, 2, 96) and rr.shape == (2, 32, 8) and valid.shape == (2, 32)
    assert valid[0].sum() == 10 and valid[1].all() and not mask[0].any() and mask[1].all()
    logits, att, alpha = BeatNet().eval()(morph, logamp, lead, mask, rr, tm, valid, explain=True)
    assert logits.shape == (2, 4) and att.shape == (2, 32) and alpha.shape == (2, 32, 2)


def test_training_is_deterministic_for_the_same_inputs():
    tokens, names, labels = dataset()
    cfg = TrainConfig(multilead=0.0, batch=4)
    a = train_model(tokens, names, labels, 1, 7, cfg, log=lambda *x: None)
    b = train_model(tokens, names, labels, 1, 7, cfg, log=lambda *x: None)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    p = predict(a, tokens, names + ["missing"])
    assert p.shape == (9, 4) and np.allclose(p.sum(1), 1, atol=1e-5) and p[-1].tolist() == [0, 0, 0, 1]
