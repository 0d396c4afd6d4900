#!/usr/bin/python3
"""Trains latentkit's drum classifier and drum VAE from Debian's hydrogen-drumkits, evaluates them
with grouped-by-kit cross-validation and exports ONNX files with metadata.

One command, from the repository root:  /usr/bin/python3 models/training/train.py
Options: --quick (a few epochs, for development), --threads N (default 1), --cv-only, --skip-cv, --skip-vae,
--no-loko (skip the 14-fold leave-one-kit-out CV); the classifier recipe (--cnn-members, --cnn-channels,
--frames, --norm-max, --kit-balance, --stats-kit-balance, --pitch, --stats-members, --stats-hidden,
--cls-epochs, --stats-epochs, --aug-copies) and the VAE's epochs (--vae-epochs, --vae-cv-epochs); see --help.
The classifier (1.2.0) is an ensemble of two small CNNs (8-16-32-48 channels) on the first 64 frames of
the log-mel and three small MLPs on per-band time-window statistics of the same 64 frames
(hit_statistics), all inside one ONNX graph with the same input as before; the crop is in the graph and
its length is in the metadata key classifier_frames, so Java may compute only those frames.
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
VERSION = '1.2.0'
SEED = 1234
# classifier recipe (defaults of the command-line options)
CNN_MEMBERS = 2
CNN_CHANNELS = (8, 16, 32, 48)
CLS_FRAMES = 64
CLS_EPOCHS = 50
NORM_MAX = True
KIT_BALANCE = 0.0
STATS_KIT_BALANCE = 1.0
PITCH = 'all'
STATS_MEMBERS = 3
STATS_HIDDEN = 64
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
    """2-D CNN on the (optionally cropped) log-mel: conv3x3-BN-ReLU-maxpool blocks, mean+max pooling.
    chans: channels per block; frames: only the first `frames` frames are used (cropped in the graph);
    norm_max: subtract the clip's maximum log-mel first (per-example level normalisation)."""
    def __init__(self, mean, std, chans=(16, 32, 64, 96), frames=F.FRAMES, norm_max=False):
        super().__init__()
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32))
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32))
        self.frames = frames
        self.norm_max = norm_max

        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))
        layers, c = [], 1
        for o in chans:
            layers.append(block(c, o))
            c = o
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(2 * c, len(LABELS))

    def forward(self, logmel):
        if self.frames < F.FRAMES:
            logmel = logmel[:, :, :self.frames]
        if self.norm_max:
            logmel = logmel - logmel.amax(dim=(1, 2), keepdim=True)
        x = ((logmel - self.mean) / self.std).unsqueeze(1)
        x = self.features(x)
        x = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.fc(self.drop(x))


# time windows (frames) of the statistics classifier: attack, early body, body, early and late decay, tail
WINDOWS = [(0, 2), (2, 6), (6, 14), (14, 30), (30, 62), (62, 128)]


def stat_windows(frames):
    """The windows inside the first `frames` frames (the last one ends at `frames`)."""
    w = [(a, b) for a, b in WINDOWS if b <= frames]
    if w[-1][1] < frames:
        w[-1] = (w[-1][0], frames)
    return w


def hit_statistics(logmel, frames=F.FRAMES, norm_max=False):
    """Kit-robust summary of a log-mel clip (B, 64, 128) -> (B, stat_dim(frames)), all inside the ONNX
    graph, from the first `frames` frames only: per-band means over the time windows (the attack/decay
    shape of each band), the same with the window's mean over bands removed (spectral shape independent
    of level), per-band max and standard deviation over the clip, and the band-averaged envelope pooled
    over 4 frames, raw and relative to its maximum (onset and decay). norm_max: subtract the clip's
    maximum first."""
    logmel = logmel[:, :, :frames]
    if norm_max:
        logmel = logmel - logmel.amax(dim=(1, 2), keepdim=True)
    wm = [logmel[:, :, a:b].mean(dim=2) for a, b in stat_windows(frames)]
    shape = [w - w.mean(dim=1, keepdim=True) for w in wm]
    mean = logmel.mean(dim=2, keepdim=True)
    std = torch.sqrt(((logmel - mean) ** 2).mean(dim=2) + 1e-6)
    env = Fn.avg_pool1d(logmel.mean(dim=1, keepdim=True), 4).squeeze(1)
    rel = env - env.amax(dim=1, keepdim=True)
    return torch.cat(wm + shape + [logmel.amax(dim=2), std, env, rel], dim=1)


def stat_dim(frames):
    return len(stat_windows(frames)) * 64 * 2 + 64 * 2 + (frames // 4) * 2


STAT_DIM = stat_dim(F.FRAMES)


class StatsMlp(nn.Module):
    """One member: standardised hit statistics -> hidden layer -> 12 logits."""
    def __init__(self, fmean, fstd, hidden=256, drop=0.5, frames=F.FRAMES, norm_max=False):
        super().__init__()
        self.register_buffer('fmean', torch.as_tensor(fmean, dtype=torch.float32))
        self.register_buffer('fstd', torch.as_tensor(fstd, dtype=torch.float32))
        self.frames = frames
        self.norm_max = norm_max
        self.net = nn.Sequential(nn.Dropout(0.1), nn.Linear(stat_dim(frames), hidden), nn.ReLU(), nn.Dropout(drop),
                                 nn.Linear(hidden, len(LABELS)))

    def logits_from_stats(self, stats):
        return self.net((stats - self.fmean) / self.fstd)

    def forward(self, logmel):
        return self.logits_from_stats(hit_statistics(logmel, self.frames, self.norm_max))


class StatsGroup(nn.Module):
    """Statistics MLPs as one ensemble member: log of their mean softmax (so softmax gives the mean back)."""
    def __init__(self, mlps):
        super().__init__()
        self.mlps = nn.ModuleList(mlps)

    def forward(self, logmel):
        s = hit_statistics(logmel, self.mlps[0].frames, self.mlps[0].norm_max)
        p = torch.stack([torch.softmax(m.logits_from_stats(s), dim=1) for m in self.mlps]).mean(dim=0)
        return torch.log(p + 1e-12)


class ClassifierEnsemble(nn.Module):
    """Mean of the members' softmax outputs (each member maps a log-mel clip to 12 logits)."""
    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, logmel):
        return torch.stack([torch.softmax(m(logmel), dim=1) for m in self.members]).mean(dim=0)


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


def feature_bank(items, copies, rng):
    """Log-mels of every sound, (N, pitch variants, 1 + copies, N_MELS, FRAMES): index 0 of the third
    axis is the clean clip, the others are augmented copies (augment()). Computed once; augmentation
    looks at one clip at a time, so the bank can serve every cross-validation fold without leaking
    anything from a test kit into training."""
    n, v = len(items), len(PITCH_RATIOS)
    bank = np.zeros((n, v, 1 + copies, F.N_MELS, F.FRAMES), dtype=np.float32)
    with torch.no_grad():
        for j in range(v):
            clips = torch.from_numpy(np.stack([it['clips'][j] for it in items]))
            for i in range(0, n, 64):
                c = clips[i:i + 64]
                bank[i:i + 64, j, 0] = torch_logmel(torch_mag(c)).numpy()
                for a in range(copies):
                    bank[i:i + 64, j, 1 + a] = torch_logmel(torch_mag(augment(c, rng))).numpy()
    return bank


def class_weight(labels):
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float32)
    return torch.from_numpy(np.where(counts > 0, (counts.sum() / np.maximum(counts, 1)) ** 0.5, 0))


TOMS = (LABELS.index('tom_low'), LABELS.index('tom_mid'), LABELS.index('tom_high'))


def example_weights(labels, kits, idx, kit_balance):
    """Per-example loss weights for training set idx: kit weight (mean kit size / this kit's size) **
    kit_balance (0: every sound counts the same; 1: every kit counts the same) times a class weight
    (sqrt of inverse class frequency, frequencies counted with the kit weights)."""
    ks = kits[idx]
    names, inv, cnt = np.unique(ks, return_inverse=True, return_counts=True)
    kw = (cnt.mean() / cnt[inv]) ** kit_balance
    counts = np.bincount(labels[idx], weights=kw, minlength=len(LABELS))
    cw = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1e-9)) ** 0.5, 0)
    w = kw * cw[labels[idx]]
    return (w / w.mean()).astype(np.float32)


def variant_choice(labels, ii, v, pitch, rng):
    """Pitch variant per example: 'all' any of the 7, 'small' the unshifted and the four about one
    semitone away, 'none' the unshifted only, 'notoms' any for non-toms and the unshifted for toms."""
    if pitch == 'all':
        return rng.integers(0, v, len(ii))
    if pitch == 'small':
        return rng.integers(0, min(5, v), len(ii))
    if pitch == 'none':
        return np.zeros(len(ii), dtype=int)
    r = rng.integers(0, v, len(ii))
    return np.where(np.isin(labels[ii], TOMS), 0, r)


def train_cnn(bank, labels, idx, epochs, rng, band_mask=False, chans=(16, 32, 64, 96), frames=F.FRAMES,
              norm_max=False, kits=None, kit_balance=0.0, pitch='all', time_mask=0, mixup=0.0, lr=3e-3,
              smoothing=0.05):
    """The 2-D CNN on augmented copies (a pitch variant and augmented copy per sound and epoch).
    band_mask: also hide a random run of up to 7 mel bands per example (set to the clip's mean);
    time_mask: hide a random run of up to time_mask frames (after the first 4) the same way."""
    clean = torch.from_numpy(bank[idx, 0, 0, :, :frames])
    if norm_max:
        clean = clean - clean.amax(dim=(1, 2), keepdim=True)
    model = Classifier(float(clean.mean()), float(clean.std()), chans, frames, norm_max)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
    steps = epochs * ((len(idx) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    if kits is None:
        kits = np.zeros(len(labels), dtype=int)
    wts = np.zeros(len(labels), dtype=np.float32)
    wts[idx] = example_weights(labels, kits, idx, kit_balance)
    v, c = bank.shape[1], bank.shape[2]
    for ep in range(epochs):
        model.train()
        for b in batches(len(idx), 32, rng):
            ii = idx[b]
            x = torch.from_numpy(bank[ii, variant_choice(labels, ii, v, pitch, rng), rng.integers(1, c, len(ii)),
                                      :, :frames])
            if band_mask:
                for j in range(len(ii)):
                    f0 = rng.integers(0, F.N_MELS - 8)
                    x[j, f0:f0 + rng.integers(0, 8)] = x[j].mean()
            if time_mask:
                for j in range(len(ii)):
                    t0 = rng.integers(4, frames - time_mask)
                    x[j, :, t0:t0 + rng.integers(0, time_mask + 1)] = x[j].mean()
            y = torch.from_numpy(labels[ii])
            w = torch.from_numpy(wts[ii])
            if mixup > 0:
                lam = float(rng.beta(mixup, mixup))
                perm = torch.from_numpy(rng.permutation(len(ii)))
                out = model(lam * x + (1 - lam) * x[perm])
                l1 = Fn.cross_entropy(out, y, reduction='none', label_smoothing=smoothing)
                l2 = Fn.cross_entropy(out, y[perm], reduction='none', label_smoothing=smoothing)
                loss = (lam * l1 * w + (1 - lam) * l2 * w[perm]).sum() / (lam * w + (1 - lam) * w[perm]).sum()
            else:
                loss = (Fn.cross_entropy(model(x), y, reduction='none', label_smoothing=smoothing) * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


def train_stats(bank, labels, idx, epochs, rng, kits=None, kit_balance=0.0, pitch='all', hidden=256,
                frames=F.FRAMES, norm_max=False):
    """A StatsMlp on the hit statistics of every clean and augmented copy."""
    v, c = bank.shape[1], bank.shape[2]
    with torch.no_grad():
        stats = torch.cat([hit_statistics(torch.from_numpy(bank[idx[i:i + 32]].reshape(-1, F.N_MELS, F.FRAMES)),
                                          frames, norm_max)
                           for i in range(0, len(idx), 32)]).view(len(idx), v, c, -1)
    flat = stats.reshape(len(idx) * v * c, -1)
    model = StatsMlp(flat.mean(0), flat.std(0).clamp_min(1e-3), hidden=hidden, drop=0.7, frames=frames,
                     norm_max=norm_max)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    steps = epochs * ((len(idx) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    if kits is None:
        kits = np.zeros(len(labels), dtype=int)
    wts = torch.from_numpy(example_weights(labels, kits, idx, kit_balance))
    model.train()
    for ep in range(epochs):
        for b in batches(len(idx), 32, rng):
            x = stats[b, variant_choice(labels, idx[b], v, pitch, rng), rng.integers(0, c, len(b))]
            w = wts[b]
            loss = (Fn.cross_entropy(model.logits_from_stats(x), torch.from_numpy(labels[idx[b]]), reduction='none',
                                     label_smoothing=0.1) * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


def train_classifier(bank, labels, idx, args, rng, kits, log=None):
    """The shipped classifier: the mean of the CNN members' softmax outputs and (as one more member)
    the mean of the statistics MLPs'. Every other CNN member trains with band masking."""
    members = []
    for j in range(args.cnn_members):
        members.append(train_cnn(bank, labels, idx, args.cls_epochs, rng, band_mask=j % 2 == 1,
                                 chans=args.cnn_channels, frames=args.frames, norm_max=args.norm_max, kits=kits,
                                 kit_balance=args.kit_balance, pitch=args.pitch))
        if log:
            log('  cnn member %d trained' % j)
    if args.stats_members:
        members.append(StatsGroup([train_stats(bank, labels, idx, args.stats_epochs, rng, kits=kits,
                                               kit_balance=args.stats_kit_balance, pitch=args.pitch,
                                               hidden=args.stats_hidden, frames=args.frames,
                                               norm_max=args.norm_max)
                                   for _ in range(args.stats_members)]))
    return ClassifierEnsemble(members)


def predict(model, bank, idx):
    with torch.no_grad():
        return model(torch.from_numpy(bank[idx, 0, 0])).numpy()


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


def cross_validate(bank, labels, kits, items, folds, args, log, tag):
    """Grouped-by-kit CV of the classifier recipe: each fold trains on the other kits and predicts
    the clean clips of its own. Seeds depend only on the fold's index (and tag), not on other runs."""
    y_true, y_pred = [], []
    per_kit = {}
    fold_acc = []
    for fi, test_kits in enumerate(folds):
        rng = np.random.default_rng(SEED + fi)
        seed_all(SEED + fi)
        tr = np.array([i for i, it in enumerate(items) if it['kit'] not in test_kits])
        te = np.array([i for i, it in enumerate(items) if it['kit'] in test_kits])
        model = train_classifier(bank, labels, tr, args, rng, kits)
        pred = predict(model, bank, te).argmax(axis=1)
        for i, pr in zip(te, pred):
            y_true.append(int(labels[i]))
            y_pred.append(int(pr))
            k = per_kit.setdefault(items[i]['kit'], [0, 0])
            k[0] += int(pr == labels[i])
            k[1] += 1
        fold_acc.append(float(np.mean(pred == labels[te])))
        log('%s fold %d test kits %s: 12-class accuracy %.3f (%d sounds)' % (tag, fi, test_kits, fold_acc[-1], len(te)))
    y_true, y_pred = np.array(y_true), np.array(y_pred)
    cm = np.zeros((12, 12), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[t, p] += 1
    nine_t = np.array([TO_NINE[t] for t in y_true])
    nine_p = np.array([TO_NINE[p] for p in y_pred])
    cm9 = np.zeros((9, 9), dtype=int)
    for t, p in zip(nine_t, nine_p):
        cm9[t, p] += 1
    res = dict(
        folds=folds, fold_accuracy12=fold_acc,
        accuracy12=float(np.mean(y_true == y_pred)), accuracy9=float(np.mean(nine_t == nine_p)),
        per_class12={LABELS[c]: [int(cm[c, c]), int(cm[c].sum())] for c in range(12)},
        per_class9={NINE[c]: [int(cm9[c, c]), int(cm9[c].sum())] for c in range(9)},
        per_kit=per_kit, confusion12=cm.tolist(), confusion9=cm9.tolist())
    log('%s CV accuracy 12: %.3f  9: %.3f' % (tag, res['accuracy12'], res['accuracy9']))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--threads', type=int, default=1,
                    help='torch threads; on a shared, oversubscribed machine 1 is much faster than 2')
    ap.add_argument('--folds', type=int, default=3)
    ap.add_argument('--no-loko', action='store_true', help='skip the leave-one-kit-out CV (14 folds)')
    ap.add_argument('--cls-epochs', type=int, default=CLS_EPOCHS, help='epochs of each CNN member (final and CV)')
    ap.add_argument('--cnn-members', type=int, default=CNN_MEMBERS)
    ap.add_argument('--cnn-channels', default=','.join(map(str, CNN_CHANNELS)), help='channels of the 4 CNN blocks')
    ap.add_argument('--frames', type=int, default=CLS_FRAMES, help='classifier uses only the first FRAMES frames')
    ap.add_argument('--norm-max', type=int, default=int(NORM_MAX), choices=[0, 1],
                    help='1: subtract each clip\'s maximum log-mel inside the graph (per-example level normalisation)')
    ap.add_argument('--kit-balance', type=float, default=KIT_BALANCE,
                    help='0: every sound weighs the same; 1: every kit weighs the same (times class weights)')
    ap.add_argument('--stats-kit-balance', type=float, default=STATS_KIT_BALANCE, help='--kit-balance of the MLPs')
    ap.add_argument('--pitch', default=PITCH, choices=['all', 'small', 'none', 'notoms'],
                    help='which pitch-shifted variants the classifier trains on')
    ap.add_argument('--stats-members', type=int, default=STATS_MEMBERS)
    ap.add_argument('--stats-hidden', type=int, default=STATS_HIDDEN)
    ap.add_argument('--stats-epochs', type=int, default=100)
    ap.add_argument('--aug-copies', type=int, default=3, help='augmented copies of each pitch variant')
    ap.add_argument('--vae-epochs', type=int, default=100)
    ap.add_argument('--vae-cv-epochs', type=int, default=100)
    ap.add_argument('--skip-cv', action='store_true')
    ap.add_argument('--skip-vae', action='store_true', help='development: no VAE training or export')
    ap.add_argument('--cv-only', action='store_true',
                    help='only the grouped-by-kit evaluation (writes out/metrics_cv.json); its seeds do not '
                         'depend on the final training, so a split run gives the same numbers')
    args = ap.parse_args()
    args.norm_max = bool(args.norm_max)
    args.cnn_channels = tuple(int(c) for c in args.cnn_channels.split(','))
    torch.set_num_threads(args.threads)
    if args.quick:
        args.cls_epochs, args.stats_epochs, args.vae_epochs, args.vae_cv_epochs, args.folds = 2, 2, 2, 2, 2
        args.aug_copies = 1
        args.no_loko = True
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

    seed_all(SEED)
    bank = feature_bank(items, args.aug_copies, np.random.default_rng(SEED))
    labels = np.array([it['label'] for it in items])
    kits = np.array([it['kit'] for it in items])
    log('feature bank: %s' % (bank.shape,))

    metrics = dict(dataset_digest=digest, sounds=len(items), version=VERSION, seed=SEED,
                   cls_epochs=args.cls_epochs, cnn_members=args.cnn_members, cnn_channels=list(args.cnn_channels),
                   classifier_frames=args.frames, norm_max=args.norm_max, kit_balance=args.kit_balance,
                   stats_kit_balance=args.stats_kit_balance, pitch=args.pitch,
                   stats_members=args.stats_members, stats_hidden=args.stats_hidden,
                   stats_epochs=args.stats_epochs, aug_copies=args.aug_copies, vae_epochs=args.vae_epochs,
                   vae_cv_epochs=args.vae_cv_epochs, threads=args.threads)
    dummy = torch.from_numpy(np.stack([items[0]['clips'][0]]))
    lm = torch_logmel(torch_mag(dummy))
    # final models on every kit
    if not args.cv_only:
        seed_all(SEED)
        rng = np.random.default_rng(SEED)
        model = train_classifier(bank, labels, np.arange(len(items)), args, rng, kits, log)
        log('final classifier trained')
        extra = {'classifier_frames': str(args.frames)} if args.frames < F.FRAMES else None
        export(model, (lm,), ['logmel'], ['probs'], os.path.join(RES, 'classifier.onnx'),
               meta('classifier', digest, extra))
        with torch.no_grad():
            metrics['reference'] = dict(kit=items[0]['kit'], file=items[0]['file'], probs=model(lm)[0].tolist())
        if not args.skip_vae:
            # the VAE's seeds do not depend on the classifier's training
            seed_all(SEED + 500)
            enc, dec = train_vae(items, args.vae_epochs, np.random.default_rng(SEED + 500), log)
            metrics['vae_final_train'] = vae_errors(enc, dec, items)
            metrics['vae_final_epochs'] = args.vae_epochs
            log('final vae trained %s' % metrics['vae_final_train'])
            export(EncoderExport(enc), (lm,), ['logmel'], ['mu', 'logvar'], os.path.join(RES, 'vae_encoder.onnx'),
                   meta('vae_encoder', digest))
            export(dec, (torch.zeros(1, LATENT),), ['z'], ['logmag'], os.path.join(RES, 'vae_decoder.onnx'),
                   meta('vae_decoder', digest))
            with torch.no_grad():
                metrics['reference']['mu'] = enc(lm)[0][0].tolist()
        log('exported ONNX models to %s' % os.path.abspath(RES))
        with open(os.path.join(OUT, 'metrics.json'), 'w') as fh:
            json.dump(metrics, fh, indent=1)
    if not args.skip_cv:
        folds = kit_folds(items, args.folds)
        metrics['folds'] = folds
        metrics['cv'] = cross_validate(bank, labels, kits, items, folds, args, log, '%d-fold' % args.folds)
        cv = metrics['cv']
        confusion_png(np.array(cv['confusion12']), LABELS, os.path.join(HERE, 'confusion12.png'),
                      'held-out kits (%d-fold), 12 classes, acc %.3f' % (args.folds, cv['accuracy12']))
        confusion_png(np.array(cv['confusion9']), NINE, os.path.join(HERE, 'confusion9.png'),
                      'held-out kits (%d-fold), 9 classes, acc %.3f' % (args.folds, cv['accuracy9']))
        if not args.no_loko:
            loko = [[k] for k in sorted(set(kits))]
            metrics['cv_loko'] = cross_validate(bank, labels, kits, items, loko, args, log, 'leave-one-kit-out')
        if not args.skip_vae:
            # VAE trained without fold 0's kits, evaluated on them
            seed_all(SEED + 501)
            tr = [it for it in items if it['kit'] not in folds[0]]
            te = [it for it in items if it['kit'] in folds[0]]
            enc, dec = train_vae(tr, args.vae_cv_epochs, np.random.default_rng(SEED + 501), log)
            metrics['vae_cv'] = dict(test_kits=folds[0], held_out=vae_errors(enc, dec, te),
                                     train=vae_errors(enc, dec, tr))
            log('vae fold 0 held-out %s' % metrics['vae_cv']['held_out'])

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
