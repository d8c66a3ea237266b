"""The CinC 2017 score: mean F1 of N, A and O from the 4x4 confusion matrix (rows truth, columns predicted)."""
import numpy as np


def confusion(y, p):
    m = np.zeros((4, 4), int)
    for a, b in zip(y, p):
        m[a, b] += 1
    return m


def f1_scores(m):
    """(score, [F1_N, F1_A, F1_O, F1_noise]) of a confusion matrix."""
    m = np.asarray(m)
    f1 = [2 * m[k, k] / max(m[k].sum() + m[:, k].sum(), 1) for k in range(4)]
    return float(np.mean(f1[:3])), f1


def cinc_scores(y, pred):
    m = confusion(y, pred)
    score, f1 = f1_scores(m)
    return {"score": score, "F1_N": f1[0], "F1_A": f1[1], "F1_O": f1[2], "F1_noise": f1[3],
            "confusion": m.tolist()}
