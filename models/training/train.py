#!/usr/bin/python3
"""Trains latentkit's drum classifier and drum VAE from Debian's hydrogen-drumkits, evaluates them
with grouped-by-kit cross-validation and exports ONNX files with metadata.

One command, from the repository root:  /usr/bin/python3 models/training/train.py
Options: --quick (a few epochs, for development), --threads N (default 1), --cv-only, --skip-cv.
Outputs: models/src/main/resources/io/latentkit/models/{classifier,vae_encoder,vae_decoder}.onnx,
models/training/out/ (metrics.json, confusion PNGs), models/training/cache/ (decoded audio).
"""
import argparse
import csv
import hashlib
import json
import os
import random
import sys
import time

import numpy as np
import scipy.signal
import soundfile
import torch
import torch.nn as nn
import torch.nn.functional as Fn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402

ROOT = '/usr/share/hydrogen/data/drumkits'
RES = os.path.join(HERE, '..', 'src', 'main', 'resources', 'io', 'latentkit', 'models')
OUT = os.path.join(HERE, 'out')
CACHE = os.path.join(HERE, 'cache')
LABELS = [
    'kick', 'snare', 'rim', 'clap', 'hihat_closed', 'hihat_open', 'tom_low', 'tom_mid', 'tom_high',
    'crash', 'ride', 'perc']
NINE = ['kick', 'snare', 'clap', 'closed_hat', 'open_hat', 'tom', 'crash_cymbal', 'ride', 'perc_other']
TO_NINE = [0, 1, 8, 2, 3, 4, 5, 5, 5, 6, 7, 8]  # rim -> perc/other, toms -> tom
LATENT = 64
VERSION = '1.0.0'
SEED = 1234
PITCH_RATIOS = [(1, 1), (17, 18), (18, 17), (15, 16), (16, 15), (8, 9), (9, 8)]


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


# ----------------------------------------------------------------------------------------- data
def read_audio(path):
    x, sr = soundfile.read(path, dtype='float32', always_2d=True)
    x = x.mean(axis=1)
    if sr != F.SR:
        g = np.gcd(sr, F.SR)
        x = scipy.signal.resample_poly(x, F.SR // g, sr // g).astype(np.float32)
    return x


def load_dataset():
    rows = []
    with open(os.path.join(HERE, 'labels.csv')) as fh:
        for r in csv.DictReader(fh):
            if r['class'] != 'exclude':
                rows.append(r)
    digest = hashlib.sha256()
    with open(os.path.join(HERE, 'labels.csv'), 'rb') as fh:
        digest.update(fh.read())
    os.makedirs(CACHE, exist_ok=True)
    items = []
    for r in rows:
        path = os.path.join(ROOT, r['kit'], r['file'])
        with open(path, 'rb') as fh:
            digest.update(fh.read())
        key = hashlib.sha1((r['kit'] + '/' + r['file']).encode()).hexdigest()
        cp = os.path.join(CACHE, key + '.npy')
        if os.path.exists(cp):
            x = np.load(cp)
        else:
            x = read_audio(path)
            np.save(cp, x)
        variants = []
        for up, down in PITCH_RATIOS:
            y = x if up == down else scipy.signal.resample_poly(x, up, down).astype(np.float32)
            c = F.prepare_clip(y)
            if c is None:
                break
            variants.append(c)
        if len(variants) != len(PITCH_RATIOS):
            print('skipping silent', path)
            continue
        items.append(dict(kit=r['kit'], file=r['file'], label=LABELS.index(r['class']),
                          clips=np.stack(variants)))
    return items, digest.hexdigest()


# ---------------------------------------------------------------------------------- features
WINDOW = torch.from_numpy(F.hann())
MEL = torch.from_numpy(F.mel_filterbank())


def torch_mag(clips):
    """clips (B, CLIP) -> |STFT| (B, BINS, FRAMES), identical framing to features.stft_mag."""
    pad = Fn.pad(clips, (F.N_FFT // 2, F.N_FFT // 2))
    frames = pad.unfold(1, F.N_FFT, F.HOP)[:, :F.FRAMES, :] * WINDOW
    return torch.fft.rfft(frames, dim=2).abs().transpose(1, 2)


def torch_logmel(mag):
    return torch.log(torch.matmul(MEL, mag) + F.LOG_FLOOR)


def augment(clips, rng):
    """Gain-independent augmentation on prepared clips: onset shift, filtering, noise, renormalise."""
    b = clips.shape[0]
    out = clips.clone()
    # onset shift: up to 20 ms of extra pre-roll (live onsets are not sample exact)
    for i in range(b):
        s = int(rng.integers(0, 960))
        if s:
            out[i, s:] = clips[i, :-s].clone()
            out[i, :s] = 0
    # filtering: random first-order low/high shelving via a spectral tilt in the FFT domain
    spec = torch.fft.rfft(out, dim=1)
    f = torch.linspace(0, 1, spec.shape[1])
    tilt = torch.from_numpy(rng.uniform(-6, 6, size=(b, 1)).astype(np.float32))  # dB across band
    lp = torch.from_numpy(rng.uniform(0.3, 1.5, size=(b, 1)).astype(np.float32))
    use_lp = torch.from_numpy((rng.random((b, 1)) < 0.3).astype(np.float32))
    gain = 10 ** (tilt * (f - 0.5) / 20)
    gain = gain * (use_lp / torch.sqrt(1 + (f / lp) ** 8) + (1 - use_lp))
    out = torch.fft.irfft(spec * gain, n=out.shape[1], dim=1)
    # noise at -30..-70 dB of the peak
    noise_db = torch.from_numpy(rng.uniform(-70, -30, size=(b, 1)).astype(np.float32))
    out = out + torch.randn_like(out) * 10 ** (noise_db / 20)
    out = out / out.abs().amax(dim=1, keepdim=True).clamp_min(1e-6)
    out[:, -F.FADE_SAMPLES:] *= torch.from_numpy(F.fade())
    return out


# ------------------------------------------------------------------------------------ models
class Classifier(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32))
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32))

        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))
        self.features = nn.Sequential(block(1, 16), block(16, 32), block(32, 64), block(64, 96))
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(192, len(LABELS))

    def forward(self, logmel):
        x = ((logmel - self.mean) / self.std).unsqueeze(1)
        x = self.features(x)
        x = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.fc(self.drop(x))


class Encoder(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32))
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32))
        c = 128
        self.net = nn.Sequential(
            nn.Conv1d(F.N_MELS, c, 5, 2, 2), nn.LeakyReLU(0.2),
            nn.Conv1d(c, c, 5, 2, 2), nn.LeakyReLU(0.2),
            nn.Conv1d(c, c, 5, 2, 2), nn.LeakyReLU(0.2))
        self.fc = nn.Linear(c * 16, 2 * LATENT)

    def forward(self, logmel):
        h = self.net((logmel - self.mean) / self.std).flatten(1)
        out = self.fc(h)
        return out[:, :LATENT], out[:, LATENT:].clamp(-10, 5)


class Decoder(nn.Module):
    def __init__(self, bin_mean):
        super().__init__()
        c = 128
        self.c = c
        self.fc = nn.Linear(LATENT, c * 16)
        self.net = nn.Sequential(
            nn.LeakyReLU(0.2),
            nn.ConvTranspose1d(c, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.ConvTranspose1d(c, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.ConvTranspose1d(c, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv1d(c, F.N_BINS, 1))
        with torch.no_grad():
            self.net[-1].bias.copy_(torch.tensor(bin_mean, dtype=torch.float32))

    def forward(self, z):
        return self.net(self.fc(z).view(-1, self.c, 16))


# -------------------------------------------------------------------------------- training
def batches(n, bs, rng):
    idx = rng.permutation(n)
    for i in range(0, n, bs):
        yield idx[i:i + bs]


def pick_variants(items, idx, rng, pitch=True):
    return torch.from_numpy(np.stack([
        items[i]['clips'][rng.integers(0, len(PITCH_RATIOS)) if pitch else 0] for i in idx]))


def logmel_stats(items):
    lm = torch_logmel(torch_mag(torch.from_numpy(np.stack([it['clips'][0] for it in items]))))
    return float(lm.mean()), float(lm.std())


def train_classifier(items, epochs, rng):
    mean, std = logmel_stats(items)
    model = Classifier(mean, std)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    steps = epochs * ((len(items) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    labels = np.array([it['label'] for it in items])
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float32)
    weight = torch.from_numpy(np.where(counts > 0, (counts.sum() / np.maximum(counts, 1)) ** 0.5, 0))
    for ep in range(epochs):
        model.train()
        tot = 0.0
        for idx in batches(len(items), 32, rng):
            x = torch_logmel(torch_mag(augment(pick_variants(items, idx, rng), rng)))
            y = torch.from_numpy(labels[idx])
            loss = Fn.cross_entropy(model(x), y, weight=weight, label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(idx)
    model.eval()
    return model


def predict(model, items):
    with torch.no_grad():
        x = torch_logmel(torch_mag(torch.from_numpy(np.stack([it['clips'][0] for it in items]))))
        return torch.softmax(model(x), dim=1).numpy()


def train_vae(items, epochs, rng, log=None):
    mean, std = logmel_stats(items)
    mags = torch_mag(torch.from_numpy(np.stack([it['clips'][0] for it in items])))
    bin_mean = torch.log(mags + F.LOG_FLOOR).mean(dim=(0, 2)).numpy()
    enc, dec = Encoder(mean, std), Decoder(bin_mean)
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    steps = epochs * ((len(items) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.5e-3, total_steps=steps)
    step = 0
    for ep in range(epochs):
        enc.train()
        dec.train()
        tot = 0.0
        for idx in batches(len(items), 32, rng):
            clips = pick_variants(items, idx, rng)
            mag = torch_mag(clips)
            target = torch.log(mag + F.LOG_FLOOR)
            mu, logvar = enc(torch_logmel(mag))
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            rec = dec(z)
            rec_loss = ((rec - target) ** 2).sum(dim=(1, 2)).mean() / 10.0
            kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(dim=1)).mean()
            beta = min(1.0, step / (0.3 * steps))
            loss = rec_loss + beta * kl
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            sched.step()
            step += 1
            tot += float(rec_loss) * len(idx)
        if log and (ep % 5 == 0 or ep == epochs - 1):
            log('  vae epoch %d rec %.3f kl %.1f' % (ep, tot / len(items), float(kl)))
    enc.eval()
    dec.eval()
    return enc, dec


def vae_errors(enc, dec, items):
    with torch.no_grad():
        mag = torch_mag(torch.from_numpy(np.stack([it['clips'][0] for it in items])))
        mu, _ = enc(torch_logmel(mag))
        rec = dec(mu)
        target = torch.log(mag + F.LOG_FLOOR)
        mse = float(((rec - target) ** 2).mean())
        rmag = (torch.exp(rec) - F.LOG_FLOOR).clamp_min(0)
        sc = (torch.linalg.norm((rmag - mag).flatten(1), dim=1) / torch.linalg.norm(mag.flatten(1), dim=1))
        lsd = torch.sqrt(((20 / np.log(10) * (rec - target)) ** 2).mean(dim=1)).mean()
        return dict(log_mag_mse=mse, spectral_convergence=float(sc.mean()), log_spectral_distance_db=float(lsd))


# ---------------------------------------------------------------------------------- export
def meta(kind, digest, extra=None):
    m = dict(kind=kind, labels=','.join(LABELS), sample_rate=str(F.SR), n_fft=str(F.N_FFT), hop=str(F.HOP),
             mel_bands=str(F.N_MELS), clip_frames=str(F.FRAMES), clip_samples=str(F.CLIP_SAMPLES),
             latent_size=str(LATENT), training_data_digest=digest, version=VERSION,
             log_floor=repr(F.LOG_FLOOR), mel_scale='htk', mel_norm='slaney', window='hann_periodic',
             onset_fraction=repr(F.ONSET_FRACTION), preroll=str(F.PREROLL), fade_samples=str(F.FADE_SAMPLES))
    if extra:
        m.update(extra)
    return m


def export(module, inputs, names_in, names_out, path, metadata):
    import onnx
    torch.onnx.export(module, inputs, path, input_names=names_in, output_names=names_out, opset_version=13,
                      dynamic_axes={n: {0: 'batch'} for n in names_in + names_out}, do_constant_folding=True)
    model = onnx.load(path)
    for k, v in metadata.items():
        p = model.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, path)


class ClassifierExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, logmel):
        return torch.softmax(self.m(logmel), dim=1)


class EncoderExport(nn.Module):
    def __init__(self, e):
        super().__init__()
        self.e = e

    def forward(self, logmel):
        mu, logvar = self.e(logmel)
        return mu, logvar


# ------------------------------------------------------------------------------------- main
def kit_folds(items, k):
    """Kits assigned greedily to k folds by descending size so that folds hold similar counts."""
    sizes = {}
    for it in items:
        sizes[it['kit']] = sizes.get(it['kit'], 0) + 1
    folds = [[] for _ in range(k)]
    load = [0] * k
    for kit in sorted(sizes, key=lambda s: (-sizes[s], s)):
        j = int(np.argmin(load))
        folds[j].append(kit)
        load[j] += sizes[kit]
    return folds


def confusion_png(cm, names, path, title):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 7))
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    ax.imshow(norm, cmap='Blues', vmin=0, vmax=1)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=60, ha='right')
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    for i in range(len(names)):
        for j in range(len(names)):
            if cm[i, j]:
                ax.text(j, i, str(int(cm[i, j])), ha='center', va='center',
                        color='white' if norm[i, j] > 0.5 else 'black', fontsize=8)
    ax.set_xlabel('predicted')
    ax.set_ylabel('true')
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--threads', type=int, default=1,
                    help='torch threads; on a shared, oversubscribed machine 1 is much faster than 2')
    ap.add_argument('--folds', type=int, default=3)
    ap.add_argument('--cls-epochs', type=int, default=20)
    ap.add_argument('--vae-epochs', type=int, default=20)
    ap.add_argument('--vae-cv-epochs', type=int, default=12)
    ap.add_argument('--cv-cls-epochs', type=int, default=15)
    ap.add_argument('--skip-cv', action='store_true')
    ap.add_argument('--cv-only', action='store_true',
                    help='only the grouped-by-kit evaluation (writes out/metrics_cv.json); its seeds do not '
                         'depend on the final training, so a split run gives the same numbers')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.quick:
        args.cls_epochs, args.vae_epochs, args.vae_cv_epochs, args.cv_cls_epochs, args.folds = 2, 2, 2, 2, 2
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(RES, exist_ok=True)
    t0 = time.time()

    def log(s):
        print('[%6.0fs] %s' % (time.time() - t0, s), flush=True)

    seed_all(SEED)
    items, digest = load_dataset()
    log('dataset: %d sounds from %d kits, digest %s' % (len(items), len({i['kit'] for i in items}), digest))
    # the torch features must equal the numpy reference that Java is tested against
    ref = F.log_mel(F.stft_mag(items[0]['clips'][0]))
    tst = torch_logmel(torch_mag(torch.from_numpy(items[0]['clips'][:1])))[0].numpy()
    assert np.max(np.abs(ref - tst)) < 1e-3, np.max(np.abs(ref - tst))

    metrics = dict(dataset_digest=digest, sounds=len(items), version=VERSION, seed=SEED,
                   cls_epochs=args.cls_epochs, vae_epochs=args.vae_epochs, cv_cls_epochs=args.cv_cls_epochs,
                   vae_cv_epochs=args.vae_cv_epochs, threads=args.threads)
    # final models on every kit
    if args.cv_only:
        args.skip_final = True
    else:
        args.skip_final = False
    if not args.skip_final:
        seed_all(SEED)
        rng = np.random.default_rng(SEED)
        model = train_classifier(items, args.cls_epochs, rng)
        log('final classifier trained')
        enc, dec = train_vae(items, args.vae_epochs, rng, log)
        metrics['vae_final_train'] = vae_errors(enc, dec, items)
        metrics['vae_final_epochs'] = args.vae_epochs
        log('final vae trained %s' % metrics['vae_final_train'])

        dummy = torch.from_numpy(np.stack([items[0]['clips'][0]]))
        lm = torch_logmel(torch_mag(dummy))
        export(ClassifierExport(model), (lm,), ['logmel'], ['probs'], os.path.join(RES, 'classifier.onnx'),
               meta('classifier', digest))
        export(EncoderExport(enc), (lm,), ['logmel'], ['mu', 'logvar'], os.path.join(RES, 'vae_encoder.onnx'),
               meta('vae_encoder', digest))
        export(dec, (torch.zeros(1, LATENT),), ['z'], ['logmag'], os.path.join(RES, 'vae_decoder.onnx'),
               meta('vae_decoder', digest))
        # a reference for the Java model test: outputs on the first sound's features
        with torch.no_grad():
            mu, logvar = enc(lm)
            metrics['reference'] = dict(kit=items[0]['kit'], file=items[0]['file'],
                                        probs=torch.softmax(model(lm), 1)[0].tolist(), mu=mu[0].tolist())
        log('exported ONNX models to %s' % os.path.abspath(RES))
        with open(os.path.join(OUT, 'metrics.json'), 'w') as fh:
            json.dump(metrics, fh, indent=1)
    if not args.skip_cv:
        folds = kit_folds(items, args.folds)
        metrics['folds'] = folds
        y_true, y_pred = [], []
        per_kit = {}
        vae_fold = None
        for fi, test_kits in enumerate(folds):
            rng = np.random.default_rng(SEED + fi)
            seed_all(SEED + fi)
            train = [it for it in items if it['kit'] not in test_kits]
            test = [it for it in items if it['kit'] in test_kits]
            model = train_classifier(train, args.cv_cls_epochs, rng)
            p = predict(model, test)
            pred = p.argmax(axis=1)
            for it, pr in zip(test, pred):
                y_true.append(it['label'])
                y_pred.append(int(pr))
                k = per_kit.setdefault(it['kit'], [0, 0])
                k[0] += int(pr == it['label'])
                k[1] += 1
            acc = float(np.mean(pred == np.array([it['label'] for it in test])))
            log('fold %d test kits %s: 12-class accuracy %.3f (%d sounds)' % (fi, test_kits, acc, len(test)))
            if fi == 0:
                enc, dec = train_vae(train, args.vae_cv_epochs, rng, log)
                vae_fold = dict(test_kits=test_kits, held_out=vae_errors(enc, dec, test),
                                train=vae_errors(enc, dec, train))
                log('vae fold 0 held-out %s' % vae_fold['held_out'])
        y_true, y_pred = np.array(y_true), np.array(y_pred)
        cm = np.zeros((12, 12), dtype=int)
        for t, p in zip(y_true, y_pred):
            cm[t, p] += 1
        nine_t = np.array([TO_NINE[t] for t in y_true])
        nine_p = np.array([TO_NINE[p] for p in y_pred])
        cm9 = np.zeros((9, 9), dtype=int)
        for t, p in zip(nine_t, nine_p):
            cm9[t, p] += 1
        metrics['cv'] = dict(
            accuracy12=float(np.mean(y_true == y_pred)), accuracy9=float(np.mean(nine_t == nine_p)),
            per_class12={LABELS[c]: [int(cm[c, c]), int(cm[c].sum())] for c in range(12)},
            per_class9={NINE[c]: [int(cm9[c, c]), int(cm9[c].sum())] for c in range(9)},
            per_kit=per_kit, confusion12=cm.tolist(), confusion9=cm9.tolist())
        metrics['vae_cv'] = vae_fold
        confusion_png(cm, LABELS, os.path.join(HERE, 'confusion12.png'),
                      'held-out kits, 12 classes, acc %.3f' % metrics['cv']['accuracy12'])
        confusion_png(cm9, NINE, os.path.join(HERE, 'confusion9.png'),
                      'held-out kits, 9 classes, acc %.3f' % metrics['cv']['accuracy9'])
        log('CV accuracy 12: %.3f  9: %.3f' % (metrics['cv']['accuracy12'], metrics['cv']['accuracy9']))

    metrics['seconds'] = time.time() - t0
    if args.cv_only:
        with open(os.path.join(OUT, 'metrics_cv.json'), 'w') as fh:
            json.dump(metrics, fh, indent=1)
        log('done (cv only)')
        return
    with open(os.path.join(OUT, 'metrics.json'), 'w') as fh:
        json.dump(metrics, fh, indent=1)
    with open(os.path.join(HERE, 'metrics.json'), 'w') as fh:
        json.dump({k: v for k, v in metrics.items() if k != 'reference'}, fh, indent=1)
    log('done')


if __name__ == '__main__':
    main()
