#!/usr/bin/python3
"""latentkit's drum models, trained from the open sources only (DATASET.md): one command, fixed seeds,
CPU. Run models/training/fetch_data.sh first (installs and renders the sources), then:

  /usr/bin/python3 models/training/train.py --jobs 2        # everything (labels, dedup, CV, models)

Steps: labels.py and dedup.py (labels.csv, dedup.csv), the tom pitch-rank check (tom_pitch.py),
feature banks, leave-one-source-out CV of the full-clip classifier and of the short-window
classifier at 5, 10, 20 and 40 ms, the final classifiers, a VAE trained without a third of the
sources (round trip on them), the final VAE and its latent prior, generation statistics,
ONNX export (models/src/main/resources/io/latentkit/models/), metrics.json and the pictures of
REPORT.md. --jobs runs folds and models in that many processes (results do not depend on it).
--quick: a few epochs and folds, for development. Modules: data.py (and sources, labels, dedup),
networks.py, fitting.py, evaluation.py, export.py; this file only orders them.
"""
import argparse
import json
import multiprocessing
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data as D  # noqa: E402
import evaluation as E  # noqa: E402
import export as X  # noqa: E402
import features as F  # noqa: E402
import fitting as T  # noqa: E402
import networks as N  # noqa: E402

SEED = 20261203
WINDOWS_MS = (5, 10, 20, 40)
SHORT_MS = 10           # the shipped short-window classifier (listen mode decides within 15 ms)
FULL_FRAMES = 64        # the full classifier reads the first 64 frames (341 ms)
# The full classifier: a CNN on the augmented bank (class weights sqrt inverse frequency), a CNN on
# the strongly augmented bank (EQ, room, saturation; class weights inverse frequency; band masking)
# and two statistics MLPs; REPORT.md has the candidates this was chosen from.
RECIPE = dict(copies=6, cnn_epochs=30, cnn_chans=(8, 16, 32, 48), stats_members=2, stats_epochs=100,
              short_epochs=30, short_chans=(8, 16, 32, 48), vae_epochs=100, vae_beta=0.05, vae_sc=3000.0,
              vae_attack=3.0, vae_critic=2000.0)
G = {}  # what forked workers read (banks, labels): set before the pool starts


def full_model(idx, seed, r):
    rng = np.random.default_rng(seed)
    T.seed_all(seed)
    bank, labels, sources = G['full'], G['labels'], G['sources']
    members = [T.train_cnn(bank, labels, sources, idx, r['cnn_epochs'], rng, chans=r['cnn_chans']),
               T.train_cnn(G['full_strong'], labels, sources, idx, r['cnn_epochs'], rng, chans=r['cnn_chans'],
                           band_mask=True, class_balance=1.0)]
    members += [T.train_stats(bank, labels, sources, idx, r['stats_epochs'], rng) for _ in range(r['stats_members'])]
    return N.Ensemble(members)


def short_model(idx, seed, r, ms):
    rng = np.random.default_rng(seed)
    T.seed_all(seed)
    bank = G['short'][ms]
    return N.Ensemble([T.train_cnn(bank, G['labels'], G['sources'], idx, r['short_epochs'], rng, chans=r['short_chans'])])


def run_task(task):
    """One unit of work in a worker process: a CV fold or a final model. Returns (task, result)."""
    torch.set_num_threads(1)
    kind, arg = task
    r = G['recipe']
    t0 = time.time()
    if kind == 'full_fold' or kind == 'short_fold':
        ms, fi = arg if kind == 'short_fold' else (None, arg)
        src = G['source_list'][fi]
        tr = np.where(G['sources'] != src)[0]
        te = np.where(G['sources'] == src)[0]
        if kind == 'full_fold':
            m, bank = full_model(tr, SEED + 100 + fi, r), G['full']
        else:
            m, bank = short_model(tr, SEED + 1000 * ms + fi, r, ms), G['short'][ms]
        with torch.no_grad():
            p = m(torch.from_numpy(bank[te, 0])).numpy()
        return task, (te, p, time.time() - t0)
    if kind == 'full_final':
        return task, (full_model(np.arange(len(G['labels'])), SEED, r), time.time() - t0)
    if kind == 'short_final':
        return task, (short_model(np.arange(len(G['labels'])), SEED + 1, r, SHORT_MS), time.time() - t0)
    if kind in ('vae_heldout', 'vae_final'):
        idx = G['vae_train'] if kind == 'vae_heldout' else np.arange(len(G['labels']))
        seed = SEED + (501 if kind == 'vae_heldout' else 500)
        T.seed_all(seed)
        critic = T.train_stats(G['full'], G['labels'], G['sources'], idx, 60, np.random.default_rng(seed + 7))
        for p in critic.parameters():
            p.requires_grad_(False)
        T.seed_all(seed)
        enc, dec = T.train_vae(G['clips'][idx], r['vae_epochs'], np.random.default_rng(seed), beta=r['vae_beta'],
                               sc_weight=r['vae_sc'], attack_weight=r['vae_attack'], critic=critic,
                               labels=G['labels'][idx], critic_weight=r['vae_critic'])
        return task, (enc, dec, time.time() - t0)
    raise ValueError(kind)


def vae_split(sources, labels):
    """Sources assigned greedily (largest first) to three groups of similar size; the VAE's held-out
    set is the first group."""
    names, counts = np.unique(sources, return_counts=True)
    load, groups = [0, 0, 0], [[], [], []]
    for i in sorted(range(len(names)), key=lambda i: (-counts[i], names[i])):
        j = int(np.argmin(load))
        groups[j].append(str(names[i]))
        load[j] += counts[i]
    return groups[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--jobs', type=int, default=1, help='worker processes (each one torch thread)')
    ap.add_argument('--quick', action='store_true', help='development: few epochs, three folds')
    ap.add_argument('--skip-data', action='store_true', help='keep labels.csv and dedup.csv as they are')
    ap.add_argument('--no-export', action='store_true', help='do not write the ONNX files')
    ap.add_argument('--export-only', action='store_true', help='write the ONNX files from out/models.pt')
    args = ap.parse_args()
    t0 = time.time()
    if args.export_only:
        m = torch.load(os.path.join(HERE, 'out', 'models.pt'))
        export_all(m['full'], m['short'], m['enc'], m['dec'], m['prior'], m['digest'])
        return

    def log(s):
        print('[%6.0fs] %s' % (time.time() - t0, s), flush=True)
    r = dict(RECIPE)
    if args.quick:
        r.update(copies=1, cnn_epochs=2, stats_members=1, stats_epochs=3, short_epochs=2, vae_epochs=2)
    out = os.path.join(HERE, 'out')
    os.makedirs(out, exist_ok=True)
    if not args.skip_data:
        import labels
        import dedup
        labels.build()
        dedup.main()
    items, digest = D.load('train')
    ev_items, _ = D.load('eval')
    log('dataset: %d sounds, %d groups, %d sources, digest %s; evaluation only: %d sounds' % (
        len(items), len({i['group'] for i in items}), len({i['source'] for i in items}), digest, len(ev_items)))
    ref = F.log_mel(F.stft_mag(items[0]['clip']))
    tst = N.torch_logmel(N.torch_mag(torch.from_numpy(items[0]['clip'][None])))[0].numpy()
    assert np.max(np.abs(ref - tst)) < 1e-3, 'torch features differ from features.py'
    metrics = dict(version=X.VERSION, digest=digest, seed=SEED, recipe={k: list(v) if isinstance(v, tuple) else v
                                                                          for k, v in r.items()},
                   sounds=len(items), groups=len({i['group'] for i in items}), jobs=args.jobs)

    import tom_pitch
    for it in items + ev_items:
        it['label_name'] = D.CLASSES[it['label']]
    tp, tpe = tom_pitch.check(items), tom_pitch.check(ev_items)
    metrics['tom_pitch'] = dict(train=tp, eval=tpe, f_lo=tom_pitch.F_LO, threshold=tom_pitch.THRESHOLD)
    log('tom pitch rank: %d/%d pairs (%d/%d drums) on training kits, %d/%d on the evaluation-only kits' % (
        tp['right'], tp['pairs'], tp['drum_right'], tp['drum_pairs'], tpe['right'], tpe['pairs']))

    labels_ = np.array([it['label'] for it in items])
    sources = np.array([it['source'] for it in items])
    rng = np.random.default_rng(SEED)
    G.update(labels=labels_, sources=sources, recipe=r, clips=np.stack([it['clip'] for it in items]),
             source_list=sorted(set(sources)))
    G['full'] = T.feature_bank(items, r['copies'], rng, FULL_FRAMES)
    G['full_strong'] = T.feature_bank(items, r['copies'], np.random.default_rng(SEED + 2), FULL_FRAMES, strong=True)
    G['short'] = {ms: T.feature_bank(items, r['copies'], np.random.default_rng(SEED + ms), F.window_frames(ms * 48),
                                     ms * 48) for ms in WINDOWS_MS}
    log('feature banks: full %s, short %s' % (G['full'].shape, {k: v.shape for k, v in G['short'].items()}))
    held = vae_split(sources, labels_)
    G['vae_train'] = np.where(~np.isin(sources, held))[0]
    G['vae_test'] = np.where(np.isin(sources, held))[0]
    folds = list(range(len(G['source_list']))) if not args.quick else [0, 1, 2]
    tasks = [('vae_final', None), ('vae_heldout', None), ('full_final', None)]
    tasks += [('full_fold', fi) for fi in folds] + [('short_final', None)]
    tasks += [('short_fold', (ms, fi)) for ms in WINDOWS_MS for fi in folds]
    results = {}
    ctx = multiprocessing.get_context('fork')
    with ctx.Pool(args.jobs) as pool:
        for task, res in pool.imap_unordered(run_task, tasks):
            results[task] = res
            log('done %s %s (%.0f s)' % (task[0], task[1], res[-1]))
    timings = {'%s %s' % k: v[-1] for k, v in results.items()}
    metrics['task_seconds'] = timings

    # ---------------------------------------------------------------- classifier CV and pictures
    def cv(kind, ms=None):
        P = np.zeros((len(items), N.N_CLASSES), np.float32)
        seen = np.zeros(len(items), bool)
        for fi in folds:
            te, p, _ = results[(kind, fi if ms is None else (ms, fi))]
            P[te] = p
            seen[te] = True
        pred = P.argmax(1)
        groups = np.array([it['group'] for it in items])
        return E.scores(labels_[seen], pred[seen], sources[seen], groups[seen]), P
    full_cv, P_full = cv('full_fold')
    metrics['loso_full'] = full_cv
    np.save(os.path.join(out, 'loso_full_probs.npy'), P_full)
    E.confusion_png(full_cv['confusion'], os.path.join(HERE, 'confusion_full.png'),
                    'leave-one-source-out, full clip (341 ms): top-1 %.1f%%' % (100 * full_cv['accuracy']))
    curve = [(None, full_cv['accuracy'], full_cv['min_class_accuracy'])]
    metrics['loso_short'] = {}
    for ms in WINDOWS_MS:
        s, _ = cv('short_fold', ms)
        metrics['loso_short'][str(ms)] = s
        curve.append((ms, s['accuracy'], s['min_class_accuracy']))
        if ms == SHORT_MS:
            E.confusion_png(s['confusion'], os.path.join(HERE, 'confusion_short.png'),
                            'leave-one-source-out, %d ms window: top-1 %.1f%%' % (ms, 100 * s['accuracy']))
    E.window_curve_png(curve, os.path.join(HERE, 'window_curve.png'))
    log('LOSO full %.3f (worst class %.3f); short %s' % (full_cv['accuracy'], full_cv['min_class_accuracy'],
        ' '.join('%d ms %.3f' % (ms, metrics['loso_short'][str(ms)]['accuracy']) for ms in WINDOWS_MS)))

    full, short = results[('full_final', None)][0], results[('short_final', None)][0]
    full.eval()
    short.eval()
    # evaluation-only sounds (FluidR3_GM): the final classifiers, never trained or tuned on them
    if ev_items:
        ev_lab = np.array([it['label'] for it in ev_items])
        ev_src = np.array([it['source'] for it in ev_items])
        lm = T.logmels([it['clip'] for it in ev_items], F.FRAMES)
        with torch.no_grad():
            metrics['eval_full'] = E.scores(ev_lab, full(torch.from_numpy(lm)).numpy().argmax(1), ev_src)
            sw = T.logmels([T.window_clip(it['audio'], SHORT_MS * 48) for it in ev_items], F.FRAMES)
            metrics['eval_short'] = E.scores(ev_lab, short(torch.from_numpy(sw)).numpy().argmax(1), ev_src)
        log('evaluation-only kits: full %.3f, short %.3f' % (metrics['eval_full']['accuracy'],
                                                           metrics['eval_short']['accuracy']))

    # ------------------------------------------------------------------------------------ VAE
    enc_h, dec_h, _ = results[('vae_heldout', None)]
    enc, dec, _ = results[('vae_final', None)]
    metrics['vae_heldout_sources'] = held
    metrics['vae_round_trip'] = E.round_trip(enc_h, dec_h, full, items, G['vae_test'], log)
    mu, lv = T.encode(enc, G['clips'])
    prior = T.fit_prior(mu, lv, labels_)
    metrics['vae_generation'] = E.generation(dec, prior, out, HERE, log)
    metrics['training_clip_shapes'] = E.summarise_shapes([E.shape_stats(E.finish(c)) for c in G['clips']])

    torch.save(dict(full=full, short=short, enc=enc, dec=dec, prior=prior, digest=digest),
               os.path.join(out, 'models.pt'))
    if not args.no_export:
        export_all(full, short, enc, dec, prior, digest)
        log('exported ONNX models to %s' % os.path.abspath(X.RES))
    metrics['seconds'] = time.time() - t0
    with open(os.path.join(HERE, 'metrics.json'), 'w') as fh:
        json.dump(metrics, fh, indent=1)
    log('done')


def export_all(full, short, enc, dec, prior, digest):
    os.makedirs(X.RES, exist_ok=True)
    X.export_classifier(full, os.path.join(X.RES, 'classifier.onnx'), digest, FULL_FRAMES)
    X.export_classifier(short, os.path.join(X.RES, 'classifier_short.onnx'), digest,
                        F.window_frames(SHORT_MS * 48), kind='classifier_short', window=SHORT_MS * 48)
    X.export_vae(enc, dec, prior, digest)


if __name__ == '__main__':
    main()
