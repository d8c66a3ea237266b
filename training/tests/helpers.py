"""Synthetic beat tokens shaped as `beatmon tokens` writes them."""
import numpy as np


def synthetic_tokens(rng, T=40, L=1, rr=0.8, jitter=0.05):
    rr_prev = np.abs(rr + jitter * rng.standard_normal(T)).astype(np.float32)
    rr_next = np.roll(rr_prev, -1)
    rr_pair = np.stack([rr_prev, rr_next], 1)
    rr_pair[0, 0] = np.nan
    rr_pair[-1, 1] = np.nan
    lead_id = np.full((T, L), 12, np.uint8)
    return {"rr": rr_pair, "quality": np.zeros(T, np.uint8), "lead_id": lead_id,
            "amplitude": np.full((T, L), 1.2, np.float32),
            "morphology": rng.standard_normal((T, L, 96)).astype(np.float32)}
