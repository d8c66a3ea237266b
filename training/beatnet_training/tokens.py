"""Beat tokens from `beatmon tokens`, exported into training/cache/ and reused while the binary and the records stay the same."""
import hashlib
import json
import os
import subprocess

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

TOKEN_FIELDS = ("rr", "quality", "lead_id", "amplitude", "morphology")


_built = set()    # binaries built (or found, with $BEATMON) by this process: once is enough
_digests = {}     # (path, size, mtime) -> SHA-256 of the binary's bytes


def ensure_beatmon(paths):
    """Builds beatmon into .build-train (incremental: a no-op when the sources did not change), unless
    $BEATMON names a prebuilt one. Always built, never merely found: tokens from a binary older than
    the sources would train the model on another detector's beats than the monitor's."""
    if paths.beatmon in _built:
        return
    if os.environ.get("BEATMON"):
        if not os.path.exists(paths.beatmon):
            raise SystemExit(f"BEATMON={paths.beatmon} does not exist")
    else:
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-train", "--product", "beatmon"],
                       cwd=paths.root, check=True)
    _built.add(paths.beatmon)


def fingerprint(binary, records):
    """What a token export depends on: the beatmon binary that made it (its bytes) and the records."""
    info = os.stat(binary)
    key = (binary, info.st_size, info.st_mtime_ns)
    if key not in _digests:
        digest = hashlib.sha256()
        with open(binary, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        _digests[key] = digest.hexdigest()
    return {"beatmon_sha256": _digests[key],
            "records_sha256": hashlib.sha256("\n".join(records).encode()).hexdigest()}


def export_tokens(paths, records, path, chunks=2):
    """`beatmon tokens` over `records`, in `chunks` parallel processes; returns the chunk files.
    Cached in `path.done` with the fingerprint of the binary and the records: a rebuilt beatmon
    whose bytes changed, or other records, export again (about a minute for cinc2017), so the
    model always trains on the tokens the monitor makes now."""
    ensure_beatmon(paths)
    expected = fingerprint(paths.beatmon, records)
    if os.path.exists(path + ".done"):
        with open(path + ".done") as f:
            done = json.load(f)
        if isinstance(done, dict) and done.get("fingerprint") == expected:
            return done["parts"]
        print(f"token cache {os.path.basename(path)}: made by another beatmon or for other records; exporting again")
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
        json.dump({"parts": parts, "fingerprint": expected}, f)
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
