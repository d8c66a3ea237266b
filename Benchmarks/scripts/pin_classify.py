"""Record-level BEAT-Net probabilities from PyTorch on tokens exported by the Swift tokenizer, to pin
in Tests/OfflineRunsTests/RecordClassificationTests.swift (run from the repository root after a debug build)."""
import sys, subprocess, numpy as np, torch
sys.path.insert(0, "training")
import train, beatnet
from safetensors.torch import load_file
recs = ["A00004", "A00008", "A00011", "A00102"]
path = "/tmp/pin_tokens.safetensors"
subprocess.run([".build/debug/beatmon", "tokens"] + [f"../shared/data/cinc2017/{r}" for r in recs] + ["--output", path], check=True)
tokens = train.load_tokens([path])
model = beatnet.BeatNet()
model.load_state_dict(load_file("Sources/BeatNet/Resources/beatnet.safetensors"))
p = train.predict(model, tokens, recs)
for r, row in zip(recs, p):
    print(r, " ".join(f"{v:.6f}" for v in row))
