"""The candidate comparison behind the 1.2.0 classifier recipe (REPORT.md, candidate table): trains one
ensemble member per candidate on each fold of train.py's 3-fold grouped-by-kit split (or, with 14, on
leave-one-kit-out folds), saves the held-out probabilities to out/candidates/P_<name>_<folds>.npy and
appends one line to out/candidates/results.txt. Ensembles were scored by averaging saved
probabilities (--ensemble). The feature bank is train.py's (same seed), cached in out/candidates.

  CFG=base_small,small_normmax /usr/bin/python3 models/training/candidates.py 3
  /usr/bin/python3 models/training/candidates.py --ensemble 3 nm_f64_e50:3 nm_f64_bm:3 st64nm_a st64nm_b st64nm_c
"""
import json, os, sys, time
import numpy as np, torch
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train as T
torch.set_num_threads(1)
D = os.path.join(HERE, 'out', 'candidates')
os.makedirs(D, exist_ok=True)
if sys.argv[1] == '--ensemble':
    labels = np.load(D + '/labels.npy'); nine = np.array(T.TO_NINE); nf = sys.argv[2]; P = 0
    for a in sys.argv[3:]:
        n, w = (a.split(':') + ['1'])[:2]
        P = P + float(w) * np.load('%s/P_%s_%s.npy' % (D, n, nf))
    pred = P.argmax(1)
    print('%s 12=%.3f 9=%.3f' % (' + '.join(sys.argv[3:]), np.mean(pred == labels), np.mean(nine[pred] == nine[labels])))
    sys.exit(0)
if not os.path.exists(D + '/bank.npy'):
    T.seed_all(T.SEED)
    items, digest = T.load_dataset()
    T.seed_all(T.SEED)
    bank = T.feature_bank(items, 3, np.random.default_rng(T.SEED))
    np.save(D + '/bank.npy', bank)
    np.save(D + '/labels.npy', np.array([it['label'] for it in items]))
    np.save(D + '/kits.npy', np.array([it['kit'] for it in items]))
bank = np.load(D + '/bank.npy', mmap_mode='r')
bank = np.ascontiguousarray(bank)
labels = np.load(D + '/labels.npy'); kits = np.load(D + '/kits.npy')
items = [dict(kit=k, label=l) for k, l in zip(kits, labels)]

CFGS = {
  'base_small': dict(chans=(8, 16, 32, 48)),
  'small_kb1': dict(chans=(8, 16, 32, 48), kit_balance=1.0),
  'small_kb05': dict(chans=(8, 16, 32, 48), kit_balance=0.5),
  'small_nopitch': dict(chans=(8, 16, 32, 48), pitch='none'),
  'small_pitchsmall': dict(chans=(8, 16, 32, 48), pitch='small'),
  'small_notoms': dict(chans=(8, 16, 32, 48), pitch='notoms'),
  'small_normmax': dict(chans=(8, 16, 32, 48), norm_max=True),
  'small_f64': dict(chans=(8, 16, 32, 48), frames=64),
  'small_tm': dict(chans=(8, 16, 32, 48), time_mask=16),
  'small_mix': dict(chans=(8, 16, 32, 48), mixup=0.4),
  'small_bm': dict(chans=(8, 16, 32, 48), band_mask=True),
  'small_e50': dict(chans=(8, 16, 32, 48), epochs=50),
  'stats': dict(kind='stats'),
  'stats_kb1': dict(kind='stats', kit_balance=1.0),
  'stats_kb05': dict(kind='stats', kit_balance=0.5),
  'stats_notoms': dict(kind='stats', pitch='notoms'),
}
# the stats candidates above ran with train_stats' then default hidden=256, 128 frames, no norm_max
C = dict(chans=(8, 16, 32, 48), frames=64, norm_max=True)
S = dict(kind='stats', frames=64, norm_max=True, hidden=64, kit_balance=1.0)
S128 = dict(kind='stats', hidden=64, kit_balance=1.0)
CFGS.update({
  'nm_f64': C, 'nm_f64_s1': dict(C, seed_off=100), 'nm_f64_bm': dict(C, seed_off=200, band_mask=True),
  'nm_f64_kb05': dict(C, kit_balance=0.5), 'nm_f64_kb1': dict(C, kit_balance=1.0), 'nm_f64_e50': dict(C, epochs=50),
  'st64nm_a': S, 'st64nm_b': dict(S, seed_off=100), 'st64nm_c': dict(S, seed_off=200),
  'st64_a': dict(kind='stats', frames=64, hidden=64, kit_balance=1.0),
  'st64nm_kb0': dict(kind='stats', frames=64, norm_max=True, hidden=64),
  'st128_a': S128, 'st128_b': dict(S128, seed_off=100), 'st128_c': dict(S128, seed_off=200),
  'st128nm_a': dict(S128, norm_max=True),
  'nm128_s1': dict(chans=(8, 16, 32, 48), norm_max=True, seed_off=100),
})
for extra in sys.argv[2:]:
    name, js = extra.split('=', 1)
    CFGS[name] = json.loads(js)

def run(name, nfolds):
    cfg = dict(CFGS[name])
    kind = cfg.pop('kind', 'cnn')
    epochs = cfg.pop('epochs', 30 if kind == 'cnn' else 100)
    so = cfg.pop('seed_off', 0)
    if 'chans' in cfg: cfg['chans'] = tuple(cfg['chans'])
    folds = T.kit_folds(items, nfolds) if nfolds != 14 else [[k] for k in sorted(set(kits))]
    P = np.zeros((len(labels), 12), dtype=np.float32)
    t0 = time.time()
    for fi, test_kits in enumerate(folds):
        rng = np.random.default_rng(T.SEED + fi + so); T.seed_all(T.SEED + fi + so)
        tr = np.where(~np.isin(kits, test_kits))[0]; te = np.where(np.isin(kits, test_kits))[0]
        if kind == 'cnn':
            m = T.train_cnn(bank, labels, tr, epochs, rng, kits=kits, **cfg)
        else:
            m = T.train_stats(bank, labels, tr, epochs, rng, kits=kits, **cfg)
        with torch.no_grad():
            P[te] = torch.softmax(m(torch.from_numpy(bank[te, 0, 0])), 1).numpy()
    np.save('%s/P_%s_%d.npy' % (D, name, nfolds), P)
    pred = P.argmax(1)
    a12 = np.mean(pred == labels); nine = np.array(T.TO_NINE)
    a9 = np.mean(nine[pred] == nine[labels])
    pc = ' '.join('%s:%d/%d' % (T.LABELS[c][:6], np.sum((pred == c) & (labels == c)), np.sum(labels == c)) for c in range(12))
    line = '%-20s folds=%d 12=%.3f 9=%.3f  %.0fs  %s' % (name, nfolds, a12, a9, time.time() - t0, pc)
    print(line, flush=True)
    open(D + '/results.txt', 'a').write(line + '\n')

nf = int(sys.argv[1])
for name in os.environ.get('CFG', '').split(','):
    run(name, nf)
