"""PyTorch eager timing of BEAT-Net on the windows beatnet-bench wrote, for its speed comparison.

    python3 Benchmarks/scripts/beatnet_bench.py WEIGHTS.safetensors WINDOWS.safetensors [REPEATS]

WINDOWS holds `w{i}.morphology`, `.log_amplitude`, `.lead_id`, `.lead_mask`, `.rr_features`, `.time`
(one window each, as `window_features` returns them). Runs beatnet_training.model's BeatNet (explain=True,
so beat attention and lead weights are computed as in Swift) in eval mode, no grad, one thread, and
prints one JSON line per window: median microseconds per forward and the probabilities.
"""
import json
import os
import statistics
import sys
import time

import torch
from safetensors.torch import load_file

# The training package (training/, `pip install -e training`); from a checkout without installing
# it, its folder is put on the path.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))
from beatnet_training.model import BeatNet  # noqa: E402


def main():
    weights, windows = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    torch.set_num_threads(1)
    model = BeatNet().eval()
    state = {k: v for k, v in load_file(weights).items() if not k.startswith("case")}
    model.load_state_dict(state)
    tensors = load_file(windows)
    names = sorted({k.split(".")[0] for k in tensors})
    with torch.inference_mode():
        for name in names:
            inputs = [tensors[f"{name}.{key}"].unsqueeze(0) for key in
                      ("morphology", "log_amplitude", "lead_id", "lead_mask", "rr_features", "time")]
            inputs[2] = inputs[2].long()
            inputs[3] = inputs[3].bool()
            for _ in range(30):
                model(*inputs, explain=True)
            samples = []
            for _ in range(repeats):
                start = time.perf_counter_ns()
                logits = model(*inputs, explain=True)[0]
                samples.append((time.perf_counter_ns() - start) / 1000)
            print(json.dumps({"window": name, "median_us": statistics.median(samples),
                              "probabilities": torch.softmax(logits[0], -1).tolist()}))


if __name__ == "__main__":
    main()
