"""Data, part 4: the dataset the models see. Reads labels.csv and dedup.csv, decodes every kept sound
(mono, 48 kHz; cached under cache/audio/), prepares clips and computes the data digest.

A sound is one file; a group is the velocity layers (or strengths) of one recorded drum; a source
is one recording origin (a Hydrogen kit or kits of one author, an AVL kit, a sample pack, a
soundfont). Leave-one-source-out never has a source in both training and test.
"""
import csv
import hashlib
import os
import sys

import numpy as np
import scipy.signal
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402
import labels as L  # noqa: E402

CACHE = os.path.join(HERE, 'cache')
AUDIO = os.path.join(CACHE, 'audio')
DEDUP = os.path.join(HERE, 'dedup.csv')
CLASSES = L.CLASSES
MAX_SECONDS = 2.0  # decoded audio kept per sound (clips are 0.683 s; the rest is for tail checks)


def read_audio(path):
    """Mono (channel mean) float32 at 48 kHz, the first MAX_SECONDS seconds."""
    x, sr = soundfile.read(path, dtype='float32', always_2d=True)
    x = x[:int(MAX_SECONDS * sr) + 64].mean(axis=1)
    if sr != F.SR:
        g = np.gcd(sr, F.SR)
        x = scipy.signal.resample_poly(x, F.SR // g, sr // g).astype(np.float32)
    return np.ascontiguousarray(x[:int(MAX_SECONDS * F.SR)])


def audio(path):
    """read_audio through the cache (keyed by path, size and modification time)."""
    st = os.stat(path)
    key = hashlib.sha1(('%s|%d|%d' % (path, st.st_size, int(st.st_mtime))).encode()).hexdigest()
    cp = os.path.join(AUDIO, key + '.npy')
    if os.path.exists(cp):
        return np.load(cp)
    os.makedirs(AUDIO, exist_ok=True)
    x = read_audio(path)
    tmp = cp + '.tmp.npy'
    np.save(tmp, x)
    os.replace(tmp, cp)
    return x


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as fh:
        for block in iter(lambda: fh.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def read_dedup():
    """{path: row} of dedup.csv (status 'kept' or 'duplicate')."""
    if not os.path.exists(DEDUP):
        raise SystemExit('no dedup.csv: run dedup.py')
    with open(DEDUP) as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        p = r['path'] if os.path.isabs(r['path']) else os.path.join(HERE, r['path'])
        out[p] = r
    return out


# Sources of one author are one source for leave-one-source-out: Glen MacArthur's kits share
# recordings (dedup.py finds AVL's two kits holding Gimme A Hand's clap and The Black Pearl's hats and
# splash, and the Black Pearl kits are one recording session), ArtemioLabs' two electronic kits and
# emillo's three kits are one author each.
GLEN = 'Glen MacArthur (Black Pearl, Red Zeppelin, Gimme A Hand)'
ORIGIN = {'hydrogen/The Black Pearl 1.0': GLEN, 'hydrogen/Gimme A Hand 1.0': GLEN, 'avldrums/Black_Pearl_4_LV2': GLEN,
          'avldrums/Red_Zeppelin_4_LV2': GLEN, 'hydrogen/ElectricEmpireKit': 'ArtemioLabs (hydrogen)',
          'hydrogen/HardElectro1': 'ArtemioLabs (hydrogen)'}


def source_of(row):
    """The source a sound counts for in leave-one-source-out: labels.csv's source, merged by ORIGIN."""
    return ORIGIN.get(row['source'], row['source'])


def load(role='train'):
    """The kept, labelled sounds of one role as a list of dicts: source, kit, group, label (index into
    CLASSES), tom_rank, path, name, audio (float32, 48 kHz), clip (prepared, CLIP_SAMPLES). Also returns
    the data digest: SHA-256 over labels.csv, dedup.csv and every used file's bytes, in table order."""
    dd = read_dedup()
    digest = hashlib.sha256()
    for p in (L.OUT, DEDUP):
        with open(p, 'rb') as fh:
            digest.update(fh.read())
    items = []
    for r in L.read_labels():
        if r['role'] != role or r['class'] == 'exclude':
            continue
        d = dd.get(r['path'])
        if d is None:
            raise SystemExit('%s is not in dedup.csv: run dedup.py again' % r['path'])
        if d['status'] != 'kept':
            continue
        sha = file_sha256(r['path'])
        if sha != d['sha256']:
            raise SystemExit('%s changed since dedup.csv was written: run dedup.py again' % r['path'])
        digest.update(bytes.fromhex(sha))
        x = audio(r['path'])
        clip = F.prepare_clip(x)
        if clip is None:
            continue
        items.append(dict(source=source_of(r), kit=r['kit'], group=r['group'], label=CLASSES.index(r['class']),
                          tom_rank=int(r['tom_rank']) if r['tom_rank'] else 0, path=r['path'], name=r['name'],
                          audio=x, clip=clip))
    return items, digest.hexdigest()
