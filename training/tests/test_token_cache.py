"""The token cache follows the binary that made it: a changed beatmon exports again."""
import json
import os
import stat

from beatnet_training.paths import Paths
from beatnet_training.tokens import export_tokens

FAKE = """#!/bin/sh
# A stand-in for `beatmon tokens RECORD... --output FILE --skip-unreadable`: counts its calls.
echo call >> "{calls}"
while [ "$1" != "--output" ]; do shift; done
echo tokens > "$2"
# version {version}
"""


def fake_beatmon(tmp_path, version):
    path = tmp_path / "beatmon"
    path.write_text(FAKE.format(calls=tmp_path / "calls", version=version))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def calls(tmp_path):
    return len((tmp_path / "calls").read_text().splitlines()) if (tmp_path / "calls").exists() else 0


def test_a_rebuilt_binary_or_other_records_export_again(tmp_path, monkeypatch):
    binary = fake_beatmon(tmp_path, 1)
    monkeypatch.setenv("BEATMON", binary)
    paths = Paths(root=str(tmp_path), data=str(tmp_path), cache=str(tmp_path / "cache"), runs=str(tmp_path), beatmon=binary)
    target = str(tmp_path / "cache" / "set-tokens")
    parts = export_tokens(paths, ["a", "b", "c"], target, chunks=2)
    assert calls(tmp_path) == 2 and all(os.path.exists(p) for p in parts)
    assert export_tokens(paths, ["a", "b", "c"], target, chunks=2) == parts
    assert calls(tmp_path) == 2                      # cached: same binary, same records
    export_tokens(paths, ["a", "b"], target, chunks=2)
    assert calls(tmp_path) == 4                      # other records
    fake_beatmon(tmp_path, 2)                        # the binary rebuilt with other bytes
    export_tokens(paths, ["a", "b"], target, chunks=2)
    assert calls(tmp_path) == 6
    with open(target + ".done", "w") as f:           # a cache from before fingerprints
        json.dump(parts, f)
    export_tokens(paths, ["a", "b"], target, chunks=2)
    assert calls(tmp_path) == 8
