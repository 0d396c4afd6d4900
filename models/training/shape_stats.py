#!/usr/bin/python3
"""Generation statistics (evaluation.shape_stats, the same as metrics.json's vae_generation) of WAV
files that Java wrote, e.g. `latentkit generate --seed N` for 100 seeds:

  /usr/bin/python3 models/training/shape_stats.py DIR     # every *.wav in DIR
"""
import glob
import json
import os
import sys

import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluation as E  # noqa: E402


def main():
    files = sorted(glob.glob(os.path.join(sys.argv[1], '*.wav')))
    stats = []
    for f in files:
        x, sr = soundfile.read(f, dtype='float32')
        if sr != 48000 or x.ndim != 1:
            raise SystemExit('%s: %d Hz, %d channels; expected mono 48 kHz' % (f, sr, 1 if x.ndim == 1 else x.shape[1]))
        stats.append(E.shape_stats(x))
    res = E.summarise_shapes(stats)
    res['last_sample_db_max'] = max(s['last_sample_db'] for s in stats)
    print(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
