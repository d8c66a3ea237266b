"""Random-weight reference for the Swift BeatNet parity test, written from docs/model.md alone.

Builds BEAT-Net with seeded random weights, makes windows of raw token values (RR with gaps,
quality bits, lead slots, amplitudes, morphology), featurises them as docs/model.md says, runs the
PyTorch model in eval mode, and writes everything to beatnet-reference.safetensors beside this
script: the weights under their state_dict names, and per case `case{i}.*` raw tokens, features
and outputs. When training/beatnet_training is importable, its featurisation and model are checked
against this one on the same weights first.

    pip install torch==2.13.0+cpu safetensors numpy
    python3 Tests/BeatNetTests/Reference/make_reference.py
"""
import json
import math
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn

D, W = 32, 96
PERIODS = [0.25 * 2.0 ** (k / 2.0) for k in range(16)]
HERE = os.path.dirname(os.path.abspath(__file__))


def featurise(rr, quality, lead_id, amplitude):
    """docs/model.md "Input": RR relative to the window's median (over the pooled present intervals; it also
    fills absent ones), ln(median), masks, quality bits, cumulative time."""
    present = np.isfinite(rr) & (rr > 0)
    median = float(np.median(rr[present])) if present.any() else 1.0
    filled = np.where(present, rr, median)
    feats = np.stack([np.log(filled[:, 0] / median), np.log(filled[:, 1] / median), np.full(len(rr), np.log(median)),
                      ~present[:, 0], ~present[:, 1], (quality & 1) != 0, (quality & 6) != 0,
                      (quality & 24) != 0], axis=1).astype(np.float64)
    time = np.concatenate([[0.0], np.cumsum(filled[1:, 0])])
    mask = (lead_id != 255) & (amplitude > 0)
    ids = np.where(lead_id > 12, 12, lead_id).astype(np.int64)
    log_amp = np.log(np.maximum(amplitude.astype(np.float64), 0.01))
    return feats.astype(np.float32), time.astype(np.float32), mask, ids, log_amp.astype(np.float32)


class Reference(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Module()
        self.enc.conv1 = nn.Conv1d(1, 8, 7, stride=2, padding=3)
        self.enc.conv2 = nn.Conv1d(8, 16, 5, stride=2, padding=2)
        self.enc.conv3 = nn.Conv1d(16, 32, 5, stride=2, padding=2)
        self.enc.proj = nn.Linear(32 * 12 + 1, D)   # every conv3 position (channel-major) + log amplitude
        self.lead_embedding = nn.Parameter(torch.randn(13, D) * 0.5)
        self.spatial = nn.Module()
        self.spatial.proj = nn.Linear(D, D)
        self.spatial.score = nn.Linear(D, 1)
        self.no_morphology = nn.Parameter(torch.randn(D) * 0.5)
        self.rr_proj = nn.Linear(8, D)
        self.cls = nn.Parameter(torch.randn(D) * 0.5)
        self.temporal = nn.Module()
        self.temporal.layers = nn.ModuleList([nn.TransformerEncoderLayer(
            D, 2, 64, dropout=0.1, activation="relu", batch_first=True, norm_first=True, layer_norm_eps=1e-5)
            for _ in range(2)])
        self.final_norm = nn.LayerNorm(D, eps=1e-5)
        self.head = nn.Linear(D, 4)
        self.beat_head = nn.Linear(D, 5)
        self.af_head = nn.Linear(D, 1)

    def forward(self, morphology, log_amplitude, lead_id, lead_mask, rr_features, time):
        """One window: morphology [T,L,96] ... time [T]. Returns probabilities, beat attention, α, each beat's
        EC57 class probabilities [T,5], its p(AF) [T] and its attention row over the beats [T,T]."""
        T, L = lead_mask.shape
        x = morphology.reshape(T * L, 1, W)
        for conv in (self.enc.conv1, self.enc.conv2, self.enc.conv3):
            x = torch.relu(conv(x))
        e = self.enc.proj(torch.cat([x.reshape(T * L, -1), log_amplitude.reshape(-1, 1)], -1)).reshape(T, L, D)
        h = e + self.lead_embedding[lead_id]
        score = self.spatial.score(torch.tanh(self.spatial.proj(h))).squeeze(-1)
        alpha = torch.zeros(T, L)
        z = torch.zeros(T, D)
        for t in range(T):
            if lead_mask[t].any():
                a = torch.softmax(score[t].masked_fill(~lead_mask[t], float("-inf")), -1)
                alpha[t] = a
                z[t] = (a.unsqueeze(-1) * h[t]).sum(0)
            else:
                z[t] = self.no_morphology
        angle = 2 * math.pi * time.unsqueeze(-1) / torch.tensor(PERIODS, dtype=torch.float32)
        pe = torch.stack([torch.sin(angle), torch.cos(angle)], -1).reshape(T, D)
        x = torch.cat([self.cls.reshape(1, D), z + self.rr_proj(rr_features) + pe]).unsqueeze(0)
        # Pad to 32 beats so the key padding mask is exercised, as a batch would be.
        pad = torch.zeros(1, 33, dtype=torch.bool)
        pad[0, T + 1:] = True
        x = torch.cat([x, torch.randn(1, 32 - T, D)], 1)
        for i, layer in enumerate(self.temporal.layers):
            if i == 1:
                y = layer.norm1(x)
                _, w = layer.self_attn(y, y, y, key_padding_mask=pad, need_weights=True, average_attn_weights=True)
                rows = w[0, :T + 1, 1:T + 1]
                rows = rows / rows.sum(-1, keepdim=True)
                att, beat_rows = rows[0], rows[1:]
            x = layer(x, src_key_padding_mask=pad)
        y = self.final_norm(x[0])
        probabilities = torch.softmax(self.head(y[0]), -1)
        beats = y[1:T + 1]
        return (probabilities, att, alpha, torch.softmax(self.beat_head(beats), -1),
                torch.sigmoid(self.af_head(beats)[:, 0]), beat_rows)


def make_case(rng, T, L, gaps=(), no_lead_beats=(), dropped=(), ids=None):
    rr = rng.uniform(0.4, 1.3, size=(T + 1,))
    rr2 = np.stack([rr[:-1], rr[1:]], 1)
    for t, side in gaps:
        rr2[t, side] = np.nan
    quality = rng.integers(0, 32, size=T).astype(np.uint8) * (rng.random(T) < 0.3)
    lead_id = np.tile(np.array(ids if ids is not None else rng.integers(0, 13, size=L), dtype=np.uint8), (T, 1))
    amplitude = rng.uniform(0.05, 2.5, size=(T, L)).astype(np.float32)
    for t, l in dropped:
        amplitude[t, l] = 0
    for t in no_lead_beats:
        amplitude[t, :] = 0
    morphology = np.tanh(rng.normal(size=(T, L, W)) * 0.8).astype(np.float32)
    return rr2.astype(np.float32), quality.astype(np.uint8), lead_id, amplitude, morphology


def main():
    torch.manual_seed(7)
    rng = np.random.default_rng(11)
    model = Reference().eval()
    cases = [
        make_case(rng, 32, 2, gaps=[(0, 0), (31, 1)], ids=[1, 6]),
        make_case(rng, 32, 1, gaps=[(0, 0), (10, 1), (11, 0)], ids=[1]),
        make_case(rng, 7, 3, gaps=[(0, 0), (3, 1), (4, 0)], no_lead_beats=[2], dropped=[(5, 1)], ids=[0, 12, 9]),
        make_case(rng, 1, 1, gaps=[(0, 0), (0, 1)], ids=[12]),
        make_case(rng, 20, 12, gaps=[(0, 0)], dropped=[(3, 4), (3, 5)], ids=list(range(12))),
        make_case(rng, 32, 2, gaps=[(t, s) for t in range(32) for s in (0, 1)], ids=[1, 6]),
    ]
    tensors = {name: value.detach().clone().contiguous() for name, value in model.state_dict().items()}
    trainer = None
    sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "training"))   # the package, installed or not
    try:
        from beatnet_training import features as trainer
        from beatnet_training.model import BeatNet as TrainerBeatNet
    except ImportError:
        print("training/beatnet_training not importable: reference only")
    if trainer is not None:
        other = TrainerBeatNet().eval()
        other.load_state_dict(tensors)
    with torch.no_grad():
        for i, (rr, quality, lead_id, amplitude, morphology) in enumerate(cases):
            feats, time, mask, ids, log_amp = featurise(rr.astype(np.float64), quality, lead_id, amplitude)
            inputs = [torch.from_numpy(morphology), torch.from_numpy(log_amp), torch.from_numpy(ids),
                      torch.from_numpy(mask), torch.from_numpy(feats), torch.from_numpy(time)]
            probabilities, attention, alpha, beat_p, beat_af, beat_rows = model(*inputs)
            if trainer is not None:
                theirs = trainer.window_features(rr, quality, lead_id, amplitude, morphology)
                for key, mine in [("rr_features", feats), ("time", time), ("lead_mask", mask), ("lead_id", ids),
                                  ("log_amplitude", log_amp)]:
                    assert np.array_equal(theirs[key], mine), key
                logits, beat_logits, af_logits, att2, rows2, alpha2 = other(*[t.unsqueeze(0) for t in inputs], explain=True)
                assert torch.allclose(torch.softmax(logits[0], -1), probabilities, atol=1e-6)
                assert torch.allclose(torch.softmax(beat_logits[0], -1), beat_p, atol=1e-6)
                assert torch.allclose(torch.sigmoid(af_logits[0]), beat_af, atol=1e-6)
                assert torch.allclose(rows2[0], beat_rows, atol=1e-6)
                assert torch.allclose(att2[0], attention, atol=1e-6)
                assert torch.allclose(alpha2[0], alpha, atol=1e-6)
            prefix = f"case{i}."
            tensors.update({
                prefix + "rr": torch.from_numpy(rr), prefix + "quality": torch.from_numpy(quality),
                prefix + "raw_lead_id": torch.from_numpy(lead_id), prefix + "amplitude": torch.from_numpy(amplitude),
                prefix + "morphology": torch.from_numpy(morphology), prefix + "log_amplitude": torch.from_numpy(log_amp),
                prefix + "lead_id": torch.from_numpy(ids), prefix + "lead_mask": torch.from_numpy(mask.astype(np.uint8)),
                prefix + "rr_features": torch.from_numpy(feats), prefix + "time": torch.from_numpy(time),
                prefix + "probabilities": probabilities, prefix + "beat_attention": attention,
                prefix + "lead_weights": alpha, prefix + "beat_probabilities": beat_p, prefix + "beat_af": beat_af,
                prefix + "beat_attention_rows": beat_rows,
            })
    print("cross-checked against training/beatnet_training" if trainer else "", len(cases), "cases")
    save_file(tensors, os.path.join(HERE, "beatnet-reference.safetensors"),
              metadata={"cases": str(len(cases)), "source": "Tests/BeatNetTests/Reference/make_reference.py",
                        "torch": torch.__version__, "periods": json.dumps(PERIODS)})


if __name__ == "__main__":
    main()
