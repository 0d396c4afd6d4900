#!/usr/bin/python3
"""Builds labels.csv from the Hydrogen kits' drumkit.xml files by rules over instrument and file names.

The rules are reviewed by hand (see DATASET.md); rows whose class is 'exclude' stay in the table with
the reason, so that the exclusions are visible and reproducible. Run: /usr/bin/python3 labels.py
"""
import csv
import os
import re
import xml.etree.ElementTree as ET

ROOT = '/usr/share/hydrogen/data/drumkits'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'labels.csv')

# Explicit decisions that name rules cannot take; keyed by (kit, instrument name).
OVERRIDES = {
    ('Audiophob', 'Pedal HH'): ('exclude', 'file is a shaker effect (fxshake), not a hi-hat'),
    ('BJA_Pacific', 'Tom'): ('tom_high', ''),
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
    ('The Black Pearl 1.0', 'Pearl Tom 2'): ('tom_mid', ''),
    ('The Black Pearl 1.0', 'Pearl Tom 1'): ('tom_high', ''),
    ('The Black Pearl 1.0', 'Sabian Hat Swish'): ('hihat_open', ''),
    ('The Black Pearl 1.0', 'Sabian Hat Choke'): ('exclude', 'choked hi-hat: neither open nor closed'),
    ('The Black Pearl 1.0', 'Zildjian Splash Choke'): ('crash', ''),
    ('VariBreaks', 'VariBreaks Drum 1'): ('exclude', 'synthetic click, no drum class'),
    ('VariBreaks', 'VariBreaks Drum 2'): ('exclude', 'unnamed synthetic drum'),
    ('ColomboAcousticDrumkit', 'redo super opaco'): ('snare', ''),
    ('The Black Pearl 1.0', 'Paiste Bell'): ('ride', ''),
    ('ForzeeStereo', 'Crash/Ride (Paiste Rude Crash/Ride 18")'): ('crash', ''),
}

RULES = [  # first match wins, on the lower-cased instrument name
    (r'roll', 'exclude', 'snare roll is not a one-shot'),
    (r'zap|\bfx\b|^sample:|^\d+$|^[a-g]#?\d - *$', 'exclude', 'unnamed or effect sound'),
    (r'kick|bass ?drum|bassdrum', 'kick', ''),
    (r'side ?stick|stick|rim ?click', 'rim', ''),
    (r'clap', 'clap', ''),
    (r'snare', 'snare', ''),
    (r'(hat|hh).*(open|op\b|semi|swish)|open hh|\bohh\b', 'hihat_open', ''),
    (r'(hat|hh).*(clos|cl\b|pedal|pd\b)|closed hh|hi-hat pedal|pedal hh', 'hihat_closed', ''),
    (r'tom.*(low|floor)|(low|floor).*tom|^b3 - low tom', 'tom_low', ''),
    (r'tom.*mid|mid.*tom|middle tom', 'tom_mid', ''),
    (r'tom.*(hi|high)|high tom|tomhi', 'tom_high', ''),
    (r'ride|bell \(custom', 'ride', ''),
    (r'crash|splash|china|cymbal', 'crash', ''),
    (r'cowbell|tambourine|agogo|maraca|clave|woodblock|conga|bongo|cajon|snap|waterglass|djembe|'
     r'sangban|dununba|kenkeni|bell', 'perc', ''),
]

def ns_of(root):
    return root.tag.split('}')[0] + '}' if root.tag.startswith('{') else ''

def classify(kit, name, fname):
    if (kit, name) in OVERRIDES:
        return OVERRIDES[(kit, name)]
    lname = (name or '').lower().strip()
    f = fname.lower()
    if 'emptysample' in f:
        return ('exclude', 'empty placeholder sample')
    # Multi-articulation instruments: the file name is the better witness.
    if kit == 'ColomboAcousticDrumkit':
        if 'ride' in f:
            return ('ride', '')
        if 'hihat-open' in f or 'semi-open' in f:
            return ('hihat_open', '')
    for pattern, cls, why in RULES:
        if re.search(pattern, lname):
            return (cls, why)
    return ('exclude', 'no rule matched')

def main():
    rows = []
    for kit in sorted(os.listdir(ROOT)):
        root = ET.parse(os.path.join(ROOT, kit, 'drumkit.xml')).getroot()
        ns = ns_of(root)
        lic_el = root.find(ns + 'license')
        licence = (lic_el.text or '').strip() if lic_el is not None and lic_el.text else 'GPL (Debian hydrogen-drumkits copyright file)'
        seen = set()
        for ins in root.iter(ns + 'instrument'):
            name_el = ins.find(ns + 'name')
            name = name_el.text if name_el is not None else None
            for fn in ins.iter(ns + 'filename'):
                fname = fn.text
                if not fname or fname in seen:
                    continue  # a file shared by two instruments is labelled once, by the first
                seen.add(fname)
                if not os.path.exists(os.path.join(ROOT, kit, fname)):
                    continue
                cls, why = classify(kit, name, fname)
                rows.append((kit, fname, name or '', cls, why, licence))
    with open(OUT, 'w', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['kit', 'file', 'instrument', 'class', 'excluded_because', 'licence'])
        w.writerows(rows)
    counts = {}
    for r in rows:
        counts[r[3]] = counts.get(r[3], 0) + 1
    print(len(rows), counts)

if __name__ == '__main__':
    main()
