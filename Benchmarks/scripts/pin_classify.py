"""Record-level BEAT-Net probabilities from PyTorch on tokens exported by the Swift tokenizer, to pin
in Tests/OfflineRunsTests/RecordClassificationTests.swift (run from the repository root after a debug build)."""
import sys, subprocess, numpy as np, torch
sys.path.insert(0, "training")
from beatnet_training.batch import predict
from beatnet_training.model import load_weights
from beatnet_training.tokens import load_tokens
recs = ["A00004", "A00008", "A00011", "A00102"]
path = "/tmp/pin_tokens.safetensors"
subprocess.run([".build/debug/beatmon", "tokens"] + [f"../shared/data/cinc2017/{r}" for r in recs] + ["--output", path], check=True)
tokens = load_tokens([path])
model, rr_mode = load_weights("Sources/BeatNet/Resources/beatnet.safetensors")
p = predict(model, tokens, recs, rr_mode=rr_mode)
for r, row in zip(recs, p):
    print(r, " ".join(f"{v:.6f}" for v in row))
