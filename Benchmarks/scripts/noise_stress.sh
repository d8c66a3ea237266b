#!/usr/bin/env bash
# Noise stress test table: beatmon's QRS detection on every mitdb record in ../shared/data with the
# nstdb em and ma noise added at 24, 18, 12, 6 and 0 dB SNR (nst's definitions and standard protocol).
# Usage: Benchmarks/scripts/noise_stress.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product beatmon >/dev/null
records=(../shared/data/mitdb/*.hea)
records=("${records[@]%.hea}")
for noise in em ma; do
    .build/release/beatmon evaluate noise --noise "../shared/data/nstdb/$noise" --snr 24,18,12,6,0 "${records[@]}"
done
