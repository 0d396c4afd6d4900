"""Data, part 1: the training sources and how their sounds are gathered.

Every source is a Debian package or the npm package supersonic-scsynth-samples. Sample packs are
read where they are installed; soundfonts are rendered note by note (one MIDI note per 3 s slot,
reverb and chorus off) with fluidsynth, and freepats with timidity, into cache/render/. The result
is cache/inventory.csv: one row per sound file with its source, package, name, MIDI note and
velocity (rendered sounds), and the group of velocity layers it belongs to (one recorded sound).

FluidR3_GM (fluid-soundfont-gm) is rendered the same way but only ever used for evaluation
(role 'eval'); the house rules forbid training or tuning on it.

  /usr/bin/python3 models/training/sources.py      # what fetch_data.sh runs after installing
"""
import csv
import glob
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import numpy as np
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache')
RENDER = os.path.join(CACHE, 'render')
INVENTORY = os.path.join(CACHE, 'inventory.csv')
NPM_DIR = os.path.join(CACHE, 'npm')
NPM_PACKAGE = 'supersonic-scsynth-samples'
NPM_VERSION = '0.84.2'
HYDROGEN = '/usr/share/hydrogen/data/drumkits'
SF2 = '/usr/share/sounds/sf2'
RATE = 48000
SLOT_S = 3.0      # one rendered note per slot
HOLD_S = 2.0      # note-off after this; the rest of the slot is release
KEEP_S = 2.0      # seconds of each rendered note that are kept
FIELDS = ['source', 'package', 'role', 'path', 'name', 'note', 'velocity', 'group']

# Hydrogen kits recorded by one author from one set of recordings count as one source, so that
# leave-one-source-out never trains on one of them and tests on another.
HYDROGEN_SOURCE = {
    'Millo-Drums_v.1': 'hydrogen/Millo', 'Millo_MultiLayered2': 'hydrogen/Millo',
    'Millo_MultiLayered3': 'hydrogen/Millo',
}


# ------------------------------------------------------------------------------------ soundfonts
def _chunks(b, off, end):
    while off < end:
        cid, size = struct.unpack_from('<4sI', b, off)
        yield cid, off + 8, size
        off += 8 + size + (size & 1)


def sf2_zones(path):
    """{(bank, preset, name): [(key_lo, key_hi, vel_lo, vel_hi, sample_name)]} from an SF2 file's
    preset, instrument and sample headers (only what rendering needs)."""
    b = open(path, 'rb').read()
    if b[:4] != b'RIFF' or b[8:12] != b'sfbk':
        raise ValueError(path + ': not a SoundFont 2 file')
    pd = {}
    for cid, off, size in _chunks(b, 12, len(b)):
        if cid == b'LIST' and b[off:off + 4] == b'pdta':
            for c2, o2, s2 in _chunks(b, off + 4, off + size):
                pd[c2.decode()] = b[o2:o2 + s2]

    def table(name, fmt):
        n = struct.calcsize('<' + fmt)
        return [struct.unpack_from('<' + fmt, pd[name], i) for i in range(0, len(pd[name]), n)]
    phdr, pbag, pgen = table('phdr', '20sHHHIII'), table('pbag', 'HH'), table('pgen', 'HH')
    inst, ibag, igen = table('inst', '20sH'), table('ibag', 'HH'), table('igen', 'HH')
    shdr = table('shdr', '20sIIIIIBbHH')

    def name(s):
        return s.split(b'\0')[0].decode('latin1').strip()
    out = {}
    for pi in range(len(phdr) - 1):
        zones = []
        for bi in range(phdr[pi][3], phdr[pi + 1][3]):
            g = {pgen[k][0]: pgen[k][1] for k in range(pbag[bi][0], pbag[bi + 1][0])}
            if 41 not in g:  # global preset zone
                continue
            ii, pkr = g[41], g.get(43, 0x7f00)
            for ib in range(inst[ii][1], inst[ii + 1][1]):
                h = {igen[k][0]: igen[k][1] for k in range(ibag[ib][0], ibag[ib + 1][0])}
                if 53 not in h:
                    continue
                kr, vr = h.get(43, 0x7f00), h.get(44, 0x7f00)
                lo, hi = max(kr & 0xff, pkr & 0xff), min(kr >> 8, pkr >> 8)
                if lo <= hi:
                    zones.append((lo, hi, vr & 0xff, vr >> 8, name(shdr[h[53]][0])))
        out[(phdr[pi][2], phdr[pi][1], name(phdr[pi][0]))] = zones
    return out


def sf2_plan(zones, notes=range(27, 88)):
    """(note, velocity, sample name) to render: one velocity per distinct velocity zone of a note
    (its middle), so that every velocity layer is rendered once."""
    plan = []
    for n in notes:
        zs = [z for z in zones if z[0] <= n <= z[1]]
        ranges = sorted({(max(1, z[2]), z[3]) for z in zs})
        for lo, hi in ranges:
            names = sorted({z[4] for z in zs if (max(1, z[2]), z[3]) == (lo, hi)})
            plan.append((n, (lo + hi + 1) // 2, '+'.join(names)))
    return plan


def write_midi(path, events, channel, program=0, bank=None):
    """A type-0 MIDI file, 1 tick = 1 ms: each event (note, velocity) in its own SLOT_S slot."""
    def vlq(v):
        b = [v & 0x7f]
        v >>= 7
        while v:
            b.insert(0, 0x80 | (v & 0x7f))
            v >>= 7
        return bytes(b)
    trk = bytearray()
    trk += vlq(0) + b'\xff\x51\x03' + (1000000).to_bytes(3, 'big')  # 1 s per quarter, 1000 ticks
    if bank is not None:
        trk += vlq(0) + bytes([0xb0 | channel, 0, bank])
        trk += vlq(0) + bytes([0xb0 | channel, 32, 0])
    trk += vlq(0) + bytes([0xc0 | channel, program])
    slot, hold = int(SLOT_S * 1000), int(HOLD_S * 1000)
    last = 0
    for i, (note, vel) in enumerate(events):
        t_on = 500 + i * slot
        trk += vlq(t_on - last) + bytes([0x90 | channel, note, vel])
        trk += vlq(hold) + bytes([0x80 | channel, note, 0])
        last = t_on + hold
    trk += vlq(slot) + b'\xff\x2f\x00'
    with open(path, 'wb') as fh:
        fh.write(b'MThd' + struct.pack('>IHHH', 6, 0, 1, 1000))
        fh.write(b'MTrk' + struct.pack('>I', len(trk)) + trk)


def slice_render(wav, events, out_dir):
    """Cuts a render of write_midi's events into one mono float file per event; returns paths."""
    x, sr = soundfile.read(wav, dtype='float32', always_2d=True)
    assert sr == RATE, (wav, sr)
    x = x.mean(axis=1)
    paths = []
    for i, (note, vel) in enumerate(events):
        a = int((0.5 + i * SLOT_S) * RATE) - 240  # 5 ms before the note-on
        seg = x[a:a + int(KEEP_S * RATE)]
        p = os.path.join(out_dir, '%03d_v%03d.wav' % (note, vel))
        soundfile.write(p, seg, RATE, subtype='FLOAT')
        paths.append(p)
    return paths


def render(font, events, out_dir, channel, program=0, bank=None):
    """fluidsynth renders all events in one run (its timing is exact), then the render is sliced."""
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        mid, wav = os.path.join(tmp, 'notes.mid'), os.path.join(tmp, 'out.wav')
        write_midi(mid, events, channel, program, bank)
        subprocess.run(['fluidsynth', '-n', '-i', '-q', '-R', '0', '-C', '0', '-g', '0.5', '-r', str(RATE),
                        '-O', 'float', '-T', 'wav', '-F', wav, font, mid],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return slice_render(wav, events, out_dir)


def render_timidity(cfg, note, velocity, path):
    """One note in its own timidity run with only the given config (never the system default, which
    is FluidR3_GM, evaluation only). timidity drops the silence before the first note, so a run per
    note is the simple way to know where each one starts."""
    with tempfile.TemporaryDirectory() as tmp:
        mid, wav = os.path.join(tmp, 'note.mid'), os.path.join(tmp, 'out.wav')
        write_midi(mid, [(note, velocity)], 9)
        subprocess.run(['timidity', '-c', cfg, '-Ow', '--output-stereo', '--output-16bit', '-s', str(RATE),
                        '-EFreverb=d', '-EFchorus=d', '-A', '100', '-o', wav, mid],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        x, sr = soundfile.read(wav, dtype='float32', always_2d=True)
    assert sr == RATE, (path, sr)
    seg = np.zeros(int(KEEP_S * RATE), dtype=np.float32)
    x = x.mean(axis=1)[:seg.size]
    seg[240:240 + x.size] = x[:seg.size - 240]
    soundfile.write(path, seg, RATE, subtype='FLOAT')


def gather_sf2(rows, source, package, role, font, bank, preset, channel, notes=range(27, 88)):
    zones = sf2_zones(font)
    key = [k for k in zones if k[0] == bank and k[1] == preset]
    if not key:
        raise ValueError('%s has no preset %d:%d' % (font, bank, preset))
    plan = sf2_plan(zones[key[0]], notes)
    out = os.path.join(RENDER, source.replace('/', '_'))
    events = [(n, v) for n, v, _ in plan]
    paths = render(font, events, out, channel, preset, bank if channel != 9 else None)
    for (n, v, sname), p in zip(plan, paths):
        rows.append(dict(source=source, package=package, role=role, path=p, name=sname, note=n, velocity=v,
                         group='%s#%d' % (source, n)))


def gather_freepats(rows):
    cfg = '/etc/timidity/freepats.cfg'
    notes = []
    for line in open(cfg):
        if line.startswith('bank'):
            break
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit() and 'Drum_000' in parts[1]:
            notes.append((int(parts[0]), os.path.basename(parts[1])[4:-4]))
    out = os.path.join(RENDER, 'freepats')
    os.makedirs(out, exist_ok=True)
    for n, name in notes:
        p = os.path.join(out, '%03d_v100.wav' % n)
        render_timidity(cfg, n, 100, p)
        rows.append(dict(source='freepats', package='freepats', role='train', path=p, name=name, note=n,
                         velocity=100, group='freepats#%d' % n))


# ---------------------------------------------------------------------------------- sample packs
def ns_of(root):
    return root.tag.split('}')[0] + '}' if root.tag.startswith('{') else ''


def gather_hydrogen(rows):
    for kit in sorted(os.listdir(HYDROGEN)):
        xml = os.path.join(HYDROGEN, kit, 'drumkit.xml')
        root = ET.parse(xml).getroot()
        ns = ns_of(root)
        source = HYDROGEN_SOURCE.get(kit, 'hydrogen/' + kit)
        seen = set()
        for ins in root.iter(ns + 'instrument'):
            name_el, id_el = ins.find(ns + 'name'), ins.find(ns + 'id')
            name = (name_el.text or '') if name_el is not None else ''
            iid = (id_el.text or '') if id_el is not None else name
            for fn in ins.iter(ns + 'filename'):
                f = fn.text
                if not f or f in seen or not os.path.exists(os.path.join(HYDROGEN, kit, f)):
                    continue  # a file shared by two instruments is listed once, by the first
                seen.add(f)
                rows.append(dict(source=source, package='hydrogen-drumkits', role='train',
                                 path=os.path.join(HYDROGEN, kit, f), name='%s: %s' % (kit, name), note='',
                                 velocity='', group='%s#%s#%s' % (source, kit, iid)))


def gather_files(rows, source, package, pattern, group_of=None):
    for p in sorted(glob.glob(pattern)):
        base = os.path.splitext(os.path.basename(p))[0]
        rows.append(dict(source=source, package=package, role='train', path=p, name=base, note='', velocity='',
                         group='%s#%s' % (source, group_of(base) if group_of else base)))


def sonic_group(base):
    """drum_snare_hard / drum_snare_soft are two strengths of one recorded drum (one group)."""
    for suffix in ('_hard', '_soft'):
        if base.endswith(suffix):
            return base[:-len(suffix)]
    return base


def npm_root():
    return os.path.join(NPM_DIR, 'node_modules', NPM_PACKAGE)


def gather():
    rows = []
    gather_hydrogen(rows)
    # sonic-pi-samples (Debian) and the npm package hold the same collection (the npm one is a later,
    # larger release): one source. Duplicate files are removed later by dedup.py, not here.
    gather_files(rows, 'sonic-pi', 'sonic-pi-samples', '/usr/share/sonic-pi/samples/*.flac', sonic_group)
    if not os.path.isdir(npm_root()):
        raise SystemExit('%s is not installed under %s: run fetch_data.sh' % (NPM_PACKAGE, NPM_DIR))
    gather_files(rows, 'sonic-pi', NPM_PACKAGE, os.path.join(npm_root(), 'samples', '*.flac'), sonic_group)
    gather_files(rows, 'lmms', 'lmms-common', '/usr/share/lmms/samples/drums/*.ogg')
    gather_files(rows, 'exadrums', 'exadrums', '/usr/share/exadrums/*.wav')
    if os.path.isdir(RENDER):
        shutil.rmtree(RENDER)
    for kit in ('Black_Pearl_4_LV2', 'Red_Zeppelin_4_LV2'):
        # both kits are bank 0 preset 0 with their own key map; rendered on a melodic channel
        gather_sf2(rows, 'avldrums/' + kit, 'avldrums.lv2-soundfont', 'train', os.path.join(SF2, kit + '.sf2'),
                   0, 0, 0)
    gather_sf2(rows, 'opl3', 'opl3-soundfont', 'train', os.path.join(SF2, 'OPL-3_FM_128M.sf2'), 128, 0, 9)
    gather_freepats(rows)
    # evaluation only (never trained or tuned on): FluidR3_GM's drum kits
    fluid = os.path.join(SF2, 'FluidR3_GM.sf2')
    if os.path.exists(fluid):
        for preset, name in ((0, 'Standard'), (8, 'Room'), (16, 'Power'), (24, 'Electronic'), (25, 'TR-808'),
                             (32, 'Jazz'), (40, 'Brush')):
            gather_sf2(rows, 'eval/FluidR3_GM/' + name, 'fluid-soundfont-gm', 'eval', fluid, 128, preset, 9)
    os.makedirs(CACHE, exist_ok=True)
    tmp = INVENTORY + '.tmp'
    with open(tmp, 'w', newline='') as fh:
        w = csv.DictWriter(fh, FIELDS, lineterminator='\n')
        w.writeheader()
        for r in rows:
            r = dict(r)
            r['path'] = os.path.relpath(r['path'], HERE) if r['path'].startswith(CACHE) else r['path']
            w.writerow(r)
    os.replace(tmp, INVENTORY)
    counts = {}
    for r in rows:
        counts[r['source']] = counts.get(r['source'], 0) + 1
    for s in sorted(counts):
        print('%-40s %4d' % (s, counts[s]))
    print('%d sound files -> %s' % (len(rows), INVENTORY))


def read_inventory():
    if not os.path.exists(INVENTORY):
        raise SystemExit('no %s: run models/training/fetch_data.sh first' % INVENTORY)
    with open(INVENTORY) as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if not os.path.isabs(r['path']):
            r['path'] = os.path.join(HERE, r['path'])
    return rows


def peak_of(path):
    x, _ = soundfile.read(path, dtype='float32', always_2d=True)
    return float(np.max(np.abs(x))) if x.size else 0.0


if __name__ == '__main__':
    gather()
    sys.exit(0)
