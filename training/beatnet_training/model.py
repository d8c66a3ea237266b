"""BEAT-Net as docs/model.md specifies it (the featurisation is `features.window_features`): contract
`beatnet-2`, with the per-beat heads (AAMI beat class, p(AF) at each beat) beside the window head.

The state_dict names are the contract with the Swift inference (Sources/BeatNet)."""
import json
import math

import torch
from safetensors import safe_open
from safetensors.torch import load_file
from torch import nn

from .features import BEAT_CLASSES, D, DEFAULT_RR_MODE, ENCODER_POSITIONS, N_LEAD_IDS, PERIODS, W


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 8, 7, stride=2, padding=3)
        self.conv2 = nn.Conv1d(8, 16, 5, stride=2, padding=2)
        self.conv3 = nn.Conv1d(16, 32, 5, stride=2, padding=2)
        # The projection reads every position of the last convolution (not their mean), so it can see
        # *where* in the beat things happen: a P wave before the R, a wide or late QRS.
        self.proj = nn.Linear(32 * ENCODER_POSITIONS + 1, D)

    def forward(self, morphology, log_amplitude):
        shape = morphology.shape[:-1]
        x = morphology.reshape(-1, 1, W)
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.conv3(x)).flatten(1)           # [N, 32 * 12], channel-major
        x = torch.cat([x, log_amplitude.reshape(-1, 1)], dim=-1)
        return self.proj(x).reshape(*shape, D)


class Spatial(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(D, D)
        self.score = nn.Linear(D, 1)


class Temporal(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model=D, nhead=2, dim_feedforward=64, dropout=0.1, activation="relu",
                                       batch_first=True, norm_first=True, layer_norm_eps=1e-5)
            for _ in range(2)])


def positional_encoding(time):
    periods = torch.tensor(PERIODS, dtype=torch.float32, device=time.device)
    angle = 2 * math.pi * time.unsqueeze(-1) / periods          # [..., 16]
    pe = torch.stack([torch.sin(angle), torch.cos(angle)], dim=-1)  # [..., 16, 2]
    return pe.reshape(*time.shape, D)                          # PE[2k] = sin, PE[2k+1] = cos


class BeatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.lead_embedding = nn.Parameter(torch.randn(N_LEAD_IDS, D) * 0.1)
        self.spatial = Spatial()
        self.no_morphology = nn.Parameter(torch.randn(D) * 0.1)
        self.rr_proj = nn.Linear(8, D)
        self.cls = nn.Parameter(torch.randn(D) * 0.1)
        self.temporal = Temporal()
        self.final_norm = nn.LayerNorm(D, eps=1e-5)
        self.head = nn.Linear(D, 4)
        self.beat_head = nn.Linear(D, len(BEAT_CLASSES))   # each beat's AAMI class, from its own output row
        self.af_head = nn.Linear(D, 1)                     # each beat's AF logit (the rhythm state there)

    def forward(self, morphology, log_amplitude, lead_id, lead_mask, rr_features, time, valid=None,
                explain=False):
        """Batched: morphology [B,T,L,96], log_amplitude/lead_id/lead_mask [B,T,L], rr_features [B,T,8],
        time [B,T], valid [B,T] (False = padding). Returns (window logits [B,4], beat-class logits [B,T,5],
        AF logits [B,T]); with `explain` also the summary token's beat attention [B,T], every beat's
        attention over the beats [B,T,T] (last layer, mean over heads, summary column dropped and
        renormalised) and alpha [B,T,L]."""
        if valid is None:
            valid = torch.ones(lead_mask.shape[:2], dtype=torch.bool)
        z, alpha = self.pool_leads(morphology, log_amplitude, lead_id, lead_mask & valid.unsqueeze(-1))
        return self.rhythm(z, rr_features, time, valid, explain, alpha)

    def pool_leads(self, morphology, log_amplitude, lead_id, lead_mask):
        """Steps 1-2, per beat (what the streaming engine caches): z [...,D] and alpha [...,L]."""
        *batch, L = lead_mask.shape
        e = self.enc(morphology, log_amplitude)
        h = e + self.lead_embedding[lead_id]
        score = self.spatial.score(torch.tanh(self.spatial.proj(h))).squeeze(-1)   # [...,L]
        any_lead = lead_mask.any(dim=-1)
        score = score.masked_fill(~lead_mask, float("-inf"))
        score = torch.where(any_lead.unsqueeze(-1), score, torch.zeros_like(score))
        alpha = torch.softmax(score, dim=-1) * lead_mask
        z = (alpha.unsqueeze(-1) * h).sum(dim=-2)
        z = torch.where(any_lead.unsqueeze(-1), z, self.no_morphology.expand(*batch, D))
        return z, alpha

    def rhythm(self, z, rr_features, time, valid, explain=False, alpha=None):
        """Steps 3-6 on pooled beats z [B,T,D]."""
        B, T, _ = z.shape
        x = z + self.rr_proj(rr_features) + positional_encoding(time)
        x = torch.cat([self.cls.expand(B, 1, D), x], dim=1)
        pad = torch.cat([torch.zeros(B, 1, dtype=torch.bool), ~valid], dim=1)
        attention = None
        for i, layer in enumerate(self.temporal.layers):
            if explain and i == len(self.temporal.layers) - 1:
                y = layer.norm1(x)
                _, w = layer.self_attn(y, y, y, key_padding_mask=pad, need_weights=True,
                                       average_attn_weights=True)
                a = w[:, :, 1:]
                a = a / a.sum(dim=-1, keepdim=True)
                attention, beat_attention = a[:, 0], a[:, 1:]
            x = layer(x, src_key_padding_mask=pad)
        x = self.final_norm(x)
        logits = self.head(x[:, 0])
        beats = x[:, 1:]
        outputs = (logits, self.beat_head(beats), self.af_head(beats).squeeze(-1))
        if explain:
            return (*outputs, attention, beat_attention, alpha)
        return outputs


def load_weights(path, default_rr_mode=DEFAULT_RR_MODE, frozen=False):
    """(model, rr_mode): a BeatNet from a weights file (shipped, or a run's), in eval mode, and the RR
    featurisation its config names; weights written before the config named one get `default_rr_mode`.
    `frozen`: no gradients (a teacher)."""
    with safe_open(path, "pt") as f:
        config = json.loads((f.metadata() or {}).get("config", "{}"))
    model = BeatNet()
    model.load_state_dict(load_file(path))
    model.eval()
    if frozen:
        for parameter in model.parameters():
            parameter.requires_grad_(False)
    return model, config.get("rr_mode", default_rr_mode)
