"""Beat-labelled training and evaluation sets: beat tokens of records whose reference annotations
label every beat (mitdb, svdb) or the rhythm at every beat (cpsc2021, mitdb), aligned to those
annotations the way EC57 matches beats (150 ms).

Per token: `beat_label` the EC57 class index (N S V F Q = 0...4; -1 when no reference beat lies
within 150 ms, a false detection, or the reference beat is not a beat class) and `af_label` (1 inside
an `(AFIB` episode of the reference rhythm, 0 elsewhere)."""
import os

import numpy as np

from .features import BEAT_CLASSES
from .tokens import TOKEN_FIELDS, export_tokens, load_tokens

# The de Chazal inter-patient split (docs/model.md): records of each that ../shared holds.
DS1 = ["101", "106", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201", "203", "205", "207",
       "208", "209", "215", "220", "223", "230"]
DS2 = ["100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210", "212", "213", "214", "219",
       "221", "222", "228", "231", "232", "233", "234"]
PACED = ["102", "104", "107", "217"]
CPSC2021 = ["data_21_7", "data_21_8", "data_21_9", "data_35_10", "data_35_4", "data_35_6", "data_8_2",
            "data_8_3", "data_8_4", "data_92_12", "data_92_19", "data_92_4"]

AAMI = {**{s: 0 for s in "NLRej"}, **{s: 1 for s in "AaJS"}, **{s: 2 for s in "VE"}, "F": 3,
        **{s: 4 for s in "/fQ"}}
MATCH_SECONDS = 0.15


def present(data, database, names):
    return [n for n in names if os.path.exists(os.path.join(data, database, n + ".hea"))]


def reference(path):
    """(beat samples, EC57 class indices, sorted rhythm change samples, their AF flags, rate) of a record's .atr."""
    import wfdb
    ann = wfdb.rdann(path, "atr")
    fs = float(wfdb.rdheader(path).fs)
    sym = np.asarray(ann.symbol); samp = np.asarray(ann.sample, dtype=np.int64)
    beat = np.array([s in AAMI for s in sym])
    classes = np.array([AAMI[s] for s in sym[beat]], dtype=np.int64)
    aux = [a.strip("\x00").strip() if a else "" for a in ann.aux_note]
    changes = [(s, a.startswith("(AFIB")) for s, a, y in zip(samp, aux, sym) if a.startswith("(")]
    ch_s = np.array([c[0] for c in changes], dtype=np.int64); ch_af = np.array([c[1] for c in changes], dtype=bool)
    return samp[beat], classes, ch_s, ch_af, fs


def align(r_sample, ref_samples, ref_classes, ch_s, ch_af, fs):
    """Per token: the class of the nearest reference beat within 150 ms (-1 if none) and the AF flag."""
    idx = np.searchsorted(ref_samples, r_sample)
    best = np.full(len(r_sample), -1)
    dist = np.full(len(r_sample), np.inf)
    for cand in (idx - 1, idx):
        ok = (cand >= 0) & (cand < len(ref_samples))
        d = np.where(ok, np.abs(ref_samples[np.clip(cand, 0, len(ref_samples) - 1)] - r_sample), np.inf)
        better = d < dist
        dist[better] = d[better]; best[better] = cand[better]
    matched = dist <= MATCH_SECONDS * fs
    labels = np.where(matched, ref_classes[np.clip(best, 0, len(ref_classes) - 1)], -1)
    if len(ch_s):
        k = np.searchsorted(ch_s, r_sample, side="right") - 1
        af = np.where(k >= 0, ch_af[np.clip(k, 0, len(ch_af) - 1)], False)
    else:
        af = np.zeros(len(r_sample), bool)
    return labels.astype(np.int64), af.astype(np.float32)


def load_set(paths, database, names, cache_name):
    """{name: token arrays + beat_label, af_label, r_sample} for the records `names` of `database`."""
    names = present(paths.data, database, names)
    if not names:
        return {}
    parts = export_tokens(paths, [os.path.join(paths.data, database, n) for n in names],
                          os.path.join(paths.cache, cache_name), chunks=min(2, len(names)))
    tokens = load_tokens(parts, fields=TOKEN_FIELDS + ("r_sample", "beat_class"))
    out = {}
    for n in names:
        if n not in tokens or tokens[n]["rr"].shape[0] < 2:
            continue
        tok = dict(tokens[n])
        ref = reference(os.path.join(paths.data, database, n))
        tok["beat_label"], tok["af_label"] = align(tok["r_sample"], *ref)
        out[f"{database}/{n}"] = tok
    return out


def training_sets(paths):
    """Every beat-labelled record that BEAT-Net trains on: mitdb DS1, svdb 800, cpsc2021."""
    sets = {}
    sets.update(load_set(paths, "mitdb", DS1, "mitdb-ds1-tokens"))
    sets.update(load_set(paths, "svdb", ["800"], "svdb-tokens"))
    sets.update(load_set(paths, "cpsc2021", CPSC2021, "cpsc2021-tokens"))
    return sets


def class_counts(sets):
    labels = np.concatenate([t["beat_label"] for t in sets.values()]) if sets else np.zeros(0, int)
    return np.bincount(labels[labels >= 0], minlength=len(BEAT_CLASSES))
