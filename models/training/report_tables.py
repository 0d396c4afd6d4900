#!/usr/bin/python3
"""Merges out/metrics.json (final models) and out/metrics_cv.json (a --cv-only run) into metrics.json
and prints the Markdown tables of REPORT.md."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
m = {}
for name in ('metrics.json', 'metrics_cv.json'):
    path = os.path.join(HERE, 'out', name)
    if os.path.exists(path):
        part = json.load(open(path))
        part['seconds_' + name.split('.')[0]] = part.pop('seconds', None)
        m.update(part)
m.pop('reference', None)
with open(os.path.join(HERE, 'metrics.json'), 'w') as fh:
    json.dump(m, fh, indent=1)
for key, title in (('cv', '%s-fold grouped-by-kit CV' % len(m.get('folds', []))),
                   ('cv_loko', 'leave-one-kit-out CV (14 folds)')):
    cv = m.get(key)
    if not cv:
        continue
    print('## %s\n' % title)
    print('12-class top-1 on held-out kits: %.1f%%; 9-class: %.1f%%\n' % (100 * cv['accuracy12'], 100 * cv['accuracy9']))
    print('| class (12) | correct / held-out | accuracy |\n|---|---|---|')
    for c, (ok, n) in cv['per_class12'].items():
        print('| %s | %d / %d | %s |' % (c, ok, n, '%.1f%%' % (100.0 * ok / n) if n else '-'))
    print('\n| class (9) | correct / held-out | accuracy |\n|---|---|---|')
    for c, (ok, n) in cv['per_class9'].items():
        print('| %s | %d / %d | %s |' % (c, ok, n, '%.1f%%' % (100.0 * ok / n) if n else '-'))
    print('\n| held-out kit | correct / sounds | accuracy (12) |\n|---|---|---|')
    for k, (ok, n) in sorted(cv['per_kit'].items()):
        print('| %s | %d / %d | %.1f%% |' % (k, ok, n, 100.0 * ok / n))
    print('\nfolds:', cv.get('folds', m.get('folds')))
    print('per-fold 12-class accuracy:', ' '.join('%.1f%%' % (100 * a) for a in cv.get('fold_accuracy12', [])))
    print()
if m.get('vae_cv'):
    v = m['vae_cv']
    print('\nVAE held-out kits %s:' % v['test_kits'])
    print('| set | log-magnitude MSE | spectral convergence | log-spectral distance (dB) |\n|---|---|---|---|')
    for name in ('train', 'held_out'):
        e = v[name]
        print('| %s | %.3f | %.3f | %.2f |' % (name, e['log_mag_mse'], e['spectral_convergence'], e['log_spectral_distance_db']))
if m.get('vae_final_train'):
    e = m['vae_final_train']
    print('\nfinal VAE on its own training set: MSE %.3f SC %.3f LSD %.2f dB' % (
        e['log_mag_mse'], e['spectral_convergence'], e['log_spectral_distance_db']))
print('\nseconds:', m.get('seconds_metrics'), m.get('seconds_metrics_cv'))
