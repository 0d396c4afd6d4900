#!/usr/bin/python3
"""Data, part 3: deduplication across every source (and of the evaluation-only sounds against the
training ones), written to dedup.csv.

Two tests, in order:
1. exact: the same file bytes (SHA-256);
2. near-duplicate: the normalised cross-correlation of the first 0.4 s after the onset (the start
   features.prepare_clip uses), maximised over lags of up to 10 ms, above NEAR (0.95). This catches
   the same recording re-encoded, resampled, trimmed, shifted or at another gain (the correlation of
   unit-norm segments ignores gain); it does not call two velocity layers of one drum duplicates
   (they are different strokes; their correlation is typically 0.3-0.9), which stay as separate
   sounds of one group.
Pairs are first screened cheaply (correlation at lag 0 and the cosine of coarse spectral envelopes)
and every screened pair is then correlated exactly over all lags.

Which copy is kept: training before evaluation (an evaluation sound that duplicates a training
sound is dropped from evaluation), then the source order of PRIORITY, then table order.
Sources that share recordings or an author are one source for leave-one-source-out (data.ORIGIN);
this script prints the pairs above RELATED (0.8) across two such sources as a check on that.

  /usr/bin/python3 models/training/dedup.py        # labels.csv -> dedup.csv
"""
import csv
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data as D  # noqa: E402
import features as F  # noqa: E402
import labels as L  # noqa: E402

NEAR = 0.95
RELATED = 0.80
SEG = int(0.4 * F.SR)
MAX_LAG = int(0.010 * F.SR)
PRIORITY = ['hydrogen/', 'avldrums/', 'sonic-pi', 'lmms', 'exadrums', 'freepats', 'opl3', 'eval/']

def segment(x):
    """First 0.4 s from the onset, zero-mean, unit norm (None if silent)."""
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak < F.SILENCE_PEAK:
        return None
    first = int(np.argmax(np.abs(x) >= F.ONSET_FRACTION * peak))
    s = np.zeros(SEG, dtype=np.float64)
    seg = x[max(0, first - F.PREROLL):max(0, first - F.PREROLL) + SEG]
    s[:seg.size] = seg
    s -= s.mean()
    n = np.linalg.norm(s)
    return s / n if n > 0 else None


def envelope(s):
    """Coarse spectral envelope (log energy in 32 bands over 8 time slices), unit norm, for screening."""
    frames = s[:SEG - SEG % 8].reshape(8, -1)
    spec = np.abs(np.fft.rfft(frames * np.hanning(frames.shape[1]), axis=1)) ** 2
    edges = np.unique(np.geomspace(1, spec.shape[1], 33).astype(int))
    e = np.log(np.stack([spec[:, a:b].sum(axis=1) for a, b in zip(edges[:-1], edges[1:])], axis=1) + 1e-9)
    e = (e - e.mean()).ravel()
    return e / max(np.linalg.norm(e), 1e-9)


def max_ncc(a_fft, b_fft, n):
    c = np.fft.irfft(a_fft * np.conj(b_fft), n)
    return float(max(c[:MAX_LAG + 1].max(), c[-MAX_LAG:].max()))


def rank(r, idx):
    role = 0 if r['role'] == 'train' else 1
    src = next((i for i, p in enumerate(PRIORITY) if r['source'].startswith(p)), len(PRIORITY))
    npm = 1 if r['package'] == 'supersonic-scsynth-samples' else 0
    return (role, src, npm, idx)


def main():
    rows = [r for r in L.read_labels() if r['class'] != 'exclude']
    print('%d labelled sounds' % len(rows), flush=True)
    sha = [D.file_sha256(r['path']) for r in rows]
    segs = [segment(D.audio(r['path'])) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: rank(rows[i], i))
    status = ['kept'] * len(rows)
    dup_of = [''] * len(rows)
    test = [''] * len(rows)
    score = [''] * len(rows)
    # 1. exact bytes
    first = {}
    for i in order:
        if sha[i] in first:
            status[i], dup_of[i], test[i], score[i] = 'duplicate', rows[first[sha[i]]]['path'], 'exact', '1'
        else:
            first[sha[i]] = i
        if segs[i] is None:
            status[i], test[i] = 'silent', 'silent'
    # 2. near-duplicates among the rest
    live = [i for i in order if status[i] == 'kept']
    S = np.stack([segs[i] for i in live])
    E = np.stack([envelope(segs[i]) for i in live])
    lag0 = S @ S.T
    env = E @ E.T
    cand = np.argwhere(np.triu((lag0 > 0.5) | (env > 0.95), 1))
    n = 1 << int(np.ceil(np.log2(SEG + MAX_LAG + 1)))
    ffts = {}

    def fft_of(k):
        if k not in ffts:
            ffts[k] = np.fft.rfft(S[k], n)
        return ffts[k]
    ncc = {}
    for a, b in cand:
        ncc[(a, b)] = max_ncc(fft_of(a), fft_of(b), n)
    print('%d pairs screened of %d, exact correlations computed' % (len(cand), len(live) * (len(live) - 1) // 2),
          flush=True)
    # check of the screen: exact correlations of random pairs it let through
    rng = np.random.default_rng(1)
    screened = set(map(tuple, cand))
    miss = []
    while len(miss) < 3000:
        a, b = sorted(rng.integers(0, len(live), 2))
        if a != b and (a, b) not in screened:
            miss.append(max_ncc(fft_of(a), fft_of(b), n))
    print('screen check: 3000 random unscreened pairs, max correlation %.3f (99th percentile %.3f)'
          % (max(miss), np.percentile(miss, 99)), flush=True)
    related = {}
    # live is in keep order, so for a < b the kept copy of a near-duplicate pair is a
    for (a, b), v in sorted(ncc.items()):
        ia, ib = live[a], live[b]
        sa, sb = D.source_of(rows[ia]) if rows[ia]['role'] == 'train' else rows[ia]['source'], \
            D.source_of(rows[ib]) if rows[ib]['role'] == 'train' else rows[ib]['source']
        if v > RELATED and sa != sb:
            key = tuple(sorted((sa, sb)))
            related[key] = related.get(key, 0) + 1
        if v > NEAR and status[ib] == 'kept' and status[ia] == 'kept':
            status[ib], dup_of[ib], test[ib], score[ib] = 'duplicate', rows[ia]['path'], 'ncc', '%.4f' % v
    tmp = D.DEDUP + '.tmp'
    with open(tmp, 'w', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['path', 'source', 'class', 'status', 'test', 'score', 'duplicate_of', 'duplicate_of_class',
                    'sha256'])
        by_path = {r['path']: r for r in rows}
        for i, r in enumerate(rows):
            other = by_path.get(dup_of[i])
            w.writerow([rel(r['path']), r['source'], r['class'], status[i], test[i], score[i], rel(dup_of[i]),
                        other['class'] if other else '', sha[i]])
    os.replace(tmp, D.DEDUP)
    counts = {}
    for i, r in enumerate(rows):
        k = (r['role'], r['source'], status[i], test[i])
        counts[k] = counts.get(k, 0) + 1
    for k in sorted(counts):
        print(k, counts[k])
    print('cross-source pairs above %.2f:' % RELATED)
    for k, v in sorted(related.items(), key=lambda kv: -kv[1]):
        print('  %4d  %s <-> %s' % (v, k[0], k[1]))
    conflicts = [(r, by_path[dup_of[i]]) for i, r in enumerate(rows)
                 if status[i] == 'duplicate' and by_path[dup_of[i]]['class'] != r['class']]
    print('%d duplicates whose kept copy has another label:' % len(conflicts))
    for r, o in conflicts:
        print('  %s (%s) = %s (%s)' % (rel(r['path']), r['class'], rel(o['path']), o['class']))


def rel(p):
    return os.path.relpath(p, HERE) if p.startswith(D.CACHE) else p


if __name__ == '__main__':
    main()
