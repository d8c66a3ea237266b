"""The PyTorch parts, on synthetic tokens (skipped where torch is not installed)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch not installed (pip install -r training/requirements.txt)")

from beatnet_training.batch import collate, predict  # noqa: E402
from beatnet_training.config import TrainConfig  # noqa: E402
from beatnet_training.export import export_weights  # noqa: E402
from beatnet_training.features import model_config, slice_features  # noqa: E402
from beatnet_training.model import BeatNet  # noqa: E402
from beatnet_training.train import train_model  # noqa: E402

from helpers import synthetic_tokens  # noqa: E402


def save(model, path):
    """A test model's weights file, with the shipped contract's config."""
    export_weights(model, path, {"trained_on": "test"}, model_config("relative", 0.0))


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
    logits, beat_logits, af_logits, att, beat_att, alpha = BeatNet().eval()(morph, logamp, lead, mask, rr, tm, valid,
                                                                              explain=True)
    assert logits.shape == (2, 4) and att.shape == (2, 32) and alpha.shape == (2, 32, 2)
    assert beat_logits.shape == (2, 32, 5) and af_logits.shape == (2, 32) and beat_att.shape == (2, 32, 32)
    # every beat's attention row is over the beats of its own window only
    assert torch.allclose(beat_att[0, :10, :10].sum(-1), torch.ones(10)) and beat_att[0, :10, 10:].abs().max() == 0


def test_training_is_deterministic_for_the_same_inputs():
    tokens, names, labels = dataset()
    cfg = TrainConfig(multilead=0.0, batch=4)
    a = train_model(tokens, names, labels, 1, 7, cfg, log=lambda *x: None)
    b = train_model(tokens, names, labels, 1, 7, cfg, log=lambda *x: None)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    p = predict(a, tokens, names + ["missing"])
    assert p.shape == (9, 4) and np.allclose(p.sum(1), 1, atol=1e-5) and p[-1].tolist() == [0, 0, 0, 1]


def labelled_set():
    """Beat-labelled synthetic records: every fourth beat early (S), a few wide late ones (V)."""
    rng = np.random.default_rng(5)
    sets = {}
    for i in range(3):
        tok = synthetic_tokens(rng, T=60, rr=0.8)
        tok["beat_label"] = np.where(np.arange(60) % 4 == 3, 1, 0)
        tok["beat_label"][::11] = 2
        tok["beat_label"][5] = -1                      # a false detection: no target
        tok["af_label"] = np.full(60, float(i == 2), np.float32)
        sets[f"lab/{i}"] = tok
    return sets


def test_the_beat_heads_train_on_labelled_beats_and_stay_deterministic():
    tokens, names, labels = dataset()
    cfg = TrainConfig(multilead=0.0, batch=4, labelled_windows=8)
    a = train_model(tokens, names, labels, 1, 7, cfg, log=lambda *x: None, labelled=labelled_set())
    b = train_model(tokens, names, labels, 1, 7, cfg, log=lambda *x: None, labelled=labelled_set())
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    untrained = BeatNet()
    assert not torch.equal(a.beat_head.weight, untrained.beat_head.weight)


def test_streaming_outputs_read_each_beat_at_the_label_lag():
    from beatnet_training.beat_eval import stream_outputs
    from beatnet_training.features import LABEL_LAG_BEATS, MAX_BEATS
    rng = np.random.default_rng(9)
    tok = synthetic_tokens(rng, T=50, rr=0.7)
    model = BeatNet().eval()
    beat_p, af_p = stream_outputs(model, tok, "relative")
    assert beat_p.shape == (50, 5) and np.allclose(beat_p.sum(1), 1, atol=1e-5) and af_p.shape == (50,)
    # beat 40 is read from the window of beats [40 + lag + 1 - 32, 40 + lag + 1)
    e = 40 + LABEL_LAG_BEATS + 1; s = e - MAX_BEATS
    x = collate([slice_features(tok, s, e)])
    with torch.no_grad():
        _, bl, al = model(*x)
    assert np.allclose(beat_p[40], torch.softmax(bl[0, 40 - s], -1).numpy(), atol=1e-5)
    assert np.isclose(af_p[40], torch.sigmoid(al[0, 40 - s]).item(), atol=1e-5)
    # the last beats are read from the last window
    x = collate([slice_features(tok, 50 - MAX_BEATS, 50)])
    with torch.no_grad():
        _, bl, _ = model(*x)
    assert np.allclose(beat_p[49], torch.softmax(bl[0, -1], -1).numpy(), atol=1e-5)


def test_masked_beat_pretraining_hides_rr_and_hands_back_a_beatnet_state():
    from beatnet_training.pretrain import hide_beats, pretrain
    rng = np.random.default_rng(4)
    rr = rng.normal(size=(3, 10, 8)).astype(np.float32)
    valid = np.ones((3, 10), bool); valid[2, 6:] = False
    hide, out = hide_beats(rr, valid, rng)
    assert hide.any(axis=1).all() and not (hide & ~valid).any()
    for b, t in zip(*np.nonzero(hide)):
        assert out[b, t, 0] == 0 and out[b, t, 1] == 0 and out[b, t, 3] == 1 and out[b, t, 4] == 1
        if t > 0:
            assert out[b, t - 1, 1] == 0 and out[b, t - 1, 4] == 1
    tokens = {f"r{i}": synthetic_tokens(rng, T=40) for i in range(3)}
    state = pretrain([tokens], 1, 3, "relative", crops_per_epoch=16, batch=8, log=lambda *a: None)
    model = BeatNet()
    model.load_state_dict(state)          # exactly BeatNet's tensors: the pretraining heads are left out
    assert not any(k.startswith("mbm") or k == "mask_token" for k in state)


def test_distillation_pulls_the_model_towards_its_teachers(tmp_path):
    """With a teacher that calls every window A, a model trained on its soft targets beside the labels
    gives A more probability than the same model trained on the labels alone."""
    tokens, names, labels = dataset()
    torch.manual_seed(11)
    teacher = BeatNet()
    with torch.no_grad():                                # a teacher with a strong opinion: always A
        teacher.head.bias.copy_(torch.tensor([-4.0, 6.0, -4.0, -4.0]))
    path = str(tmp_path / "teacher.safetensors")
    save(teacher, path)
    base = TrainConfig(multilead=0.0, batch=4, labelled_windows=0)
    plain = train_model(tokens, names, labels, 2, 7, base, log=lambda *x: None)
    distilled = train_model(tokens, names, labels, 2, 7, TrainConfig(multilead=0.0, batch=4, labelled_windows=0,
                                                                     teachers=(path,), distill=5.0),
                            log=lambda *x: None)
    p_plain, p_distilled = predict(plain, tokens, names), predict(distilled, tokens, names)
    assert p_distilled[:, 1].mean() > p_plain[:, 1].mean() + 0.1


def test_distillation_of_the_window_head_only_leaves_the_per_beat_heads_to_the_labels(tmp_path):
    """`distill_heads=("window",)`: the teachers' soft targets reach the window head and not the per-beat
    heads (whose p(AF) drives the alarms); the weights file loads back with its RR featurisation."""
    from beatnet_training.model import load_weights
    from beatnet_training.train import distillation_loss
    rng = np.random.default_rng(5)
    teacher = BeatNet()
    path = str(tmp_path / "teacher.safetensors")
    save(teacher, path)
    loaded, rr_mode = load_weights(path, frozen=True)
    assert rr_mode == "relative" and not any(p.requires_grad for p in loaded.parameters())
    x = list(collate([slice_features(synthetic_tokens(rng, T=20, L=2), 0, 20)], drop_morphology=[False]))
    student = BeatNet().train()

    def grads(heads):
        window_logits, beat_logits, af_logits = student(*x)
        for t in (window_logits, beat_logits, af_logits):
            t.retain_grad()
        distillation_loss([loaded], x, window_logits, beat_logits, af_logits,
                          TrainConfig(distill_heads=heads)).backward()
        return [0.0 if t.grad is None else t.grad.abs().sum().item() for t in (window_logits, beat_logits, af_logits)]

    window_only, every_head = grads(("window",)), grads(("window", "beat", "af"))
    assert window_only[0] > 0 and window_only[1] == 0 and window_only[2] == 0
    assert all(g > 0 for g in every_head)


def test_an_anchored_fine_tune_moves_the_window_head_and_keeps_the_per_beat_outputs(tmp_path):
    """`init` + `anchor` (the same model) + a window-only teacher that calls every window A: the window
    head moves towards A, and the per-beat p(AF) stays nearer the anchor's than without the anchor."""
    from beatnet_training.beat_eval import stream_outputs
    tokens, names, labels = dataset()
    torch.manual_seed(13)
    start, teacher = BeatNet(), BeatNet()
    with torch.no_grad():
        teacher.head.bias.copy_(torch.tensor([-4.0, 6.0, -4.0, -4.0]))
    start_path, teacher_path = str(tmp_path / "start.safetensors"), str(tmp_path / "teacher.safetensors")
    save(start, start_path)
    save(teacher, teacher_path)
    common = dict(multilead=0.0, batch=4, labelled_windows=0, init=start_path, teachers=(teacher_path,),
                  distill=5.0, distill_heads=("window",))
    quiet = lambda *x: None  # noqa: E731
    free = train_model(tokens, names, labels, 2, 7, TrainConfig(**common), log=quiet)
    anchored = train_model(tokens, names, labels, 2, 7, TrainConfig(**common, anchor=start_path, anchor_weight=20.0),
                           log=quiet)

    def af_drift(model):
        return np.mean([np.abs(stream_outputs(model, tokens[n], "relative")[1]
                               - stream_outputs(start.eval(), tokens[n], "relative")[1]).mean() for n in names])

    assert predict(anchored, tokens, names)[:, 1].mean() > predict(start, tokens, names)[:, 1].mean() + 0.1
    assert af_drift(anchored) < af_drift(free)


def test_a_head_only_refit_leaves_every_other_weight_and_the_per_beat_outputs_as_they_were(tmp_path):
    """`trainable=("head",)` with `init`: only the window head's weights move, so the per-beat
    class and p(AF) (the alarms) are the starting model's (every weight they depend on is unchanged;
    the outputs agree to float rounding)."""
    from beatnet_training.beat_eval import stream_outputs
    tokens, names, labels = dataset()
    torch.manual_seed(17)
    start = BeatNet()
    path = str(tmp_path / "start.safetensors")
    save(start, path)
    refit = train_model(tokens, names, labels, 2, 7, TrainConfig(multilead=0.0, batch=4, labelled_windows=0, init=path,
                                                                 trainable=("head",)), log=lambda *x: None)
    before, after = start.state_dict(), refit.state_dict()
    moved = {k for k in before if not torch.equal(before[k], after[k])}
    assert moved == {"head.weight", "head.bias"}
    for n in names:
        assert np.abs(stream_outputs(refit, tokens[n], "relative")[1] - stream_outputs(start, tokens[n], "relative")[1]).max() < 1e-6
