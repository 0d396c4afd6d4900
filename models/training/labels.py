#!/usr/bin/python3
"""Data, part 2: labels for every sound of the inventory, by rules over names and General MIDI note
numbers, reviewed by reading every name (DATASET.md lists the decisions).

Ten classes (CLASSES); the three tom sizes are one class, 'tom'. A tom's size is not a label: it is
decided within a kit by pitch rank (tom_pitch.py). Where a name or note says which tom a sound is,
tom_rank holds that (1 = the lowest drum of its kit), only to check the pitch ranking against.
Rows whose class is 'exclude' stay in the table with the reason.

  /usr/bin/python3 models/training/labels.py     # cache/inventory.csv -> labels.csv
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sources  # noqa: E402

OUT = os.path.join(HERE, 'labels.csv')
CLASSES = ['kick', 'snare', 'rim', 'clap', 'hihat_closed', 'hihat_open', 'tom', 'crash', 'ride', 'perc']
FIELDS = ['source', 'kit', 'package', 'role', 'path', 'name', 'note', 'velocity', 'group', 'class', 'tom_rank',
          'excluded_because']

# ------------------------------------------------------------------------------ General MIDI map
GM = {35: 'kick', 36: 'kick', 37: 'rim', 38: 'snare', 39: 'clap', 40: 'snare', 42: 'hihat_closed',
      44: 'hihat_closed', 46: 'hihat_open', 49: 'crash', 52: 'crash', 55: 'crash', 57: 'crash', 51: 'ride',
      53: 'ride', 59: 'ride'}
for _n in (41, 43, 45, 47, 48, 50):
    GM[_n] = 'tom'
GM_TOM_RANK = {41: 1, 43: 2, 45: 3, 47: 4, 48: 5, 50: 6}  # low floor .. high tom
# hand percussion: tambourine, cowbell, bongos, congas, timbales, agogos, cabasa, maracas, claves,
# wood blocks, triangles, shaker, jingle bell, castanets, surdos
for _n in (54, 56, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 75, 76, 77, 80, 81, 82, 83, 85, 86, 87):
    GM[_n] = 'perc'
GM_EXCLUDE = {
    25: 'snare roll is not a one-shot', 26: 'finger snap: GM2 effect outside the drum map',
    27: 'GM2 effect (high Q)', 28: 'GM2 effect (slap)', 29: 'GM2 effect (scratch)', 30: 'GM2 effect (scratch)',
    31: 'drumsticks clicked together: no drum class', 32: 'square click: no drum class',
    33: 'metronome click: no drum class', 34: 'metronome bell: no drum class',
    58: 'vibraslap: a rattle, not a hit', 71: 'whistle: not percussive', 72: 'whistle: not percussive',
    73: 'guiro: a scrape, not a hit', 74: 'guiro: a scrape, not a hit', 78: 'cuica: a friction drum glide',
    79: 'cuica: a friction drum glide', 84: 'bell tree: a glissando, not a hit'}


def gm_label(note):
    if note in GM_EXCLUDE:
        return 'exclude', GM_EXCLUDE[note]
    if note in GM:
        return GM[note], ''
    return 'exclude', 'no drum on this note'


# ------------------------------------------------------------------------ Hydrogen (reviewed names)
H_OVERRIDES = {
    ('Audiophob', 'Pedal HH'): ('exclude', 'file is a shaker effect (fxshake), not a hi-hat'),
    ('BJA_Pacific', 'Hi Hat Free'): ('exclude', 'ambiguous hi-hat articulation'),
    ('ElectricEmpireKit', 'Click'): ('exclude', 'synthetic click, no drum class'),
    ('ElectricEmpireKit', 'Hat Low'): ('hihat_closed', ''),
    ('ElectricEmpireKit', 'Hat Ring 1'): ('exclude', 'ambiguous hi-hat articulation'),
    ('ElectricEmpireKit', 'Hat Ring 2'): ('exclude', 'ambiguous hi-hat articulation'),
    ('ElectricEmpireKit', 'Drum 1'): ('exclude', 'unnamed synthetic drum'),
    ('ElectricEmpireKit', 'Drum 2'): ('exclude', 'unnamed synthetic drum'),
    ('ElectricEmpireKit', 'Whistle'): ('exclude', 'sustained whistle, not a percussive hit'),
    ('HardElectro1', 'Side HH'): ('hihat_closed', ''),
    ('HardElectro1', 'Side OHH'): ('hihat_open', ''),
    ('The Black Pearl 1.0', 'Sabian Hat Swish'): ('hihat_open', ''),
    ('The Black Pearl 1.0', 'Sabian Hat Choke'): ('exclude', 'choked hi-hat: neither open nor closed'),
    ('The Black Pearl 1.0', 'Zildjian Splash Choke'): ('crash', ''),
    ('VariBreaks', 'VariBreaks Drum 1'): ('exclude', 'synthetic click, no drum class'),
    ('VariBreaks', 'VariBreaks Drum 2'): ('exclude', 'unnamed synthetic drum'),
    ('ColomboAcousticDrumkit', 'redo super opaco'): ('snare', ''),
    ('The Black Pearl 1.0', 'Paiste Bell'): ('ride', ''),
    ('ForzeeStereo', 'Crash/Ride (Paiste Rude Crash/Ride 18")'): ('crash', ''),
}
# tom ranks by the kits' own names (1 = lowest drum); inch sizes where the kit gives them
H_TOM_RANK = {
    ('BJA_Pacific', 'Floor Tom'): 1, ('BJA_Pacific', 'Tom'): 2,
    ('The Black Pearl 1.0', 'Pearl Tom Floor'): 1, ('The Black Pearl 1.0', 'Pearl Tom 2'): 2,
    ('The Black Pearl 1.0', 'Pearl Tom 1'): 3,
}
H_RULES = [  # first match wins, on the lower-cased instrument name
    (r'roll', 'exclude', 'snare roll is not a one-shot'),
    (r'zap|\bfx\b|^sample:|^\d+$|^[a-g]#?\d - *$', 'exclude', 'unnamed or effect sound'),
    (r'kick|bass ?drum|bassdrum', 'kick', ''),
    (r'side ?stick|stick|rim ?click', 'rim', ''),
    (r'clap', 'clap', ''),
    (r'snare', 'snare', ''),
    (r'(hat|hh).*(open|op\b|semi|swish)|open hh|\bohh\b', 'hihat_open', ''),
    (r'(hat|hh).*(clos|cl\b|pedal|pd\b)|closed hh|hi-hat pedal|pedal hh', 'hihat_closed', ''),
    (r'\btom', 'tom', ''),
    (r'ride|bell \(custom', 'ride', ''),
    (r'crash|splash|china|cymbal', 'crash', ''),
    (r'cowbell|tambourine|agogo|maraca|clave|woodblock|conga|bongo|cajon|snap|waterglass|djembe|'
     r'sangban|dununba|kenkeni|bell', 'perc', ''),
]


def hydrogen_label(kit, name, path):
    f = os.path.basename(path).lower()
    if (kit, name) in H_OVERRIDES:
        return H_OVERRIDES[(kit, name)]
    if 'emptysample' in f:
        return 'exclude', 'empty placeholder sample'
    if kit == 'ColomboAcousticDrumkit':  # multi-articulation instruments: the file name is the witness
        if 'ride' in f:
            return 'ride', ''
        if 'hihat-open' in f or 'semi-open' in f:
            return 'hihat_open', ''
    lname = name.lower().strip()
    for pattern, cls, why in H_RULES:
        if re.search(pattern, lname):
            return cls, why
    return 'exclude', 'no rule matched'


def hydrogen_tom_rank(kit, name):
    if (kit, name) in H_TOM_RANK:
        return H_TOM_RANK[(kit, name)]
    n = name.lower()
    m = re.search(r'(\d+)"', n)
    if m and kit == 'ForzeeStereo':
        return {'16': 1, '13': 2, '12': 3}[m.group(1)]
    if re.search(r'low|floor', n):
        return 1
    if re.search(r'mid', n):
        return 2
    if re.search(r'hi\b|high', n):
        return 3
    return ''


# --------------------------------------------------------------------------- AVL drums key map
# Both kits share one layout (the sample names say what each key is; names are truncated to 20
# characters in the SF2). Edge hits are the same drum as the centre hit (same tom_rank).
AVL = {36: ('kick', ''), 37: ('rim', ''), 38: ('snare', ''), 39: ('clap', ''), 40: ('snare', ''), 41: ('tom', 1),
       42: ('hihat_closed', ''), 43: ('tom', 1), 44: ('hihat_closed', ''), 45: ('tom', 2), 46: ('hihat_open', ''),
       47: ('tom', 2), 48: ('hihat_open', ''), 49: ('crash', ''), 50: ('crash', ''), 51: ('ride', ''),
       52: ('ride', ''), 53: ('ride', ''), 54: ('perc', ''), 55: ('crash', ''), 56: ('perc', ''), 57: ('crash', ''),
       58: ('crash', ''), 59: ('ride', ''), 60: ('ride', ''), 61: ('perc', '')}


# ------------------------------------------------------------------------------ Sonic Pi names
SONIC_EXCLUDE = [
    (r'^(ambi|bass|guit|loop|vinyl|mehackit|arovane_beat|misc)_', 'not a one-shot drum (ambience, bass, guitar, '
                                                                    'loop, vinyl or effect)'),
    (r'^tbd_(fxbed|highkey|pad|voctone)', 'not a one-shot drum (pad or tone)'),
    (r'^glitch_', 'glitch effect, no drum class'),
    (r'^elec_(beep|bell|blip|blip2|blup|bong|chime|flip|ping|plip|pop|twang|twip)$', 'synthetic tone, no drum '
                                                                                       'class'),
    (r'^elec_tick$', '20 ms click, no drum class'), (r'^tbd_perc_blip$', 'synthetic blip, no drum class'),
    (r'^perc_(door|impact1|impact2|swoosh|till)$', 'sound effect, no drum class'),
    (r'^drum_roll$', 'roll, not a one-shot'),
    (r'^perc_bell2?$', 'sustained bell (several seconds), not a drum-kit hit'),
]
SONIC_RULES = [
    (r'^(bd_|drum_bass_|drum_heavy_kick|elec_soft_kick|elec_hollow_kick)', 'kick'),
    (r'^(sn_|drum_snare_|elec_(hi_|lo_|mid_|filt_)?snare)', 'snare'),
    (r'^(drum_tom_|elec_fuzz_tom)', 'tom'),
    (r'^(drum_cymbal_closed|drum_cymbal_pedal|hat_|tbd_perc_hat)', 'hihat_closed'),
    (r'^drum_cymbal_open', 'hihat_open'),
    (r'^(drum_cymbal_(hard|soft)|drum_splash_|elec_cymbal|perc_swash)', 'crash'),
    (r'^ride_', 'ride'),
    (r'^(drum_cowbell|elec_triangle|elec_wood|tabla_|perc_snap|tbd_perc_tap)', 'perc'),
]
SONIC_TOM_RANK = {'drum_tom_lo': 1, 'drum_tom_mid': 2, 'drum_tom_hi': 3}


def sonic_label(base):
    for pattern, why in SONIC_EXCLUDE:
        if re.search(pattern, base):
            return 'exclude', why
    for pattern, cls in SONIC_RULES:
        if re.search(pattern, base):
            return cls, ''
    return 'exclude', 'no rule matched'


# --------------------------------------------------------------------------------- LMMS names
LMMS_RULES = [
    (r'^zap', 'exclude', 'synthetic zap, no drum class'),
    (r'^kick04$', 'exclude', 'unreadable: a WAV file holding Vorbis data (format 0x674f) that neither '
                             'libsndfile nor sox decodes'),
    (r'^(bassdrum|kick|nasty_bass)', 'kick', ''),
    (r'^(nasty_rim|rim|sidestick)', 'rim', ''),
    (r'^(snare|nasty_snare)', 'snare', ''),  # snare_rim01 is a rim shot: a snare hit
    (r'^clap', 'clap', ''),
    (r'^hihat_(closed|foot)', 'hihat_closed', ''),
    (r'^hihat_opened', 'hihat_open', ''),
    (r'^tom', 'tom', ''),
    (r'^crash', 'crash', ''),
    (r'^ride', 'ride', ''),
    (r'^(clav|shaker|wood)', 'perc', ''),
]
LMMS_TOM_RANK = {'tom_low01': 1, 'tom_mid01': 2, 'tom_hi01': 3}

EXADRUMS = {'BD_Acou_01': 'kick', 'Snr_Acou_01': 'snare', 'HiHat': 'hihat_closed', 'Crash_High': 'crash',
            'RideBell': 'ride', 'RideEdge': 'ride', 'Tom01': 'tom', 'Tom03': 'tom'}


def label(r):
    """(class, tom_rank, kit, excluded_because) of one inventory row."""
    src, name = r['source'], r['name']
    if r['package'] == 'hydrogen-drumkits':
        kit, inst = name.split(': ', 1)
        cls, why = hydrogen_label(kit, inst, r['path'])
        return cls, hydrogen_tom_rank(kit, inst) if cls == 'tom' else '', kit, why
    if src.startswith('avldrums/'):
        cls, rank = AVL.get(int(r['note']), ('exclude', ''))
        return cls, rank, src.split('/')[1], '' if cls != 'exclude' else 'no drum on this key'
    if src in ('opl3', 'freepats') or src.startswith('eval/FluidR3_GM/'):
        n = int(r['note'])
        cls, why = gm_label(n)
        return cls, GM_TOM_RANK.get(n, '') if cls == 'tom' else '', src, why
    if src == 'sonic-pi':
        cls, why = sonic_label(name)
        rank = ''
        if cls == 'tom':
            rank = next((v for k, v in SONIC_TOM_RANK.items() if name.startswith(k)), '')
        # the drum_* sounds are one recorded kit (menegass on freesound); the rest are loose samples
        kit = 'menegass' if name.startswith('drum_') else name
        return cls, rank, kit, why
    if src == 'lmms':
        for pattern, cls, why in LMMS_RULES:
            if re.search(pattern, name):
                kit = 'lmms-toms' if name in LMMS_TOM_RANK else name
                return cls, LMMS_TOM_RANK.get(name, ''), kit, why
        return 'exclude', '', name, 'no rule matched'
    if src == 'exadrums':
        cls = EXADRUMS.get(name, 'exclude')
        return cls, '', 'exadrums', '' if cls != 'exclude' else 'no rule matched'
    raise ValueError('no labelling rule for source ' + src)


def build():
    rows = []
    for r in sources.read_inventory():
        cls, rank, kit, why = label(r)
        assert cls in CLASSES or cls == 'exclude', (r, cls)
        out = {k: r.get(k, '') for k in FIELDS}
        out.update({'class': cls, 'tom_rank': rank, 'kit': kit, 'excluded_because': why,
                    'path': r['path'] if not r['path'].startswith(sources.CACHE) else
                    os.path.relpath(r['path'], HERE)})
        rows.append(out)
    tmp = OUT + '.tmp'
    with open(tmp, 'w', newline='') as fh:
        w = csv.DictWriter(fh, FIELDS, lineterminator='\n')
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, OUT)
    counts = {}
    for r in rows:
        key = (r['role'], r['class'])
        counts[key] = counts.get(key, 0) + 1
    for k in sorted(counts):
        print(k, counts[k])
    return rows


def read_labels():
    with open(OUT) as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if not os.path.isabs(r['path']):
            r['path'] = os.path.join(HERE, r['path'])
    return rows


if __name__ == '__main__':
    build()
