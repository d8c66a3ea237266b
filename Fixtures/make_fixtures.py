"""Rebuilds the excerpts under Fixtures/ from ../shared/data (wfdb-python writes them).

mitdb-202-excerpt/202x: minutes 16:00-22:00 of MIT-BIH record 202 (AF onsets at 19:02 and 19:37,
offsets at 19:18 and 21:32, AF again from 21:42), both leads, format 212, with its reference beat
and rhythm annotations shifted to the excerpt's start; a rhythm annotation `(N` at sample 0 states
the rhythm in force there. Licence of the source: ODC-By 1.0 (MIT-BIH Arrhythmia Database).
Run: python3 Fixtures/make_fixtures.py
"""
import os
import numpy as np
import wfdb

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")


def excerpt(source, name, folder, start_s, stop_s):
    src = os.path.join(DATA, source)
    header = wfdb.rdheader(src)
    fs = header.fs
    start, stop = int(start_s * fs), int(stop_s * fs)
    rec = wfdb.rdrecord(src, sampfrom=start, sampto=stop, physical=False)
    out = os.path.join(HERE, folder)
    os.makedirs(out, exist_ok=True)
    wfdb.wrsamp(name, fs=fs, units=rec.units, sig_name=rec.sig_name, d_signal=rec.d_signal,
                fmt=rec.fmt, adc_gain=rec.adc_gain, baseline=rec.baseline, write_dir=out,
                comments=[f"excerpt of {source}, samples {start}-{stop}"] + rec.comments)
    ann = wfdb.rdann(src, "atr", sampfrom=start, sampto=stop - 1)
    rhythm_in_force = "(N"
    full = wfdb.rdann(src, "atr", sampto=start)
    for symbol, aux in zip(full.symbol, full.aux_note):
        if symbol == "+" and aux:
            rhythm_in_force = aux.rstrip("\x00")
    samples = [0] + [int(s) - start for s in ann.sample]
    symbols = ["+"] + list(ann.symbol)
    aux = [rhythm_in_force] + [a.rstrip("\x00") for a in ann.aux_note]
    subtype = [0] + list(ann.subtype)
    chan = [0] + list(ann.chan)
    num = [0] + list(ann.num)
    wfdb.wrann(name, "atr", np.array(samples), symbol=symbols, aux_note=aux, subtype=np.array(subtype),
               chan=np.array(chan), num=np.array(num), write_dir=out)


excerpt("mitdb/202", "202x", "mitdb-202-excerpt", 16 * 60, 22 * 60)
