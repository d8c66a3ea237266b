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
