"""BEAT-Net as docs/model.md specifies it (the featurisation is `features.window_features`).

The state_dict names are the contract with the Swift inference (Sources/BeatNet)."""
import math

import torch
from torch import nn

from .features import D, N_LEAD_IDS, PERIODS, W


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 8, 7, stride=2, padding=3)
        self.conv2 = nn.Conv1d(8, 16, 5, stride=2, padding=2)
        self.conv3 = nn.Conv1d(16, 32, 5, stride=2, padding=2)
        self.proj = nn.Linear(33, D)

    def forward(self, morphology, log_amplitude):
        shape = morphology.shape[:-1]
        x = morphology.reshape(-1, 1, W)
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.conv3(x)).mean(dim=-1)
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

    def forward(self, morphology, log_amplitude, lead_id, lead_mask, rr_features, time, valid=None,
                explain=False):
        """Batched: morphology [B,T,L,96], log_amplitude/lead_id/lead_mask [B,T,L], rr_features [B,T,8],
        time [B,T], valid [B,T] (False = padding). Returns logits [B,4] (and attention [B,T], alpha
        [B,T,L] when explain)."""
        B, T, L = lead_mask.shape
        if valid is None:
            valid = torch.ones(B, T, dtype=torch.bool)
        lead_mask = lead_mask & valid.unsqueeze(-1)
        e = self.enc(morphology, log_amplitude)
        h = e + self.lead_embedding[lead_id]
        score = self.spatial.score(torch.tanh(self.spatial.proj(h))).squeeze(-1)   # [B,T,L]
        any_lead = lead_mask.any(dim=-1)
        score = score.masked_fill(~lead_mask, float("-inf"))
        score = torch.where(any_lead.unsqueeze(-1), score, torch.zeros_like(score))
        alpha = torch.softmax(score, dim=-1) * lead_mask
        z = (alpha.unsqueeze(-1) * h).sum(dim=2)
        z = torch.where(any_lead.unsqueeze(-1), z, self.no_morphology.expand(B, T, D))
        x = z + self.rr_proj(rr_features) + positional_encoding(time)
        x = torch.cat([self.cls.expand(B, 1, D), x], dim=1)
        pad = torch.cat([torch.zeros(B, 1, dtype=torch.bool), ~valid], dim=1)
        attention = None
        for i, layer in enumerate(self.temporal.layers):
            if explain and i == len(self.temporal.layers) - 1:
                y = layer.norm1(x)
                _, w = layer.self_attn(y, y, y, key_padding_mask=pad, need_weights=True,
                                       average_attn_weights=True)
                a = w[:, 0, 1:]
                attention = a / a.sum(dim=-1, keepdim=True)
            x = layer(x, src_key_padding_mask=pad)
        x = self.final_norm(x[:, 0])
        logits = self.head(x)
        if explain:
            return logits, attention, alpha
        return logits
