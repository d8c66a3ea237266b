#!/usr/bin/env python3
"""DS2 figures of BEAT-Net's beat head the way training checks them (beat_eval: matched beats, the
head read 4 beats behind the newest), beside the classical classifier's classes on the same tokens,
for one or more weights files, their average, and the fusion rules docs/model.md and
docs/beat-classification.md quote (classical unless the head is sure, p >= 0.9; and others).

    PYTHONPATH=training python3 Benchmarks/scripts/beat_head_ds2.py WEIGHTS.safetensors [MORE.safetensors]

Needs the DS2 token cache (any training run makes it) or a built beatmon (BEATMON=path).
"""
import numpy as np
import torch
import sys
from beatnet_training.model import load_weights
from beatnet_training.paths import Paths
from beatnet_training.labelled import load_set, DS2
from beatnet_training.beat_eval import stream_outputs, ec57_matched
torch.set_num_threads(1)
ds2 = load_set(Paths.default(), "mitdb", DS2, "mitdb-ds2-tokens")
models, rr_modes = zip(*(load_weights(path) for path in sys.argv[1:]))
T, C, PS = [], [], []
for name, tok in ds2.items():
    T.append(tok["beat_label"]); c = tok["beat_class"].astype(int); c[c == 255] = 0; C.append(c)
    PS.append(np.stack([stream_outputs(m, tok, rr)[0] for m, rr in zip(models, rr_modes)]))
    r, rc = ec57_matched(T[-1], PS[-1][0].argmax(1)), ec57_matched(T[-1], C[-1])
    print(f"{name:12s} VEB Se/+P: first weights {r['VEB']['Se'] * 100:5.1f}/{r['VEB']['+P'] * 100:5.1f}, "
          f"classical {rc['VEB']['Se'] * 100:5.1f}/{rc['VEB']['+P'] * 100:5.1f}")
T = np.concatenate(T); C = np.concatenate(C); PS = np.concatenate(PS, axis=1)   # [M, n, 5]
def show(name, pred):
    r = ec57_matched(T, pred)
    print(f"{name:40s} VEB {r['VEB']['Se']*100:5.1f}/{r['VEB']['+P']*100:5.1f}  SVEB {r['SVEB']['Se']*100:5.1f}/{r['SVEB']['+P']*100:5.1f}")
show("classical", C)
for i, p in enumerate(PS):
    show(f"model {i}", p.argmax(1))
mean = PS.mean(0)
show("model ensemble mean", mean.argmax(1))
for name, P in [("model0", PS[0]), ("ensemble", mean)]:
    pm = P.argmax(1)
    both_v = np.where((pm == 2) & (C == 2), 2, np.where(pm == 2, 0, np.where(C == 2, 0, pm)))
    show(f"{name}: V only where both say V", both_v)
    orv = np.where((pm == 2) | (C == 2), 2, pm)
    show(f"{name}: V where either says V", orv)
    # classical, but the model overrules when confident
    conf = np.where(P.max(1) >= 0.9, pm, C)
    show(f"{name}: classical unless model p>=0.9", conf)
    s_both = np.where((pm == 1) & (C == 1), 1, np.where((pm == 1) | (C == 1), 0, pm))
    show(f"{name}: S only where both", np.where(both_v == 2, 2, s_both))
