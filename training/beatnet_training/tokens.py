"""Beat tokens from `beatmon tokens` (exported once into training/cache/, reused by every run)."""
import json
import os
import subprocess

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

TOKEN_FIELDS = ("rr", "quality", "lead_id", "amplitude", "morphology")


def ensure_beatmon(paths):
    if not os.path.exists(paths.beatmon):
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-train", "--product", "beatmon"],
                       cwd=paths.root, check=True)


def export_tokens(paths, records, path, chunks=2):
    """`beatmon tokens` over `records`, in `chunks` parallel processes; returns the chunk files
    (cached: a second call with the same `path` reads `path.done`)."""
    if os.path.exists(path + ".done"):
        with open(path + ".done") as f:
            return json.load(f)
    ensure_beatmon(paths)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    parts, procs, logs = [], [], []
    for c in range(chunks):
        part = f"{path}.{c}.safetensors"
        parts.append(part)
        logs.append(open(part + ".log", "w"))
        procs.append(subprocess.Popen([paths.beatmon, "tokens", *records[c::chunks], "--output", part,
                                       "--skip-unreadable"], stderr=logs[-1]))
    failed = [p.wait() != 0 for p in procs]
    for f in logs:
        f.close()
    if any(failed):
        raise SystemExit(f"beatmon tokens failed (see {path}.*.log)")
    with open(path + ".done", "w") as f:
        json.dump(parts, f)
    return parts


def load_tokens(parts, fields=TOKEN_FIELDS, with_records=False):
    """Per record name (basename): dict of the token arrays `fields` of that record, in time order;
    with `with_records`, (arrays, the record's entry in the file's `records` metadata)."""
    out = {}
    for part in parts:
        t = load_file(part)
        with safe_open(part, "np") as f:
            meta = f.metadata()
        entries = json.loads(meta["records"])
        rec = t["record"]
        order = np.argsort(rec, kind="stable")
        bounds = np.searchsorted(rec[order], np.arange(len(entries) + 1))
        for i, entry in enumerate(entries):
            idx = order[bounds[i]:bounds[i + 1]]
            arrays = {k: t[k][idx] for k in fields}
            out[os.path.basename(entry["name"])] = (arrays, entry) if with_records else arrays
    return out
