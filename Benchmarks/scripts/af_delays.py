#!/usr/bin/env python3
"""Alert delays and false-alarm rates from `beatmon rhythm` output (run by af_benchmark.sh).

Delay: for each reference AF onset after the 5-minute learning period that the test detects
(and was not already in an AF alarm at), the time from the reference onset to the first test
*alert* (the moment the monitor raised it, from events.jsonl) of an episode overlapping it. nsrdb: false AF episodes
per 24 h of monitoring.
Usage: af_delays.py DATA_DIR OUT_DIR
"""
import json, os, statistics, sys
import wfdb

data, out = sys.argv[1], sys.argv[2]


def episodes(ann, end, prefix="(AFIB"):
    spans, start = [], None
    for s, sym, aux in zip(ann.sample, ann.symbol, ann.aux_note):
        if sym != "+":
            continue
        match = aux.rstrip("\x00").startswith(prefix)
        if start is None and match:
            start = s
        elif start is not None and not match:
            spans.append((start, s)); start = None
    if start is not None:
        spans.append((start, max(end, ann.sample[-1])))
    return spans


def events(path):
    result = {}
    if os.path.exists(path):
        for line in open(path):
            e = json.loads(line)
            # The event log names its source ("file:PATH" or "annotations:PATH.ANN"): the record is its base name.
            record = e.get("record") or os.path.basename(e["source"].split(":", 1)[1]).split(".")[0]
            result.setdefault(record, []).append(e)
    return result


for dataset in ("afdb", "mitdb", "cpsc2021"):
    folder = os.path.join(out, dataset)
    if not os.path.isdir(folder):
        continue
    log = events(os.path.join(folder, "events.jsonl"))
    delays = []
    for record, evs in sorted(log.items()):
        header = wfdb.rdheader(os.path.join(data, dataset, record))
        fs, end = header.fs, header.sig_len
        # The learning period (5 minutes) applies to records longer than 10 minutes, as in EC57.
        learning = 300 * fs if end > 600 * fs else 0
        ref = [e for e in episodes(wfdb.rdann(os.path.join(data, dataset, record), "atr"), end)
               if e[1] >= learning]
        onsets = [e for e in evs if e["event"] == "af-onset"]
        offsets = [e for e in evs if e["event"] == "af-offset"]
        test = []
        for i, on in enumerate(onsets):
            off = offsets[i]["boundarySample"] if i < len(offsets) else end
            test.append((on["boundarySample"], off, on["alertSample"]))
        for rs, re in ref:
            if rs < max(learning, 1):
                continue  # began in the learning period or with the record: no onset to time
            hits = [t for t in test if t[0] < re and t[1] > rs]
            if hits and all(h[2] >= rs for h in hits):  # not already in an AF alarm
                delays.append((min(h[2] for h in hits) - rs) / fs)
    if delays:
        print(f"{dataset}: alert delay from reference onset, median {statistics.median(delays):.1f} s, "
              f"n={len(delays)}, quartiles {statistics.quantiles(delays, n=4)[0]:.1f}/"
              f"{statistics.quantiles(delays, n=4)[2]:.1f} s" if len(delays) > 1 else
              f"{dataset}: alert delay {delays[0]:.1f} s (n=1)")

folder = os.path.join(out, "nsrdb")
if os.path.isdir(folder):
    log = events(os.path.join(folder, "events.jsonl"))
    hours, false_episodes = 0.0, 0
    for name in sorted(f[:-4] for f in os.listdir(os.path.join(data, "nsrdb")) if f.endswith(".hea")):
        header = wfdb.rdheader(os.path.join(data, "nsrdb", name))
        hours += (header.sig_len / header.fs - 300) / 3600
        n = sum(1 for e in log.get(name, []) if e["event"] == "af-onset")
        false_episodes += n
        print(f"nsrdb {name}: {n} AF episodes")
    print(f"nsrdb: {false_episodes} false AF episodes in {hours:.1f} h scored = "
          f"{false_episodes / hours * 24:.2f} per 24 h")
