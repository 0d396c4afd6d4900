"""Evaluation: leave-one-source-out classification, its tables and pictures, the window-length
curve, the VAE's generation statistics and round trip, and phase reconstruction for them (fast
Griffin-Lim as Java's PhaseReconstructor runs it).
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402
import networks as N  # noqa: E402

CLASSES = ['kick', 'snare', 'rim', 'clap', 'hihat_closed', 'hihat_open', 'tom', 'crash', 'ride', 'perc']
FADE_START = F.CLIP_SAMPLES - F.FADE_SAMPLES


# ------------------------------------------------------------------------------- classification
def scores(labels, pred, sources, groups=None):
    """Top-1 over sounds, per class, per source, confusion matrix; and over groups (a group is
    right when the majority of its sounds are)."""
    labels, pred, sources = np.asarray(labels), np.asarray(pred), np.asarray(sources)
    cm = np.zeros((N.N_CLASSES, N.N_CLASSES), dtype=int)
    for t, p in zip(labels, pred):
        cm[t, p] += 1
    res = dict(accuracy=float(np.mean(labels == pred)), n=int(len(labels)),
               per_class={CLASSES[c]: [int(cm[c, c]), int(cm[c].sum())] for c in range(N.N_CLASSES)},
               per_source={s: [int(np.sum((labels == pred)[sources == s])), int(np.sum(sources == s))]
                           for s in sorted(set(sources))},
               confusion=cm.tolist())
    res['min_class_accuracy'] = min(ok / n for ok, n in res['per_class'].values() if n)
    res['balanced_accuracy'] = float(np.mean([ok / n for ok, n in res['per_class'].values() if n]))
    if groups is not None:
        groups = np.asarray(groups)
        right = [np.mean((labels == pred)[groups == g]) > 0.5 for g in sorted(set(groups))]
        res['group_accuracy'] = float(np.mean(right))
        res['groups'] = len(right)
    return res


def confusion_png(cm, path, title):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    cm = np.asarray(cm)
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    ax.imshow(norm, cmap='Blues', vmin=0, vmax=1)
    ax.set_xticks(range(len(CLASSES)))
    ax.set_xticklabels(CLASSES, rotation=60, ha='right')
    ax.set_yticks(range(len(CLASSES)))
    ax.set_yticklabels(CLASSES)
    for i in range(len(CLASSES)):
        for j in range(len(CLASSES)):
            if cm[i, j]:
                ax.text(j, i, str(int(cm[i, j])), ha='center', va='center',
                        color='white' if norm[i, j] > 0.5 else 'black', fontsize=8)
    ax.set_xlabel('predicted')
    ax.set_ylabel('true')
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def window_curve_png(rows, path):
    """rows: [(window_ms, accuracy, min class accuracy)], plus the full-clip classifier's as ms=None."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    pts = [r for r in rows if r[0] is not None]
    ax.plot([r[0] for r in pts], [100 * r[1] for r in pts], 'o-', label='top-1 (all sounds)')
    ax.plot([r[0] for r in pts], [100 * r[2] for r in pts], 's--', label='worst class')
    full = [r for r in rows if r[0] is None]
    if full:
        ax.axhline(100 * full[0][1], color='gray', ls=':', label='full clip (341 ms) top-1')
    ax.set_xscale('log')
    ax.set_xticks([r[0] for r in pts])
    ax.set_xticklabels([str(r[0]) for r in pts])
    ax.set_xlabel('window after the onset (ms)')
    ax.set_ylabel('leave-one-source-out accuracy (%)')
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc='lower right', fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# ------------------------------------------------------------------------------ phase and sound
def istft(spec):
    """spec (B, bins, frames) complex -> (B, CLIP_SAMPLES): least-squares inverse of torch_mag's
    framing (window-squared overlap-add normalisation), as Java's BatchStft."""
    b, _, t = spec.shape
    frames = torch.fft.irfft(spec.transpose(1, 2), n=F.N_FFT, dim=2) * N.WINDOW
    total = (t - 1) * F.HOP + F.N_FFT
    out = torch.zeros(b, total, dtype=frames.dtype)
    norm = torch.zeros(total, dtype=frames.dtype)
    w2 = N.WINDOW ** 2
    for i in range(t):
        out[:, i * F.HOP:i * F.HOP + F.N_FFT] += frames[:, i]
        norm[i * F.HOP:i * F.HOP + F.N_FFT] += w2
    out = out / norm.clamp_min(1e-8)
    return out[:, F.N_FFT // 2:F.N_FFT // 2 + F.CLIP_SAMPLES]


def stft(x):
    pad = torch.nn.functional.pad(x, (F.N_FFT // 2, F.N_FFT // 2))
    fr = pad.unfold(1, F.N_FFT, F.HOP)[:, :F.FRAMES, :] * N.WINDOW
    return torch.fft.rfft(fr, dim=2).transpose(1, 2)


def griffin_lim(mag, iterations=32, momentum=0.99):
    """Fast Griffin-Lim (Perraudin et al. 2013) from the phase-vocoder start, as Java's
    PhaseReconstructor.fastGriffinLim: mag (B, bins, frames) linear -> waveform (B, CLIP_SAMPLES)."""
    bins, frames = mag.shape[1], mag.shape[2]
    k = torch.arange(bins, dtype=torch.float64)[:, None]
    t = torch.arange(frames, dtype=torch.float64)[None, :]
    phase = 2 * np.pi * torch.remainder(k * F.HOP * t, F.N_FFT) / F.N_FFT
    angle = torch.polar(torch.ones_like(phase), phase).to(torch.complex64).expand(mag.shape[0], -1, -1)
    prev = torch.zeros_like(angle)
    m = momentum / (1 + momentum)
    with torch.no_grad():
        for _ in range(iterations):
            x = istft(mag * angle)
            rebuilt = stft(x)
            u = rebuilt - m * prev
            prev = rebuilt
            angle = u / (u.abs() + 1e-16)
        return istft(mag * angle)


def finish(x):
    """What Java's DrumVae writes: peak-normalised to 0.9, then the last FADE_SAMPLES multiplied by
    the square of the clip preparation's half-Hann fade-out, so a file ends in silence."""
    x = np.asarray(x, dtype=np.float64)
    x = x * (0.9 / max(np.max(np.abs(x)), 1e-12))
    x[-F.FADE_SAMPLES:] *= F.fade().astype(np.float64) ** 2
    return x.astype(np.float32)


def envelope_db(x, win=240):
    """5 ms RMS envelope in dB relative to its maximum."""
    e = np.sqrt(np.convolve(np.asarray(x, np.float64) ** 2, np.ones(win) / win, 'same') + 1e-30)
    return 20 * np.log10(e / e.max())


def shape_stats(x):
    """Generation statistics of one sound (48 kHz): peak sample time (ms from the start), whether the
    5 ms envelope falls 40 dB below its peak before the final fade begins (the sound's own decay, not
    the fade's), and the level of the last 5 ms in dB relative to the peak sample."""
    x = np.asarray(x, np.float64)
    peak = float(np.max(np.abs(x)))
    pk = int(np.argmax(np.abs(x)))
    e = envelope_db(x)
    epk = int(np.argmax(e))
    fall = bool(np.any(e[epk:FADE_START] < -40.0))
    end = 20 * np.log10(np.sqrt(np.mean(x[-240:] ** 2)) / peak + 1e-30)
    last = 20 * np.log10(abs(x[-1]) / peak + 1e-30)
    return dict(peak_ms=pk / 48.0, falls_40db=fall, end_db=float(end), last_sample_db=float(last))


def summarise_shapes(stats):
    pk = np.array([s['peak_ms'] for s in stats])
    fall = np.array([s['falls_40db'] for s in stats])
    end = np.array([s['end_db'] for s in stats])
    both = (pk <= 10.0) & fall
    return dict(n=len(stats), peak_within_10ms=float(np.mean(pk <= 10.0)), falls_40db=float(np.mean(fall)),
                both=float(np.mean(both)), peak_ms_p50=float(np.median(pk)), peak_ms_p90=float(np.percentile(pk, 90)),
                end_db_max=float(end.max()), ends_60db_down=float(np.mean(end <= -60.0)))


def log_spectral_distance(ref_mag, mag, floor_db=80.0):
    """Per sound: RMS over bins and frames of the dB difference of two magnitude spectrograms, each
    floored at floor_db below the reference's loudest bin (so silence in either counts only down to
    that floor, and a short sound ending in digital silence gains nothing from it)."""
    ref = np.asarray(ref_mag, np.float64)
    x = np.asarray(mag, np.float64)
    out = []
    for r, y in zip(ref, x):
        fl = r.max() * 10 ** (-floor_db / 20)
        d = 20 * np.log10(np.maximum(r, fl)) - 20 * np.log10(np.maximum(y, fl))
        out.append(float(np.sqrt(np.mean(d ** 2))))
    return np.array(out)


def waveforms_png(waves, path, title):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(4, 4, figsize=(12, 7), sharex=True, sharey=True)
    t = np.arange(F.CLIP_SAMPLES) / F.SR * 1000
    for ax, (w, label) in zip(axes.ravel(), waves):
        ax.plot(t, w, lw=0.4)
        ax.set_title(label, fontsize=8)
        ax.set_ylim(-1, 1)
        ax.axvline(10, color='red', lw=0.5, ls=':')
    for ax in axes[-1]:
        ax.set_xlabel('ms')
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


# ------------------------------------------------------------------------------------ VAE reports
GL_ITERATIONS = 32


def decode_waves(dec, z):
    with torch.no_grad():
        rec = dec(torch.from_numpy(np.asarray(z, np.float32)))
        mag = (torch.exp(rec) - F.LOG_FLOOR).clamp_min(0)
        waves = []
        for i in range(0, len(mag), 16):
            waves.append(griffin_lim(mag[i:i + 16], GL_ITERATIONS))
        return torch.cat(waves).numpy(), mag.numpy()


def classify_waves(model, waves):
    clips = [F.prepare_clip(w) for w in waves]
    with torch.no_grad():
        lm = N.torch_logmel(N.torch_mag(torch.from_numpy(np.stack(clips))))
        return model(lm).numpy().argmax(1)


def round_trip(enc, dec, classifier, items, test_idx, log=None):
    """Held-out sounds through a VAE that never saw their sources: encode (latent mean), decode,
    phase (fast Griffin-Lim x32), then the full classifier on the result. 'keeps class' compares with
    the true label; 'keeps prediction' with the classifier's answer on the input itself."""
    clips = np.stack([items[i]['clip'] for i in test_idx])
    labels = np.array([items[i]['label'] for i in test_idx])
    with torch.no_grad():
        mu, _ = enc(N.torch_logmel(N.torch_mag(torch.from_numpy(clips))))
    waves, mag = decode_waves(dec, mu.numpy())
    p_in = classify_waves(classifier, list(clips))
    p_out = classify_waves(classifier, list(waves))
    ref = N.torch_mag(torch.from_numpy(clips)).numpy()
    wav_mag = N.torch_mag(torch.from_numpy(waves)).numpy()
    lsd_dec = log_spectral_distance(ref, mag)
    lsd_wav = log_spectral_distance(ref, wav_mag)
    cm = np.zeros((N.N_CLASSES, N.N_CLASSES), dtype=int)
    for t, p in zip(labels, p_out):
        cm[t, p] += 1
    res = dict(n=len(test_idx), keeps_class=float(np.mean(p_out == labels)),
               keeps_prediction=float(np.mean(p_out == p_in)), input_right=float(np.mean(p_in == labels)),
               per_class={CLASSES[c]: [int(np.sum((p_out == labels)[labels == c])), int(np.sum(labels == c))]
                          for c in range(N.N_CLASSES)},
               confusion=cm.tolist(), lsd_decoded_db=float(lsd_dec.mean()), lsd_waveform_db=float(lsd_wav.mean()),
               lsd_floor_db=80.0)
    if log:
        log('VAE round trip on %d held-out sounds: keeps class %.3f (prediction %.3f; input right %.3f), LSD %.2f dB '
            'decoded, %.2f dB waveform' % (res['n'], res['keeps_class'], res['keeps_prediction'], res['input_right'],
                                          res['lsd_decoded_db'], res['lsd_waveform_db']))
    return res


def generation(dec, prior, out_dir, fig_dir, log=None, seeds=100):
    """Random generations, seed s drawing from numpy's default_rng(s): the shipped mixture prior and,
    for comparison, the standard normal the 1.x models sampled; statistics of each and a picture of the
    first 16 of the mixture's. Also checks that the same seed gives identical samples."""
    import fitting as T
    res = {}
    for name in ('mixture', 'standard_normal'):
        zs, ks = [], []
        for s in range(seeds):
            rng = np.random.default_rng(s)
            if name == 'mixture':
                z, k = T.sample_prior(prior, rng, 1)
                ks.append(CLASSES[prior['components'][k[0]]['label']])
            else:
                z = rng.standard_normal((1, N.LATENT)).astype(np.float32)
            zs.append(z[0])
        waves, _ = decode_waves(dec, np.stack(zs))
        finished = [finish(w) for w in waves]
        stats = [shape_stats(w) for w in finished]
        res[name] = summarise_shapes(stats)
        if name == 'mixture':
            per = {}
            for k, st in zip(ks, stats):
                p = per.setdefault(k, [0, 0, 0])
                p[0] += 1
                p[1] += int(st['peak_ms'] <= 10.0)
                p[2] += int(st['falls_40db'])
            res[name]['per_component'] = per
            waveforms_png([(finished[i], 'seed %d (%s)' % (i, ks[i])) for i in range(16)],
                          os.path.join(fig_dir, 'vae_generations.png'),
                          '16 random generations (mixture prior, seeds 0-15), fast Griffin-Lim x32')
        if log:
            log('generation (%s prior, %d seeds): %s' % (name, seeds, json.dumps(res[name])))
    a = T.sample_prior(prior, np.random.default_rng(3), 1)[0]
    b = T.sample_prior(prior, np.random.default_rng(3), 1)[0]
    res['same_seed_identical'] = bool(np.array_equal(a, b))
    return res
