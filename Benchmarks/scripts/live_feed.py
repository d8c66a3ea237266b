"""Feeds a WFDB record to stdout as a live ECG board would: one text line of ADC counts per frame,
in real time (a burst every 20 ms), looping the record, for a given number of seconds.

Usage: python3 Benchmarks/scripts/live_feed.py RECORD SECONDS | beatmon run --source 'stdin?leads=...&rate=...&scale=...'
"""
import sys
import time

import wfdb

record, seconds = sys.argv[1], float(sys.argv[2])
rec = wfdb.rdrecord(record, physical=False)
fs, frames = rec.fs, rec.d_signal
lines = [",".join(str(int(v)) for v in row) + "\n" for row in frames]
out = sys.stdout
start = time.monotonic()
sent = 0
total = int(seconds * fs)
while sent < total:
    due = int((time.monotonic() - start) * fs)
    while sent < min(due, total):
        out.write(lines[sent % len(lines)])
        sent += 1
    out.flush()
    time.sleep(0.02)
