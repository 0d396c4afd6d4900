#!/usr/bin/python3
"""Tom size by pitch rank within a kit. A tom's pitch is the lowest strong spectral peak in the
first 200 ms after its onset; a kit's toms sorted by it, lowest first, are its low, mid and high
toms. Java's io.latentkit.models.TomRanker implements the same steps with the same constants.

Steps: start at the clip start of features.prepare_clip (64 samples before the first sample at 5%
of the peak); take WINDOW_S seconds; multiply by a periodic Hann window; magnitude of an N_FFT-point
FFT (zero-padded); the peaks are bins in [F_LO, F_HI] Hz larger than both neighbours and at least
THRESHOLD times the largest magnitude in that range; the pitch is the lowest peak, refined by
parabolic interpolation of the log magnitudes (with no such peak, the largest bin in the range).

Run to check it on the training kits (tom pairs of different known size, from names or GM notes):
  /usr/bin/python3 models/training/tom_pitch.py
"""
import itertools
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402

WINDOW_S = 0.200
N_FFT = 16384
F_LO = 40.0
F_HI = 1000.0
THRESHOLD = 0.2


def pitch_hz(x, threshold=THRESHOLD, window_s=WINDOW_S):
    """Lowest strong spectral peak (Hz) of a hit in its first window_s seconds, or None if silent."""
    x = np.asarray(x, dtype=np.float64)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak < F.SILENCE_PEAK:
        return None
    first = int(np.argmax(np.abs(x) >= F.ONSET_FRACTION * peak))
    start = max(0, first - F.PREROLL)
    n = int(round(window_s * F.SR))
    seg = np.zeros(n)
    part = x[start:start + n]
    seg[:part.size] = part
    seg *= 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
    mag = np.abs(np.fft.rfft(seg, N_FFT))
    lo, hi = int(np.ceil(F_LO * N_FFT / F.SR)), int(np.floor(F_HI * N_FFT / F.SR))
    band = mag[lo:hi + 1]
    top = band.max()
    if top <= 0:
        return None
    for k in range(max(lo, 1), min(hi, mag.size - 2) + 1):
        if mag[k] > mag[k - 1] and mag[k] >= mag[k + 1] and mag[k] >= threshold * top:
            a, b, c = np.log(mag[k - 1] + 1e-30), np.log(mag[k] + 1e-30), np.log(mag[k + 1] + 1e-30)
            d = a - 2 * b + c
            off = 0.5 * (a - c) / d if d < 0 else 0.0
            return (k + off) * F.SR / N_FFT
    # no interior peak (the energy falls away from an edge of the range): the largest bin in range
    return (lo + int(np.argmax(band))) * F.SR / N_FFT


def rank_toms(pitches):
    """Ranks (0 = lowest) of toms by pitch; ties keep input order."""
    order = sorted(range(len(pitches)), key=lambda i: (pitches[i], i))
    r = [0] * len(pitches)
    for k, i in enumerate(order):
        r[i] = k
    return r


def check(items, threshold=THRESHOLD, window_s=WINDOW_S, verbose=False):
    """Pairs of toms of one kit whose known ranks differ: how many the pitch orders right. Counted
    over every pair of sounds (each velocity layer is a sound) and over one representative per drum
    (its loudest-peaking layer: the first in table order of its group)."""
    kits = {}
    for it in items:
        if it['label_name'] == 'tom' and it['tom_rank']:
            kits.setdefault((it['source'], it['kit']), []).append(it)
    res = dict(pairs=0, right=0, drum_pairs=0, drum_right=0, kits={})
    for key, toms in sorted(kits.items()):
        p = [pitch_hz(t['audio'], threshold, window_s) for t in toms]
        pr = [(t, q) for t, q in zip(toms, p) if q is not None]
        right = pairs = 0
        for (a, pa), (b, pb) in itertools.combinations(pr, 2):
            if a['tom_rank'] != b['tom_rank']:
                pairs += 1
                right += int((pa < pb) == (a['tom_rank'] < b['tom_rank']))
        reps = {}
        for t, q in pr:
            reps.setdefault(t['group'], (t, q))
        dr = dp = 0
        for (a, pa), (b, pb) in itertools.combinations(reps.values(), 2):
            if a['tom_rank'] != b['tom_rank']:
                dp += 1
                dr += int((pa < pb) == (a['tom_rank'] < b['tom_rank']))
        res['pairs'] += pairs
        res['right'] += right
        res['drum_pairs'] += dp
        res['drum_right'] += dr
        res['kits']['%s / %s' % key] = dict(pairs=pairs, right=right, drum_pairs=dp, drum_right=dr,
                                            toms=[(t['name'], t['tom_rank'], round(q, 1)) for t, q in pr])
        if verbose:
            print('%-60s %3d/%3d pairs, %2d/%2d drums' % ('%s / %s' % key, right, pairs, dr, dp))
            for t, q in sorted(pr, key=lambda tq: tq[1]):
                print('      %7.1f Hz  rank %d  %s' % (q, t['tom_rank'], t['name']))
    return res


def main():
    """The constants were chosen on the training kits only: the grid below, best drum pairs, then
    best sound pairs. The evaluation-only FluidR3_GM kits are scored once, with the chosen ones."""
    import data as D
    items, _ = D.load('train')
    for it in items:
        it['label_name'] = D.CLASSES[it['label']]
    global F_LO
    chosen = F_LO
    grid = []
    for lo in (30.0, 40.0, 50.0, 60.0):
        F_LO = lo
        for th in (0.2, 0.25, 0.3, 0.5):
            for w in (0.1, 0.2):
                r = check(items, th, w)
                grid.append(dict(f_lo=lo, threshold=th, window_s=w, right=r['right'], pairs=r['pairs'],
                                 drum_right=r['drum_right'], drum_pairs=r['drum_pairs']))
                print('f_lo %3.0f Hz threshold %.2f window %.1f s: %d/%d sound pairs, %d/%d drum pairs' % (
                    lo, th, w, r['right'], r['pairs'], r['drum_right'], r['drum_pairs']))
    F_LO = chosen
    r = check(items, verbose=True)
    print('chosen (f_lo %.0f Hz, threshold %.2f, window %.1f s): %d/%d sound pairs right (%.1f%%), %d/%d drum '
          'pairs (%.1f%%)' % (F_LO, THRESHOLD, WINDOW_S, r['right'], r['pairs'], 100.0 * r['right'] / r['pairs'],
                             r['drum_right'], r['drum_pairs'], 100.0 * r['drum_right'] / r['drum_pairs']))
    ev, _ = D.load('eval')
    for it in ev:
        it['label_name'] = D.CLASSES[it['label']]
    e = check(ev)
    print('evaluation only (FluidR3_GM kits): %d/%d sound pairs, %d/%d drum pairs' % (
        e['right'], e['pairs'], e['drum_right'], e['drum_pairs']))
    os.makedirs(os.path.join(HERE, 'out'), exist_ok=True)
    with open(os.path.join(HERE, 'out', 'tom_pitch.json'), 'w') as fh:
        json.dump(dict(f_lo=F_LO, threshold=THRESHOLD, window_s=WINDOW_S, grid=grid, train=r, eval=e), fh, indent=1)


if __name__ == '__main__':
    main()
