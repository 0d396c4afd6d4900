"""Fitting: augmented feature banks and the training loops of the classifiers (the VAE's are in
vae_fit.py). Every random choice comes from a numpy Generator or torch's seeded global stream, so a
run with the same seeds gives the same models.
"""
import os
import random
import sys

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as Fn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402
import networks as N  # noqa: E402

AUG_SECONDS = 0.8  # audio an augmented copy is made from (covers the 0.683 s clip after the onset)


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


def augment_audio(x, rng, strong=False):
    """One augmented copy of a sound (raw audio, 48 kHz): pitch (resampling by 0.89-1.12, about +-2
    semitones), a random spectral tilt of +-6 dB across the band, on 30% of copies a low-pass, on 20%
    a high-pass, white noise at -70..-35 dB of the peak. Gain does not matter (clips are normalised).
    strong adds what differs between sources: two random peaking EQ bands of +-9 dB, a short room
    (exponentially decaying noise, RT60 0.05-0.5 s, 5-30% wet) on 30% and tanh saturation on 20%."""
    peak = float(np.max(np.abs(x)))
    first = int(np.argmax(np.abs(x) >= F.ONSET_FRACTION * peak)) if peak > 0 else 0
    a = max(0, first - 2048)
    seg = x[a:a + int(AUG_SECONDS * F.SR)].astype(np.float64)
    r = float(np.exp(rng.uniform(np.log(0.89), np.log(1.12))))
    t = np.arange(0, seg.size - 1, r)
    seg = np.interp(t, np.arange(seg.size), seg)
    spec = np.fft.rfft(seg, 1 << int(np.ceil(np.log2(seg.size))))
    f = np.linspace(0, 1, spec.size)
    g = 10 ** (rng.uniform(-6, 6) * (f - 0.5) / 20)
    u = rng.random()
    if u < 0.3:
        g = g / np.sqrt(1 + (f / rng.uniform(0.25, 1.2)) ** 8)
    elif u < 0.5:
        g = g / np.sqrt(1 + (rng.uniform(0.002, 0.02) / np.maximum(f, 1e-6)) ** 4)
    if strong:
        lf = np.log(np.maximum(f, 1e-4))
        for _ in range(2):
            c = np.log(rng.uniform(0.004, 0.6))
            g = g * 10 ** (rng.uniform(-9, 9) * np.exp(-0.5 * ((lf - c) / rng.uniform(0.2, 0.8)) ** 2) / 20)
    seg = np.fft.irfft(spec * g)[:seg.size]
    if strong and rng.random() < 0.3:
        rt = rng.uniform(0.05, 0.5)
        n = int(rt * F.SR)
        ir = rng.standard_normal(n) * np.exp(-6.9 * np.arange(n) / n)
        wet = scipy.signal.fftconvolve(seg, ir)[:seg.size]
        wet *= np.linalg.norm(seg) / max(np.linalg.norm(wet), 1e-12)
        mix = rng.uniform(0.05, 0.3)
        seg = (1 - mix) * seg + mix * wet
    if strong and rng.random() < 0.2:
        drive = rng.uniform(1.5, 6.0)
        seg = np.tanh(drive * seg / max(np.max(np.abs(seg)), 1e-12)) / np.tanh(drive)
    seg = seg + rng.standard_normal(seg.size) * np.max(np.abs(seg)) * 10 ** (rng.uniform(-70, -35) / 20)
    return seg.astype(np.float32)


def full_clip(x, rng=None):
    """Full-window clip (features.prepare_clip); with rng, up to 3 ms of random extra pre-roll (the
    onset of a segmented hit is not sample exact)."""
    c = F.prepare_clip(x)
    if c is None or rng is None:
        return c
    s = int(rng.integers(0, 145))
    if s:
        c = np.concatenate([np.zeros(s, np.float32), c[:-s]])
        c[-F.FADE_SAMPLES:] *= F.fade()
    return c


def window_clip(x, window, rng=None):
    """Short-window clip as listen mode cuts it: the samples up to `window` after the detected onset,
    which lies 0-2 ms after the true onset (with rng; exactly at it without)."""
    peak = float(np.max(np.abs(x)))
    x = x / max(peak, 1e-12)  # gain does not matter, and a soft velocity layer is not silence
    first = int(np.argmax(np.abs(x) >= F.ONSET_FRACTION))
    late = int(rng.integers(0, 97)) if rng is not None else 0
    start = max(0, first - 960)
    return F.prepare_window(x[start:first + late + window], window)


def logmels(clips, frames):
    with torch.no_grad():
        out = []
        for i in range(0, len(clips), 64):
            c = torch.from_numpy(np.stack(clips[i:i + 64]))
            out.append(N.torch_logmel(N.torch_mag(c, frames)).numpy())
        return np.concatenate(out)


def feature_bank(items, copies, rng, frames, window=None, strong=False):
    """Log-mels (N, 1 + copies, 64, frames): index 0 is the clean clip, then augmented copies. The
    augmentation looks at one sound at a time, so one bank serves every fold without leaking."""
    clips = []
    for it in items:
        x = it['audio']
        clips.append(full_clip(x) if window is None else window_clip(x, window))
        for _ in range(copies):
            y = augment_audio(x, rng, strong)
            c = full_clip(y, rng) if window is None else window_clip(y, window, rng)
            clips.append(c if c is not None else clips[-1])
    lm = logmels(clips, frames)
    return lm.reshape(len(items), 1 + copies, F.N_MELS, frames)


def example_weights(labels, sources, idx, source_balance, class_balance=0.5):
    """Loss weights: (mean source size / this source's size) ** source_balance, times inverse class
    frequency ** class_balance (counted with the source weights), normalised to mean 1."""
    _, inv, cnt = np.unique(sources[idx], return_inverse=True, return_counts=True)
    sw = (cnt.mean() / cnt[inv]) ** source_balance
    counts = np.bincount(labels[idx], weights=sw, minlength=N.N_CLASSES)
    cw = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1e-9)) ** class_balance, 0)
    w = sw * cw[labels[idx]]
    return (w / w.mean()).astype(np.float32)


def batches(n, bs, rng):
    idx = rng.permutation(n)
    for i in range(0, n, bs):
        yield idx[i:i + bs]


def train_cnn(bank, labels, sources, idx, epochs, rng, chans=(8, 16, 32, 48), band_mask=False,
              source_balance=0.5, lr=3e-3, smoothing=0.05, drop=0.3, keep_freq=False, class_balance=0.5):
    frames = bank.shape[-1]
    clean = torch.from_numpy(bank[idx, 0])
    clean = clean - clean.amax(dim=(1, 2), keepdim=True)
    model = N.Cnn(clean.mean(), clean.std(), chans, frames, drop, keep_freq)
    opt = torch.optim.AdamW(model.parameters(), lr=lr / 1.5, weight_decay=1e-3)
    steps = epochs * ((len(idx) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    w_all = example_weights(labels, sources, idx, source_balance, class_balance)
    c = bank.shape[1]
    for _ in range(epochs):
        model.train()
        for b in batches(len(idx), 32, rng):
            ii = idx[b]
            x = torch.from_numpy(bank[ii, rng.integers(1, c, len(ii)) if c > 1 else 0])
            if band_mask:
                for j in range(len(ii)):
                    f0 = rng.integers(0, F.N_MELS - 8)
                    x[j, f0:f0 + rng.integers(0, 8)] = x[j].mean()
            y = torch.from_numpy(labels[ii])
            w = torch.from_numpy(w_all[b])
            loss = (Fn.cross_entropy(model(x), y, reduction='none', label_smoothing=smoothing) * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


def train_stats(bank, labels, sources, idx, epochs, rng, hidden=64, source_balance=1.0, drop=0.7):
    frames = bank.shape[-1]
    c = bank.shape[1]
    with torch.no_grad():
        stats = torch.cat([N.hit_statistics(torch.from_numpy(bank[idx[i:i + 64]].reshape(-1, F.N_MELS, frames)),
                                            frames) for i in range(0, len(idx), 64)]).view(len(idx), c, -1)
    flat = stats.reshape(len(idx) * c, -1)
    model = N.StatsMlp(flat.mean(0), flat.std(0).clamp_min(1e-3), frames, hidden, drop)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    steps = epochs * ((len(idx) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    w_all = torch.from_numpy(example_weights(labels, sources, idx, source_balance))
    model.train()
    for _ in range(epochs):
        for b in batches(len(idx), 32, rng):
            x = stats[b, rng.integers(0, c, len(b))]
            w = w_all[b]
            loss = (Fn.cross_entropy(model.logits_from_stats(x), torch.from_numpy(labels[idx[b]]), reduction='none',
                                     label_smoothing=0.1) * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


def predict(model, bank, idx):
    with torch.no_grad():
        return torch.softmax(model(torch.from_numpy(bank[idx, 0])), dim=1).numpy() \
            if not isinstance(model, N.Ensemble) else model(torch.from_numpy(bank[idx, 0])).numpy()


# ------------------------------------------------------------------------------------------- VAE
VAE_FLOOR_DB = 80.0  # the reconstruction loss ignores what lies this far below the clip's peak bin


def vae_target(clips):
    """Log-magnitude targets (B, 513, 128) of prepared clips."""
    return torch.log(N.torch_mag(clips) + F.LOG_FLOOR)


def vae_loss(rec, target, mag, attack_weight=1.0):
    """Reconstruction terms: squared log-magnitude error above a floor VAE_FLOOR_DB below each clip's
    loudest bin (what lies under it is inaudible next to the peak, and a decoder may put anything
    there that stays under it), plus spectral convergence of the linear magnitudes (weights the loud
    bins: the body of a kick, a snare's tone)."""
    floor = target.amax(dim=(1, 2), keepdim=True) - VAE_FLOOR_DB / (20 / np.log(10))
    t = torch.maximum(target, floor)
    r = torch.maximum(rec, floor)
    err = (r - t) ** 2
    if attack_weight != 1.0:
        err = torch.cat([err[:, :, :16] * attack_weight, err[:, :, 16:]], dim=2)
    log_term = err.sum(dim=(1, 2)).mean() / 10.0
    lin = torch.exp(rec) - F.LOG_FLOOR
    sc = (torch.linalg.norm((lin - mag).flatten(1), dim=1) / torch.linalg.norm(mag.flatten(1), dim=1)).mean()
    return log_term, sc


def train_vae(clips, epochs, rng, beta=0.5, sc_weight=200.0, log=None, pitch=True, attack_weight=1.0,
              critic=None, labels=None, critic_weight=0.0):
    """clips: (N, CLIP_SAMPLES) float32 prepared clips. KL weight warms up linearly to `beta` over the
    first 30% of steps. Each batch draws a random pitch variant (resampling by 0.94-1.06) of each clip.
    attack_weight: the first 16 frames' (85 ms) log-magnitude error counts this many times.
    critic: a frozen classifier (log-mel -> logits) whose cross-entropy on the decoded spectrogram's
    log-mel, against the input's label, is added with critic_weight (keeps what makes a kick a kick)."""
    clips_t = torch.from_numpy(clips)
    with torch.no_grad():
        lm = torch.cat([N.torch_logmel(N.torch_mag(clips_t[i:i + 64])) for i in range(0, len(clips), 64)])
        mean, std = float(lm.mean()), float(lm.std())
        bin_mean = torch.cat([vae_target(clips_t[i:i + 64]) for i in range(0, len(clips), 64)]).mean(dim=(0, 2))
    enc, dec = N.Encoder(mean, std), N.Decoder(bin_mean.numpy())
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    steps = epochs * ((len(clips) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.5e-3, total_steps=steps)
    step = 0
    for ep in range(epochs):
        enc.train()
        dec.train()
        tot = [0.0, 0.0, 0.0]
        for b in batches(len(clips), 32, rng):
            x = clips_t[b]
            if pitch:
                x = pitch_batch(x, rng)
            mag = N.torch_mag(x)
            target = torch.log(mag + F.LOG_FLOOR)
            mu, logvar = enc(N.torch_logmel(mag))
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            rec = dec(z)
            log_term, sc = vae_loss(rec, target, mag, attack_weight)
            kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(dim=1)).mean()
            w = beta * min(1.0, step / (0.3 * steps))
            loss = log_term + sc_weight * sc + w * kl
            if critic is not None and critic_weight > 0:
                dec_lm = N.torch_logmel((torch.exp(rec) - F.LOG_FLOOR).clamp_min(0))
                loss = loss + critic_weight * Fn.cross_entropy(critic(dec_lm), torch.from_numpy(labels[b]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            sched.step()
            step += 1
            tot[0] += float(log_term) * len(b)
            tot[1] += float(sc) * len(b)
            tot[2] += float(kl) * len(b)
        if log and (ep % 10 == 0 or ep == epochs - 1):
            log('  vae epoch %d log %.2f sc %.3f kl %.1f' % (ep, tot[0] / len(clips), tot[1] / len(clips),
                                                           tot[2] / len(clips)))
    enc.eval()
    dec.eval()
    return enc, dec


def pitch_batch(x, rng):
    """Resamples each clip by a random ratio in [0.94, 1.06] (linear interpolation), keeping the onset
    at the clip start and the fade at its end."""
    out = torch.empty_like(x)
    n = x.shape[1]
    fade = torch.from_numpy(F.fade())
    for i in range(x.shape[0]):
        r = float(rng.uniform(0.94, 1.06))
        t = torch.arange(n, dtype=torch.float32) * r
        i0 = t.floor().long().clamp(max=n - 2)
        frac = (t - i0.float()).clamp(max=1.0)
        y = x[i][i0] * (1 - frac) + x[i][i0 + 1] * frac
        y = torch.where(t < n - 1, y, torch.zeros_like(y))
        y = y / y.abs().max().clamp_min(1e-6)
        y[-F.FADE_SAMPLES:] = y[-F.FADE_SAMPLES:] * fade
        out[i] = y
    return out


def encode(enc, clips):
    with torch.no_grad():
        mus, lvs = [], []
        for i in range(0, len(clips), 64):
            mu, lv = enc(N.torch_logmel(N.torch_mag(torch.from_numpy(clips[i:i + 64]))))
            mus.append(mu)
            lvs.append(lv)
        return torch.cat(mus).numpy(), torch.cat(lvs).numpy()


def fit_prior(mu, logvar, labels, shrink=0.1):
    """The latent prior random generation samples: a Gaussian mixture with one full-covariance
    component per drum class, fitted to the training sounds' encodings (the aggregate posterior of
    each class: the covariance of the class's latent means plus its mean posterior variance), shrunk
    by `shrink` towards its diagonal; components weigh the same, so every class is drawn as often."""
    comps = []
    for c in range(N.N_CLASSES):
        m = mu[labels == c]
        if len(m) < 2:
            continue
        mean = m.mean(axis=0)
        cov = np.cov(m, rowvar=False) + np.diag(np.exp(logvar[labels == c]).mean(axis=0))
        cov = (1 - shrink) * cov + shrink * np.diag(np.diag(cov))
        chol = np.linalg.cholesky(cov)
        comps.append(dict(label=c, mean=mean, chol=chol))
    w = np.full(len(comps), 1.0 / len(comps))
    return dict(weights=w, components=comps)


def sample_prior(prior, rng, n):
    """n latent points from the mixture, with numpy's Generator (Java draws its own with
    java.util.Random; the distribution is the same)."""
    ks = rng.choice(len(prior['components']), size=n, p=prior['weights'])
    out = np.zeros((n, N.LATENT), dtype=np.float32)
    for i, k in enumerate(ks):
        c = prior['components'][k]
        out[i] = c['mean'] + c['chol'] @ rng.standard_normal(N.LATENT)
    return out, ks
