"""The per-beat heads scored while training, on records the model never trains on (mitdb DS2), the way
the monitor runs it: every beat encoded once, a window of the last 32 beats re-run at each beat, and a
beat's labels read when it is `LABEL_LAG_BEATS` behind the newest (docs/model.md). The EC57 figures
here count matched beats only (a quick check); `beatmon evaluate beats` gives the standard's numbers."""
import numpy as np
import torch

from .features import LABEL_LAG_BEATS, MAX_BEATS, slice_features, window_features
from .labelled import DS2, load_set


@torch.no_grad()
def stream_outputs(model, tok, rr_mode, lag=LABEL_LAG_BEATS, batch=512):
    """Per beat of one record: EC57 class probabilities [n,5] and p(AF) [n], read at `lag` beats behind
    the newest beat of a window of up to 32 beats (the last window for the final beats)."""
    model.eval()
    n = tok["rr"].shape[0]
    f = slice_features(tok, 0, n, rr_mode)
    z, _ = model.pool_leads(torch.from_numpy(f["morphology"]), torch.from_numpy(f["log_amplitude"]),
                            torch.from_numpy(f["lead_id"]), torch.from_numpy(f["lead_mask"]))
    beat_p = np.zeros((n, 5), np.float32); af_p = np.zeros(n, np.float32)
    ends = sorted({min(i + lag + 1, n) for i in range(n)})
    for b in range(0, len(ends), batch):
        chunk = ends[b:b + batch]
        T = min(MAX_BEATS, max(chunk))
        zz = torch.zeros(len(chunk), T, z.shape[1]); rr = np.zeros((len(chunk), T, 8), np.float32)
        tm = np.zeros((len(chunk), T), np.float32); valid = np.zeros((len(chunk), T), bool)
        for j, e in enumerate(chunk):
            s = max(0, e - MAX_BEATS)
            w = window_features(tok["rr"][s:e], tok["quality"][s:e], tok["lead_id"][s:e, :1], tok["amplitude"][s:e, :1],
                                tok["morphology"][s:e, :1], rr_mode=rr_mode)
            zz[j, :e - s] = z[s:e]; rr[j, :e - s] = w["rr_features"]; tm[j, :e - s] = w["time"]; valid[j, :e - s] = True
        _, beat_logits, af_logits = model.rhythm(zz, torch.from_numpy(rr), torch.from_numpy(tm), torch.from_numpy(valid))
        bp = torch.softmax(beat_logits, -1).numpy(); ap = torch.sigmoid(af_logits).numpy()
        for j, e in enumerate(chunk):
            s = max(0, e - MAX_BEATS)
            # the beats this window finalises: lag behind e (or every remaining beat at the record's end)
            first = e - 1 - lag if e < n else max(0, e - 1 - lag)
            for i in range(max(first, s), e if e == n else e - lag):
                beat_p[i] = bp[j, i - s]; af_p[i] = ap[j, i - s]
    return beat_p, af_p


def ec57_matched(truth, pred):
    """VEB and SVEB Se/+P over matched beats (truth >= 0), EC57's counting: a V call on a reference F
    beat is no false positive for VEB; Q beats are left out."""
    keep = (truth >= 0) & (truth != 4)
    t, p = truth[keep], pred[keep]
    out = {}
    for name, c, exempt in (("VEB", 2, (3,)), ("SVEB", 1, ())):
        tp = int(((t == c) & (p == c)).sum()); fn = int(((t == c) & (p != c)).sum())
        fp = int(((t != c) & (p == c) & ~np.isin(t, exempt)).sum())
        out[name] = {"Se": tp / max(tp + fn, 1), "+P": tp / max(tp + fp, 1), "TP": tp, "FN": fn, "FP": fp}
    return out


class EvaluationSets:
    def __init__(self, ds2):
        self.ds2 = ds2

    @classmethod
    def load(cls, paths):
        return cls(load_set(paths, "mitdb", DS2, "mitdb-ds2-tokens"))

    def score(self, model, rr_mode, log=print):
        truth, pred, af_t, af_p = [], [], [], []
        for name, tok in self.ds2.items():
            bp, ap = stream_outputs(model, tok, rr_mode)
            truth.append(tok["beat_label"]); pred.append(bp.argmax(1)); af_t.append(tok["af_label"]); af_p.append(ap)
        truth = np.concatenate(truth); pred = np.concatenate(pred)
        af_t = np.concatenate(af_t) > 0.5; af_call = np.concatenate(af_p) >= 0.5
        r = ec57_matched(truth, pred)
        r["AF_beats"] = {"Se": float((af_call & af_t).sum() / max(af_t.sum(), 1)),
                         "Sp": float((~af_call & ~af_t).sum() / max((~af_t).sum(), 1))}
        log(f"  DS2 ({len(self.ds2)} records, matched beats, lag {LABEL_LAG_BEATS}): VEB Se {r['VEB']['Se']:.3f} +P "
            f"{r['VEB']['+P']:.3f}; SVEB Se {r['SVEB']['Se']:.3f} +P {r['SVEB']['+P']:.3f}; AF beats Se "
            f"{r['AF_beats']['Se']:.3f} Sp {r['AF_beats']['Sp']:.3f}")
        return r
