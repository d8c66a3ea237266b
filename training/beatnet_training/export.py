"""Writing a model: the weights file (`beatnet-2`) and its golden vectors (`beatnet-golden-2`)."""
import json
import os

import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file

from .batch import collate
from .features import CLASSES, MAX_BEATS, slice_features
from .tokens import export_tokens, load_tokens


def export_weights(model, path, summary, config):
    """`config`: features.model_config() of the recipe; `summary`: the `training` metadata."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    state = {k: v.detach().to(torch.float32).contiguous() for k, v in model.state_dict().items()}
    save_file(state, path, metadata={"format": "beatnet-2", "config": json.dumps(config),
                                     "classes": json.dumps(CLASSES), "pe_periods_seconds": json.dumps(config["pe_periods_seconds"]),
                                     "version": str(config["version"]), "training": json.dumps(summary)})


def export_golden(model, cases, path, log):
    """cases: list of (description, features dict). Writes inputs and eval-mode outputs."""
    model.eval()
    tensors, descr = {}, {}
    with torch.no_grad():
        for i, (what, f) in enumerate(cases):
            x = collate([f])
            logits, beat_logits, af_logits, att, beat_att, alpha = model(*x, explain=True)
            p = torch.softmax(logits, -1)
            tensors.update({
                f"case{i}.morphology": f["morphology"].astype(np.float32),
                f"case{i}.log_amplitude": f["log_amplitude"].astype(np.float32),
                f"case{i}.lead_id": f["lead_id"].astype(np.int64),
                f"case{i}.lead_mask": f["lead_mask"].astype(np.uint8),
                f"case{i}.rr_features": f["rr_features"].astype(np.float32),
                f"case{i}.time": f["time"].astype(np.float32),
                f"case{i}.probabilities": p[0].numpy().astype(np.float32),
                f"case{i}.beat_attention": att[0].numpy().astype(np.float32),
                f"case{i}.lead_weights": alpha[0].numpy().astype(np.float32),
                f"case{i}.beat_probabilities": torch.softmax(beat_logits[0], -1).numpy().astype(np.float32),
                f"case{i}.beat_af": torch.sigmoid(af_logits[0]).numpy().astype(np.float32),
                f"case{i}.beat_attention_rows": beat_att[0].numpy().astype(np.float32),
            })
            for k in ("rr", "quality", "amplitude"):
                if k in f:
                    tensors[f"case{i}.token_{k}"] = np.ascontiguousarray(f[k])
            descr[f"case{i}"] = what
            log(f"  golden case{i}: {what}: p = {np.round(p[0].numpy(), 4).tolist()}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    save_numpy({k: np.ascontiguousarray(v) for k, v in tensors.items()}, path,
               metadata={"format": "beatnet-golden-2", "cases": json.dumps(descr), "classes": json.dumps(CLASSES),
                         "note": "inputs are window_features() of beatmon tokens; outputs from PyTorch eval mode, float32; "
                                 "token_rr/token_quality/token_amplitude are the raw token fields the features came from"})


def with_raw_tokens(f, tok, start, end):
    """The features `f` of tokens [start, end) plus the raw token fields they came from."""
    f["rr"] = tok["rr"][start:end].astype(np.float32); f["quality"] = tok["quality"][start:end].astype(np.uint8)
    f["amplitude"] = tok["amplitude"][start:end].astype(np.float32)
    return f


def golden_cases(tokens, names, labels, model, seed, rr_mode):
    cases = []
    rng = np.random.default_rng(seed)
    for c, cls in enumerate(CLASSES):
        # a record of this class, the model's prediction right, one short (< 32 beats) for the noise case
        cands = [n for n, y in zip(names, labels) if y == c and n in tokens and tokens[n]["rr"].shape[0] >= 8]
        if not cands:
            raise SystemExit(f"golden vectors: no record of class {cls} with >= 8 tokens")
        for n in rng.permutation(cands)[:50]:
            tok = tokens[n]; T = tok["rr"].shape[0]
            e = min(T, MAX_BEATS) if c != 3 else min(T, 20)
            f = slice_features(tok, 0, e, rr_mode)
            with torch.no_grad():
                model.eval()
                pred = int(model(*collate([f]))[0].argmax())
            if pred == c:
                break
        cases.append((f"cinc2017 {n} (label {cls}), tokens 0..<{e}", with_raw_tokens(f, tok, 0, e)))
    # RR-only: the AF case's window with every lead masked
    what, f = cases[1]
    g = dict(f); g["lead_mask"] = np.zeros_like(f["lead_mask"])
    cases.append((what + ", RR-only (lead_mask all false)", g))
    return cases


def cpsc_case(paths, rr_mode):
    path = os.path.join(paths.cache, "cpsc2021-data_8_3")
    parts = export_tokens(paths, [os.path.join(paths.data, "cpsc2021", "data_8_3")], path, chunks=1)
    tok = load_tokens(parts)["data_8_3"]
    s = 100
    f = slice_features(tok, s, s + MAX_BEATS, rr_mode)
    return (f"cpsc2021 data_8_3 (2 leads I, II; AF), tokens {s}..<{s + 32}", with_raw_tokens(f, tok, s, s + 32))
