"""Independent NumPy forward pass of BEAT-Net from the exported weights, written from docs/model.md,
checked against the golden vectors (what the Swift parity test does). NumPy only.

    beatnet-check-golden                 the shipped weights vs Fixtures/beatnet-golden.safetensors
    beatnet-check-golden RUN             a run folder's weights vs its golden vectors
    beatnet-check-golden --weights W --golden G
"""
import argparse
import json

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

from .paths import Paths
from .runs import GOLDEN, WEIGHTS, Run

TOLERANCE = 1e-4


def conv1d(x, w, b, stride, pad):            # x [C, N], w [O, C, K]
    C, N = x.shape
    O, _, K = w.shape
    xp = np.pad(x, ((0, 0), (pad, pad)))
    n_out = (N + 2 * pad - K) // stride + 1
    out = np.empty((O, n_out), np.float32)
    for i in range(n_out):
        out[:, i] = np.tensordot(w, xp[:, i * stride:i * stride + K], axes=([1, 2], [0, 1])) + b
    return out


def layer_norm(x, g, b, eps=1e-5):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def forward(P, morph, logamp, lead_id, mask, rr, time, periods):
    T, L, _ = morph.shape
    lin = lambda x, n: x @ P[n + ".weight"].T + P[n + ".bias"]
    e = np.zeros((T, L, 32), np.float32)
    for t in range(T):
        for l in range(L):
            x = morph[t, l][None]
            x = np.maximum(conv1d(x, P["enc.conv1.weight"], P["enc.conv1.bias"], 2, 3), 0)
            x = np.maximum(conv1d(x, P["enc.conv2.weight"], P["enc.conv2.bias"], 2, 2), 0)
            x = np.maximum(conv1d(x, P["enc.conv3.weight"], P["enc.conv3.bias"], 2, 2), 0).reshape(-1)  # [32*12]
            e[t, l] = lin(np.concatenate([x, [logamp[t, l]]]), "enc.proj")
    h = e + P["lead_embedding"][lead_id]
    s = lin(np.tanh(lin(h, "spatial.proj")), "spatial.score")[..., 0]
    alpha = np.zeros((T, L), np.float32)
    z = np.zeros((T, 32), np.float32)
    for t in range(T):
        m = mask[t].astype(bool)
        if m.any():
            a = np.zeros(L); a[m] = softmax(s[t, m]); alpha[t] = a
            z[t] = (a[:, None] * h[t]).sum(0)
        else:
            z[t] = P["no_morphology"]
    ang = 2 * np.pi * time[:, None] / np.asarray(periods)[None]
    pe = np.stack([np.sin(ang), np.cos(ang)], -1).reshape(T, 32)
    x = np.concatenate([P["cls"][None], z + lin(rr, "rr_proj") + pe])
    for i in range(2):
        p = f"temporal.layers.{i}."
        y = layer_norm(x, P[p + "norm1.weight"], P[p + "norm1.bias"])
        qkv = y @ P[p + "self_attn.in_proj_weight"].T + P[p + "self_attn.in_proj_bias"]
        q, k, v = qkv[:, :32], qkv[:, 32:64], qkv[:, 64:]
        heads, att = [], []
        for hh in range(2):
            sl = slice(16 * hh, 16 * hh + 16)
            w = softmax(q[:, sl] @ k[:, sl].T / 4.0)
            att.append(w); heads.append(w @ v[:, sl])
        x = x + lin(np.concatenate(heads, -1), p + "self_attn.out_proj")
        y = layer_norm(x, P[p + "norm2.weight"], P[p + "norm2.bias"])
        x = x + lin(np.maximum(lin(y, p + "linear1"), 0), p + "linear2")
    a = (att[0] + att[1]) / 2
    a = a[:, 1:] / a[:, 1:].sum(-1, keepdims=True)
    y = layer_norm(x, P["final_norm.weight"], P["final_norm.bias"])
    beat_p = softmax(lin(y[1:], "beat_head"))
    beat_af = 1 / (1 + np.exp(-lin(y[1:], "af_head")[:, 0]))
    return softmax(lin(y[0], "head")), a[0], alpha, beat_p, beat_af, a[1:]


def check(weights, golden, log=print):
    """The largest difference between the NumPy forward pass of `weights` and the outputs stored in
    `golden` (probabilities, beat attention, lead weights, the per-beat heads and attention rows) over every case."""
    P = {k: v.astype(np.float64) for k, v in load_file(weights).items()}
    with safe_open(weights, "np") as f:
        periods = json.loads(f.metadata()["pe_periods_seconds"])
    G = load_file(golden)
    cases = sorted({k.split(".")[0] for k in G})
    worst = 0.0
    for c in cases:
        p, a, al, bp, baf, ba = forward(P, G[c + ".morphology"].astype(np.float64), G[c + ".log_amplitude"], G[c + ".lead_id"],
                           G[c + ".lead_mask"], G[c + ".rr_features"], G[c + ".time"], periods)
        d = max(np.abs(p - G[c + ".probabilities"]).max(), np.abs(a - G[c + ".beat_attention"]).max(),
                np.abs(al - G[c + ".lead_weights"]).max(), np.abs(bp - G[c + ".beat_probabilities"]).max(),
                np.abs(baf - G[c + ".beat_af"]).max(), np.abs(ba - G[c + ".beat_attention_rows"]).max())
        worst = max(worst, d)
        log(f"{c}: T={G[c + '.time'].shape[0]} L={G[c + '.lead_mask'].shape[1]} p={np.round(p, 4).tolist()} max |diff| {d:.2e}")
    return worst


def main(argv=None):
    ap = argparse.ArgumentParser(prog="beatnet-check-golden", description=__doc__.split("\n")[0])
    ap.add_argument("run", nargs="?", help="a run (name under training/runs, or a folder): its weights and golden vectors")
    ap.add_argument("--weights", help="weights file (default: the shipped one)")
    ap.add_argument("--golden", help="golden vectors (default: Fixtures/beatnet-golden.safetensors)")
    args = ap.parse_args(argv)
    paths = Paths.default()
    if args.run:
        run = Run.resolve(paths.runs, args.run)
        weights, golden = args.weights or run.file(WEIGHTS), args.golden or run.file(GOLDEN)
    else:
        weights, golden = args.weights or paths.shipped_weights, args.golden or paths.shipped_golden
    print(f"weights {weights}\ngolden  {golden}")
    worst = check(weights, golden)
    print(f"worst {worst:.2e}: {'OK' if worst < TOLERANCE else 'MISMATCH'}")
    raise SystemExit(0 if worst < TOLERANCE else 1)


if __name__ == "__main__":
    main()
