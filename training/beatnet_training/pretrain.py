"""Self-supervised pretraining of BEAT-Net by masked-beat modelling (docs/model-training.md), the way the
seed frames the ECG as a language: hide some beats of a window and have the temporal encoder predict
them from the others.

A hidden beat keeps its place in time (PE) but loses its morphology (z replaced by a learned `mask_token`)
and its RR intervals (its own and its neighbours' features towards it set to missing). From the
transformer's output row the model predicts the hidden beat's first-lead morphology (the 96 samples its
embedding is made from) and its two RR intervals (log seconds). Targets are the inputs themselves, so
nothing collapses. Every token of every set trains it, labels unused: cinc2017, mitdb (DS1 and DS2),
svdb, cpsc2021, cinc2021. The pretraining heads (`mbm_*`, `mask_token`) are dropped before fine-tuning;
the rest initialises `train.train_model`."""
import time

import numpy as np
import torch
from torch import nn

from .batch import collate
from .features import D, MAX_BEATS, W, slice_features
from .model import BeatNet, positional_encoding

MASK_SHARE = 0.15


class MaskedBeatModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = BeatNet()
        self.mask_token = nn.Parameter(torch.randn(D) * 0.1)
        self.mbm_morphology = nn.Linear(D, W)
        self.mbm_rr = nn.Linear(D, 2)

    def forward(self, morphology, log_amplitude, lead_id, lead_mask, rr_features, time, valid, hide):
        net = self.net
        z, _ = net.pool_leads(morphology, log_amplitude, lead_id, lead_mask & valid.unsqueeze(-1))
        z = torch.where(hide.unsqueeze(-1), self.mask_token.expand_as(z), z)
        B, T, _ = z.shape
        x = z + net.rr_proj(rr_features) + positional_encoding(time)
        x = torch.cat([net.cls.expand(B, 1, D), x], dim=1)
        pad = torch.cat([torch.zeros(B, 1, dtype=torch.bool), ~valid], dim=1)
        for layer in net.temporal.layers:
            x = layer(x, src_key_padding_mask=pad)
        rows = net.final_norm(x)[:, 1:]
        return self.mbm_morphology(rows), self.mbm_rr(rows)


def hide_beats(rr_features, valid, rng):
    """Chooses ~15% of the valid beats of each window (at least one) and removes their RR information:
    their own intervals and the neighbours' intervals towards them become missing (0, mask bit set)."""
    B, T = valid.shape
    hide = (rng.random((B, T)) < MASK_SHARE) & valid
    for b in range(B):
        n = int(valid[b].sum())
        if n and not hide[b].any():
            hide[b, rng.integers(n)] = True
    rr = rr_features.copy()
    for b, t in zip(*np.nonzero(hide)):
        rr[b, t, 0:2] = 0; rr[b, t, 3:5] = 1
        if t > 0:
            rr[b, t - 1, 1] = 0; rr[b, t - 1, 4] = 1
        if t + 1 < T:
            rr[b, t + 1, 0] = 0; rr[b, t + 1, 3] = 1
    return hide, rr


def pretrain(token_sets, epochs, seed, rr_mode, crops_per_epoch=12000, batch=64, lr=2e-3, log=print):
    """A `MaskedBeatModel` trained on crops of every record of `token_sets` (dicts name -> token arrays);
    returns the BeatNet state_dict to start fine-tuning from (pretraining-only tensors left out)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    records = [tok for tokens in token_sets for tok in tokens.values() if tok["rr"].shape[0] >= 4]
    sizes = np.array([r["rr"].shape[0] for r in records], dtype=np.float64)
    model = MaskedBeatModel()
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-5)
    steps = (crops_per_epoch + batch - 1) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps * epochs, pct_start=0.1)
    t0 = time.time()
    log(f"pretraining (masked beats): {len(records)} records, {int(sizes.sum())} tokens, {epochs} epochs of "
        f"{crops_per_epoch} crops")
    for epoch in range(epochs):
        model.train()
        total = np.zeros(2)
        for _ in range(steps):
            windows, targets = [], []
            for i in rng.choice(len(records), size=batch, p=sizes / sizes.sum()):
                tok = records[i]; n = tok["rr"].shape[0]
                s = int(rng.integers(0, n - MAX_BEATS + 1)) if n > MAX_BEATS else 0
                e = min(n, s + MAX_BEATS)
                windows.append(slice_features(tok, s, e, rr_mode))
                rr = tok["rr"][s:e].astype(np.float64)
                targets.append((tok["morphology"][s:e, 0].astype(np.float32),
                                np.where(np.isfinite(rr) & (rr > 0), np.log(np.clip(rr, 1e-3, None)), np.nan)))
            x = collate(windows)
            valid = x[6].numpy()
            hide, rr = hide_beats(x[4].numpy(), valid, rng)
            x[4] = torch.from_numpy(rr)
            T = valid.shape[1]
            morph_t = np.zeros((batch, T, W), np.float32); rr_t = np.full((batch, T, 2), np.nan, np.float32)
            for b, (m, r) in enumerate(targets):
                morph_t[b, :len(m)] = m; rr_t[b, :len(r)] = r
            pred_m, pred_rr = model(*x, torch.from_numpy(hide))
            h = torch.from_numpy(hide)
            loss_m = ((pred_m - torch.from_numpy(morph_t)) ** 2)[h].mean()
            rr_t = torch.from_numpy(rr_t)
            known = h.unsqueeze(-1) & ~torch.isnan(rr_t)
            loss_rr = ((pred_rr - torch.nan_to_num(rr_t)) ** 2)[known].mean() if known.any() else pred_rr.sum() * 0
            loss = loss_m + loss_rr
            opt.zero_grad(); loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step()
            total += [loss_m.item(), loss_rr.item()]
        total /= steps
        log(f"    pretrain epoch {epoch + 1}/{epochs}: morphology MSE {total[0]:.4f}, log-RR MSE {total[1]:.4f} "
            f"({time.time() - t0:.0f} s)")
    return {k: v.detach().clone() for k, v in model.net.state_dict().items()}
