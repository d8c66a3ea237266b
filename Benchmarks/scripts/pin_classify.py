"""Record-level BEAT-Net probabilities from PyTorch on tokens exported by the Swift tokenizer, to pin
in Tests/OfflineRunsTests/RecordClassificationTests.swift (run from the repository root after a debug build)."""
import sys, subprocess, numpy as np, torch
sys.path.insert(0, "training")
from beatnet_training.batch import predict
from beatnet_training.model import BeatNet
from beatnet_training.tokens import load_tokens
from safetensors.torch import load_file
recs = ["A00004", "A00008", "A00011", "A00102"]
path = "/tmp/pin_tokens.safetensors"
subprocess.run([".build/debug/beatmon", "tokens"] + [f"../shared/data/cinc2017/{r}" for r in recs] + ["--output", path], check=True)
tokens = load_tokens([path])
model = BeatNet()
model.load_state_dict(load_file("Sources/BeatNet/Resources/beatnet.safetensors"))
p = predict(model, tokens, recs)
for r, row in zip(recs, p):
    print(r, " ".join(f"{v:.6f}" for v in row))
