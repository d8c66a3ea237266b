import os
import sys, json, os, subprocess
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import dump_signal as d
mode = sys.argv[1]; sets = sys.argv[2].split(',')
verbose = len(sys.argv) > 3
tot = {}
for s in sets:
    names = sorted(f[:-4] for f in os.listdir(d.DATA + '/' + s) if f.endswith('.hea'))
    if s == 'svdb': names = ['800']
    T = {}
    for r in names:
        base = f'/tmp/qrs/{s}_{r}'
        m = json.load(open(base + '.json'))
        subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), '.build/release/bench'), mode, base + '.f32', str(m['fs']), str(m['leads']), '/tmp/out/' + f'{s}_{r}'], check=True, stderr=subprocess.DEVNULL)
        outs = [f'/tmp/out/{s}_{r}.{l}.txt' for l in range(m['leads'])] if mode == 'single' else [f'/tmp/out/{s}_{r}.f.txt']
        line = []
        for k, o in enumerate(outs):
            tp, fn, fp, missed, extra = d.score(s, r, o, m['fs'], m['frames'])
            a = T.setdefault(k, [0, 0, 0]); a[0] += tp; a[1] += fn; a[2] += fp
            line.append(f'L{k} FN {fn:4d} FP {fp:4d}')
            if verbose and (fn > 10 or fp > 10): line.append(f' missed {missed[:5]} extra {extra[:5]}')
        if verbose or any(('FN    0 FP    0' not in x) for x in line if x.startswith('L')):
            print(s, r, ' | '.join(line))
    for k, (tp, fn, fp) in T.items():
        print(f'== {s} lead {k}: TP {tp} FN {fn} FP {fp} Se {tp/(tp+fn):.4%} +P {tp/(tp+fp):.4%}')
