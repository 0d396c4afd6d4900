#!/usr/bin/python3
"""Prints the tables of REPORT.md from metrics.json (what train.py wrote), so that every figure in
the report can be checked against the run:  /usr/bin/python3 models/training/report_tables.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ['kick', 'snare', 'rim', 'clap', 'hihat_closed', 'hihat_open', 'tom', 'crash', 'ride', 'perc']


def pct(a, b):
    return '%.1f%%' % (100.0 * a / b) if b else '-'


def per_class_row(name, s):
    cells = [pct(*s['per_class'][c]) + ' (%d/%d)' % tuple(s['per_class'][c]) for c in CLASSES]
    return '| %s | %.1f%% | %.1f%% | %.1f%% | %s |' % (name, 100 * s['accuracy'], 100 * s['balanced_accuracy'],
                                                   100 * s['min_class_accuracy'], ' | '.join(cells))


def confusion(title, cm):
    print('\n%s (rows: true class, columns: predicted)\n' % title)
    print('| true \\ predicted | ' + ' | '.join(CLASSES) + ' | right |')
    print('|---' * (len(CLASSES) + 2) + '|')
    for i, row in enumerate(cm):
        print('| %s | %s | %s |' % (CLASSES[i], ' | '.join(str(v) for v in row), pct(row[i], sum(row))))


def per_source(title, s):
    print('\n%s\n' % title)
    print('| held-out source | right | sounds | top-1 |')
    print('|---|---|---|---|')
    for src, (a, b) in sorted(s['per_source'].items()):
        print('| %s | %d | %d | %s |' % (src, a, b, pct(a, b)))


def main():
    m = json.load(open(os.path.join(HERE, 'metrics.json')))
    print('models %s, data digest %s, seed %d, %d training sounds in %d groups, run %.0f s with --jobs %d\n' % (
        m['version'], m['digest'], m['seed'], m['sounds'], m['groups'], m['seconds'], m['jobs']))

    print('## Classifiers, per class\n')
    print('| evaluation | top-1 | balanced | worst class | ' + ' | '.join(CLASSES) + ' |')
    print('|---' * (len(CLASSES) + 4) + '|')
    print(per_class_row('LOSO, full clip (341 ms)', m['loso_full']))
    for ms in ('5', '10', '20', '40'):
        print(per_class_row('LOSO, %s ms window' % ms, m['loso_short'][ms]))
    print(per_class_row('FluidR3_GM (evaluation only), full', m['eval_full']))
    print(per_class_row('FluidR3_GM (evaluation only), 10 ms', m['eval_short']))
    print('\nLOSO by group (velocity layers of one sound counted once, majority right): full %.1f%% of %d groups' % (
        100 * m['loso_full']['group_accuracy'], m['loso_full']['groups']))

    confusion('Confusion, LOSO full clip', m['loso_full']['confusion'])
    confusion('Confusion, LOSO 10 ms window (shipped short classifier recipe)', m['loso_short']['10']['confusion'])
    confusion('Confusion, FluidR3_GM (evaluation only), full clip', m['eval_full']['confusion'])
    per_source('LOSO full clip, per held-out source', m['loso_full'])
    per_source('FluidR3_GM kits (evaluation only), full clip', m['eval_full'])
    per_source('FluidR3_GM kits (evaluation only), 10 ms window', m['eval_short'])

    print('\n## Window-length curve (LOSO)\n')
    print('| window after the onset | top-1 | balanced | worst class | groups right |')
    print('|---|---|---|---|---|')
    for ms in ('5', '10', '20', '40'):
        s = m['loso_short'][ms]
        print('| %s ms | %.1f%% | %.1f%% | %.1f%% | %.1f%% |' % (ms, 100 * s['accuracy'], 100 * s['balanced_accuracy'],
                                                          100 * s['min_class_accuracy'], 100 * s['group_accuracy']))
    s = m['loso_full']
    print('| full clip (341 ms) | %.1f%% | %.1f%% | %.1f%% | %.1f%% |' % (
        100 * s['accuracy'], 100 * s['balanced_accuracy'], 100 * s['min_class_accuracy'], 100 * s['group_accuracy']))

    print('\n## Tom ordering by pitch rank (lowest strong spectral peak, first 200 ms)\n')
    tp = m['tom_pitch']
    print('f_lo %.0f Hz, threshold %.2f of the strongest peak\n' % (tp['f_lo'], tp['threshold']))
    print('| kits | tom pairs of different size | right | pairs of different drums | right |')
    print('|---|---|---|---|---|')
    for k in ('train', 'eval'):
        t = tp[k]
        print('| %s | %d | %d (%s) | %d | %d (%s) |' % (
            'training kits' if k == 'train' else 'FluidR3_GM (evaluation only)', t['pairs'], t['right'],
            pct(t['right'], t['pairs']), t['drum_pairs'], t['drum_right'], pct(t['drum_right'], t['drum_pairs'])))
    print('\n| kit | pairs | right | drum pairs | right |')
    print('|---|---|---|---|---|')
    for k in ('train', 'eval'):
        for kit, t in sorted(tp[k]['kits'].items()):
            print('| %s | %d | %d | %d | %d |' % (kit, t['pairs'], t['right'], t['drum_pairs'], t['drum_right']))

    print('\n## VAE round trip on held-out sources\n')
    r = m['vae_round_trip']
    print('held out of the VAE\'s training: %s\n' % ', '.join(m['vae_heldout_sources']))
    print('| sounds | classifier keeps the true class | keeps its own answer on the input | input classified right '
          '| LSD decoded magnitude | LSD after phase | floor |')
    print('|---|---|---|---|---|---|---|')
    print('| %d | %.1f%% | %.1f%% | %.1f%% | %.2f dB | %.2f dB | %.0f dB below the input\'s peak |' % (
        r['n'], 100 * r['keeps_class'], 100 * r['keeps_prediction'], 100 * r['input_right'], r['lsd_decoded_db'],
        r['lsd_waveform_db'], r['lsd_floor_db']))
    print('\n| class | ' + ' | '.join(CLASSES) + ' |')
    print('|---' * (len(CLASSES) + 1) + '|')
    print('| keeps class | ' + ' | '.join('%d/%d' % tuple(r['per_class'][c]) for c in CLASSES) + ' |')
    confusion('Confusion after the round trip (true class of the input, class of the output)', r['confusion'])

    print('\n## VAE generation, 100 seeds (Python decode, fast Griffin-Lim x32, finished as Java writes)\n')
    g = m['vae_generation']
    print('| sampling | peak within 10 ms | falls 40 dB in the clip | both | peak ms p50 | peak ms p90 '
          '| last 5 ms, loudest | ends 60 dB down |')
    print('|---|---|---|---|---|---|---|---|')
    for name, s in (('mixture prior (shipped)', g['mixture']), ('standard normal (1.x)', g['standard_normal']),
                    ('the 957 training clips themselves', m['training_clip_shapes'])):
        print('| %s | %.0f%% | %.0f%% | %.0f%% | %.1f | %.1f | %.1f dB | %.0f%% |' % (
            name, 100 * s['peak_within_10ms'], 100 * s['falls_40db'], 100 * s['both'], s['peak_ms_p50'],
            s['peak_ms_p90'], s['end_db_max'], 100 * s['ends_60db_down']))
    print('\nsame seed, same latent: %s\n' % g['same_seed_identical'])
    print('| mixture component | draws | peak within 10 ms | falls 40 dB |')
    print('|---|---|---|---|')
    for k, (n, a, b) in sorted(g['mixture']['per_component'].items()):
        print('| %s | %d | %d | %d |' % (k, n, a, b))

    print('\n## Training time per task (s, one torch thread each, --jobs %d)\n' % m['jobs'])
    ts = m['task_seconds']
    full = [v for k, v in ts.items() if k.startswith('full_fold')]
    short = [v for k, v in ts.items() if k.startswith('short_fold')]
    print('| task | seconds |')
    print('|---|---|')
    for k in ('vae_final None', 'vae_heldout None', 'full_final None', 'short_final None'):
        print('| %s | %.0f |' % (k.split()[0], ts[k]))
    print('| %d full-clip folds | %.0f in all |' % (len(full), sum(full)))
    print('| %d short-window folds | %.0f in all |' % (len(short), sum(short)))
    print('| whole run (wall) | %.0f |' % m['seconds'])


if __name__ == '__main__':
    main()
