#!/usr/bin/env bash
# CPU and memory of `beatmon run` on a live-paced 12-lead, 500 Hz stream (a CinC 2021 record fed to
# stdin in real time by Benchmarks/scripts/live_feed.py). Usage: Benchmarks/scripts/live_cpu.sh [SECONDS] [BEATMON]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
BEATMON=${2:-.build/release/beatmon}
RECORD=../shared/data/cinc2021/E07500
LEADS=I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6
EVENTS=$(mktemp)
python3 Benchmarks/scripts/live_feed.py "$RECORD" "$SECONDS_TO_RUN" \
  | /usr/bin/time -f "beatmon: %U s user + %S s system CPU over %e s wall, max RSS %M KB" \
      "$BEATMON" run --source "stdin?leads=$LEADS&rate=500&scale=1000" --events "$EVENTS"
echo "events: $(wc -l < "$EVENTS") lines"
rm -f "$EVENTS"
