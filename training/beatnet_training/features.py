"""The contract with the Swift inference (docs/model.md): sizes, classes, and the input featurisation
`window_features` (NumPy only; mirrored by Sources/BeatNet/RhythmFeatures.swift)."""
import numpy as np

CLASSES = ["N", "A", "O", "~"]
BEAT_CLASSES = ["N", "S", "V", "F", "Q"]   # ANSI/AAMI EC57, the order of BeatClass and the token export
ENCODER_POSITIONS = 12                     # positions after the encoder's three stride-2 convolutions
# A beat's labels are final once it is this many beats behind the newest (the labelling latency):
# the monitor reads beat T-1-H of each window it re-runs.
LABEL_LAG_BEATS = 4
D = 32
W = 96
N_LEAD_IDS = 13          # LeadIdentity.count; 12 = unknown
UNKNOWN_LEAD = 12
MAX_BEATS = 32
PERIODS = [0.25 * 2.0 ** (k / 2.0) for k in range(16)]   # seconds, 0.25 s ... 45.25 s
# RR featurisation (docs/model-training.md): "relative" = [ln(prev/median), ln(next/median), ln(median), ...]
# with the window's median RR (the shipped contract, Sources/BeatNet/RhythmFeatures.swift); "absolute" =
# [ln prev, ln next, prev - next, ...] (the previous recipe, weights without `rr_mode` in their config).
RR_MODES = ("relative", "absolute")
DEFAULT_RR_MODE = "relative"
CONFIG = {
    "version": 2, "d_model": D, "morphology_length": W, "samples_before_r": 32, "morphology_rate": 100,
    "lead_ids": N_LEAD_IDS, "max_beats": MAX_BEATS, "max_leads": 12, "nhead": 2, "dim_feedforward": 64,
    "layers": 2, "layer_norm_eps": 1e-5, "norm_first": True, "activation": "relu",
    "classes": CLASSES, "pe_periods_seconds": PERIODS, "rr_features": 8,
    "log_amplitude_floor_mV": 0.01, "beat_classes": BEAT_CLASSES, "encoder": "positions",
    "label_lag_beats": LABEL_LAG_BEATS,
}


def model_config(rr_mode=DEFAULT_RR_MODE, multilead=0.0):
    """The weights file's `config` metadata for a recipe (CONFIG itself is never changed)."""
    config = dict(CONFIG)
    if multilead > 0:
        config["multilead_augmentation"] = multilead
    config["rr_mode"] = rr_mode
    return config


def window_features(rr, quality, lead_id, amplitude, morphology, rr_mode=DEFAULT_RR_MODE):
    """Model inputs of one window of T consecutive tokens (the `beatmon tokens` arrays, sliced).

    rr [T,2] (s, NaN = absent), quality [T] uint8, lead_id [T,L] uint8 (255 = empty slot),
    amplitude [T,L] mV, morphology [T,L,96]. Returns float32/int64/bool arrays:
    morphology [T,L,96], log_amplitude [T,L], lead_id [T,L] (empty slot -> 12), lead_mask [T,L],
    rr_features [T,8], time [T].
    """
    if rr_mode not in RR_MODES:
        raise ValueError(f"rr_mode {rr_mode!r}: one of {RR_MODES}")
    rr = np.asarray(rr, dtype=np.float64)
    T = rr.shape[0]
    present = np.isfinite(rr) & (rr > 0)
    values = rr[present]
    # the window's median RR over every present interval (previous and next pooled); 1 s if none
    median = float(np.median(values)) if values.size else 1.0
    filled = np.where(present, rr, median)
    q = np.asarray(quality).astype(np.int64)
    feats = np.zeros((T, 8), dtype=np.float64)
    if rr_mode == "relative":
        feats[:, 0] = np.log(filled[:, 0] / median)
        feats[:, 1] = np.log(filled[:, 1] / median)
        feats[:, 2] = np.log(median)
    else:
        feats[:, 0] = np.log(filled[:, 0])
        feats[:, 1] = np.log(filled[:, 1])
        feats[:, 2] = filled[:, 0] - filled[:, 1]
    feats[:, 3] = (~present[:, 0]).astype(np.float64)
    feats[:, 4] = (~present[:, 1]).astype(np.float64)
    feats[:, 5] = ((q & 0b00001) != 0)
    feats[:, 6] = ((q & 0b00110) != 0)
    feats[:, 7] = ((q & 0b11000) != 0)
    # cumulative RR: time[0] = 0, time[t] = time[t-1] + rr_prev[t] (filled)
    time = np.zeros(T, dtype=np.float64)
    if T > 1:
        time[1:] = np.cumsum(filled[1:, 0])
    lead_id = np.asarray(lead_id).astype(np.int64)
    amplitude = np.asarray(amplitude, dtype=np.float64)
    mask = (lead_id != 255) & (amplitude > 0)
    lead_id = np.where(lead_id > 12, UNKNOWN_LEAD, lead_id)
    log_amp = np.log(np.maximum(amplitude, 0.01))
    return {
        "morphology": np.asarray(morphology, dtype=np.float32),
        "log_amplitude": log_amp.astype(np.float32),
        "lead_id": lead_id.astype(np.int64),
        "lead_mask": mask,
        "rr_features": feats.astype(np.float32),
        "time": time.astype(np.float32),
    }


def slice_features(tok, start, end, rr_mode=DEFAULT_RR_MODE):
    """`window_features` of tokens [start, end) of one record's token arrays."""
    return window_features(tok["rr"][start:end], tok["quality"][start:end], tok["lead_id"][start:end],
                           tok["amplitude"][start:end], tok["morphology"][start:end], rr_mode=rr_mode)


def eval_windows(n):
    """Sliding windows of 32 beats, hop 8, plus one ending at the last beat if not covered; the whole
    record if shorter than 32."""
    if n <= MAX_BEATS:
        return [(0, n)]
    starts = list(range(0, n - MAX_BEATS + 1, 8))
    if starts[-1] + MAX_BEATS < n:
        starts.append(n - MAX_BEATS)
    return [(s, s + MAX_BEATS) for s in starts]


# The regular-rhythm rule of `beatmon classify` (Sources/RhythmAnalysis/ConductedRhythmRegularity.swift,
# docs/model.md): a record whose conducted rhythm is regular is not AF.
REGULAR_BELOW = 0.05
# ...nor is a record whose beats' mean per-beat p(AF) is below the monitor's offset probability
# (Sources/RhythmAnalysis/AlertPolicyConfiguration.swift, `modelOffsetProbability`).
BEAT_AF_AGAINST = 0.3
MINIMUM_CONDUCTED_INTERVALS = 3


def conducted_irregularity(previous_rr, beat_classes):
    """Median |successive difference| of the intervals between consecutive conducted beats (neither S
    nor V) over their median; None with fewer than 3 such intervals. previous_rr [T] in seconds (NaN
    or <= 0: not measured), beat_classes [T] indices into BEAT_CLASSES, in time order."""
    rr = np.asarray(previous_rr, dtype=np.float64)
    c = np.asarray(beat_classes)
    conducted = (c != BEAT_CLASSES.index("S")) & (c != BEAT_CLASSES.index("V"))
    keep = np.zeros(len(c), bool)
    keep[1:] = conducted[1:] & conducted[:-1] & np.isfinite(rr[1:]) & (rr[1:] > 0)
    intervals = rr[keep]
    if len(intervals) < MINIMUM_CONDUCTED_INTERVALS:
        return None
    typical = float(np.median(intervals))
    return float(np.median(np.abs(np.diff(intervals)))) / typical if typical > 0 else None


def record_label(probabilities, irregularity, beat_af=None):
    """The record's class index: the most probable, except that AF takes the more probable of N and O
    where the conducted rhythm is regular, or where the beats' mean per-beat p(AF) `beat_af` is below
    the monitor's offset probability (`AlertPolicyConfiguration.modelOffsetProbability`)."""
    p = np.asarray(probabilities)
    best = int(p.argmax())
    regular = irregularity is not None and irregularity < REGULAR_BELOW
    if best == CLASSES.index("A") and (regular or (beat_af is not None and beat_af < BEAT_AF_AGAINST)):
        n, o = CLASSES.index("N"), CLASSES.index("O")
        return n if p[n] >= p[o] else o
    return best
