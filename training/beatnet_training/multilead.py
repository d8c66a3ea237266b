"""Two-lead training windows for the spatial stage (docs/model-training.md, "Multi-lead augmentation").

cinc2017 has one lead, and a softmax over one lead is 1 whatever the scores: the lead-attention
pooling (`spatial.proj`, `spatial.score`) gets no gradient from it. This makes two-lead windows from
single-lead ones: the recorded lead, and a second copy of it with real noise from the MIT-BIH Noise
Stress Test DB (`../shared/data/nstdb`: electrode motion, muscle, baseline wander) added at a random
SNR, re-tokenised the way `BeatTokenizer` does (baseline = window median, divided by the largest
remaining deviation, that deviation the amplitude). Slot order is random, so the model must learn
from the morphology which lead to trust, not from its position. Noise is cut from the first 20 min
of each noise record only (the nst tool's convention leaves the rest for testing).
"""
import os

import numpy as np
from scipy.signal import resample_poly

NOISE_RECORDS = ("em", "ma", "bw")
MORPHOLOGY_RATE = 100


def load_noise(data_dir):
    """nstdb noise at 100 Hz in mV, one array per record and channel (first 20 minutes)."""
    import wfdb
    pieces = []
    for name in NOISE_RECORDS:
        path = os.path.join(data_dir, "nstdb", name)
        record = wfdb.rdrecord(path, sampto=int(20 * 60 * 360))
        for channel in range(record.p_signal.shape[1]):
            x = record.p_signal[:, channel].astype(np.float64)
            # 360 Hz -> 100 Hz (18:5), the tokenizer's morphology rate.
            pieces.append(resample_poly(x - np.median(x), 5, 18))
    return pieces


def add_noisy_lead(morph, logamp, lead, mask, valid, noise, rng, p, snr_db=(-6.0, 12.0)):
    """With probability p per window, turn a one-lead window into two leads: the original and a
    noisy copy (random SNR in `snr_db`, noise from `noise`), in random slot order, each slot with
    its own random lead id 0...12. Arrays are the collated numpy batch: morph [B,T,L,96],
    logamp/lead/mask [B,T,L], valid [B,T]. Returns new arrays with L = max(L, 2)."""
    B, T, L, W = morph.shape
    pick = rng.random(B) < p
    if not pick.any():
        return morph, logamp, lead, mask
    L2 = max(L, 2)
    if L2 > L:
        morph = np.concatenate([morph, np.zeros((B, T, L2 - L, W), np.float32)], axis=2)
        logamp = np.concatenate([logamp, np.full((B, T, L2 - L), np.log(0.01), np.float32)], axis=2)
        lead = np.concatenate([lead, np.full((B, T, L2 - L), 12, lead.dtype)], axis=2)
        mask = np.concatenate([mask, np.zeros((B, T, L2 - L), bool)], axis=2)
    for b in np.nonzero(pick)[0]:
        # Only windows whose second slot is empty (single-lead records).
        if mask[b, :, 1].any() or not mask[b, :, 0].any():
            continue
        piece = noise[rng.integers(len(noise))]
        snr = rng.uniform(*snr_db)
        start = rng.integers(0, len(piece) - T * W)
        n = piece[start:start + T * W].reshape(T, W)
        rms = np.sqrt(np.mean(n ** 2)) + 1e-9
        amp = np.exp(logamp[b, :, 0]).astype(np.float64)                 # each beat's amplitude, mV
        # SNR as the nst tool states it: signal amplitude over noise RMS, in dB.
        scale = amp[:, None] / rms * 10 ** (-snr / 20)
        signal = morph[b, :, 0].astype(np.float64) * amp[:, None] + n * scale
        signal -= np.median(signal, axis=1, keepdims=True)
        new_amp = np.maximum(np.abs(signal).max(axis=1), 1e-6)
        noisy = (signal / new_amp[:, None]).astype(np.float32)
        present = mask[b, :, 0] & valid[b]
        clean_slot = rng.integers(2)
        noisy_slot = 1 - clean_slot
        original = morph[b, :, 0].copy(), logamp[b, :, 0].copy()
        morph[b, :, clean_slot], logamp[b, :, clean_slot] = original
        morph[b, :, noisy_slot] = noisy
        logamp[b, :, noisy_slot] = np.log(np.maximum(new_amp, 0.01)).astype(np.float32)
        ids = rng.choice(13, size=2, replace=False)
        lead[b, :, 0], lead[b, :, 1] = ids[0], ids[1]
        mask[b, :, 0] = present
        mask[b, :, 1] = present
    return morph, logamp, lead, mask


def add_derived_leads(morph, logamp, lead, mask, valid, noise, rng, slots, snr_db=(0.0, 24.0)):
    """Widens a batch to `slots` lead slots (12-lead recordings at inference; no training set here has
    more than two). Each window keeps its recorded leads; every other slot gets a derived lead made
    from them, in mV: one recorded lead or (where there are two) a random mix a·L1 + b·L2 (a, b in
    -1...1, as limb and augmented leads are sums of electrode pairs), inverted with probability 0.4
    (aVR, and V1 against lead II), shifted by -2...2 samples, with nstdb noise at a random SNR in half
    the slots; then re-tokenised as `add_noisy_lead` does and put in a random slot order with
    distinct random lead ids 0...11. Arrays as `add_noisy_lead`'s; returns new arrays with L = slots."""
    B, T, L, W = morph.shape
    if slots <= L:
        return morph, logamp, lead, mask
    out_m = np.zeros((B, T, slots, W), np.float32)
    out_a = np.full((B, T, slots), np.log(0.01), np.float32)
    out_l = np.full((B, T, slots), 12, lead.dtype)
    out_k = np.zeros((B, T, slots), bool)
    for b in range(B):
        real = [k for k in range(L) if mask[b, :, k].any()]
        order = rng.permutation(slots)
        if not real:                      # RR-only windows (morphology dropped): no lead to derive from
            out_m[b, :, :L], out_a[b, :, :L], out_l[b, :, :L], out_k[b, :, :L] = morph[b], logamp[b], lead[b], mask[b]
            continue
        mv = morph[b].astype(np.float64) * np.exp(logamp[b].astype(np.float64))[:, :, None]    # [T, L, W] in mV
        present = mask[b, :, real[0]] & valid[b]
        ids = rng.choice(12, size=slots, replace=False)
        for j in range(slots):
            slot = order[j]
            if j < len(real):
                k = real[j]
                out_m[b, :, slot], out_a[b, :, slot], out_k[b, :, slot] = morph[b, :, k], logamp[b, :, k], mask[b, :, k]
                out_l[b, :, slot] = lead[b, :, k]
                continue
            if len(real) >= 2 and rng.random() < 0.5:
                a, c = rng.uniform(-1, 1, size=2)
                signal = a * mv[:, real[0]] + c * mv[:, real[1]]
            else:
                signal = mv[:, real[rng.integers(len(real))]].copy()
            if rng.random() < 0.4:
                signal = -signal
            signal = np.roll(signal, int(rng.integers(-2, 3)), axis=-1)
            if noise is not None and rng.random() < 0.5:
                piece = noise[rng.integers(len(noise))]
                start = rng.integers(0, len(piece) - T * W)
                n = piece[start:start + T * W].reshape(T, W)
                amp = np.abs(signal).max(axis=1, keepdims=True) + 1e-6
                signal = signal + n / (np.sqrt(np.mean(n ** 2)) + 1e-9) * amp * 10 ** (-rng.uniform(*snr_db) / 20)
            signal -= np.median(signal, axis=1, keepdims=True)
            new_amp = np.maximum(np.abs(signal).max(axis=1), 1e-6)
            out_m[b, :, slot] = (signal / new_amp[:, None]).astype(np.float32)
            out_a[b, :, slot] = np.log(np.maximum(new_amp, 0.01)).astype(np.float32)
            out_k[b, :, slot] = present
            out_l[b, :, slot] = ids[j]
        # A recording names each lead once: a recorded lead whose id is unknown (12) or taken by a
        # derived lead gets one of the ids no derived lead has (ids[:len(real)]).
        for j in range(min(len(real), slots)):
            if out_l[b, 0, order[j]] == 12 or out_l[b, 0, order[j]] in ids[len(real):]:
                out_l[b, :, order[j]] = ids[j]
    return out_m, out_a, out_l, out_k
