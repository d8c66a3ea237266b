#!/usr/bin/env python3
"""NeuroKit2's ecg_peaks alone (its default method) on one lead of a WFDB record, for comparison
with beatmon replay in Benchmarks/scripts/holter_benchmark.sh. Reading is timed apart from detection.
usage: holter_nk_peaks.py RECORD"""
import sys
import time

import neurokit2 as nk
import wfdb

started = time.perf_counter()
record = wfdb.rdrecord(sys.argv[1], channels=[0])
read = time.perf_counter() - started
signal = record.p_signal[:, 0]
started = time.perf_counter()
_, info = nk.ecg_peaks(signal, sampling_rate=record.fs)
peaks = time.perf_counter() - started
seconds = len(signal) / record.fs
print("neurokit2 ecg_peaks: %d beats, read %.2f s, peaks %.2f s (%.0fx real time)"
      % (len(info["ECG_R_Peaks"]), read, peaks, seconds / peaks))
