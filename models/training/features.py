"""The one definition of latentkit's model features, in numpy. Java's io.latentkit.core.dsp and
io.latentkit.models.ClipPreparer mirror it exactly; the fixture test holds them together.

Clip: mono float at 48 kHz. Start = first sample whose |x| reaches ONSET_FRACTION of the peak, minus
PREROLL samples (clamped at 0). Take CLIP_SAMPLES from there (zero-pad), divide by the clip's peak,
multiply the last FADE_SAMPLES by a half-Hann fade-out.
STFT: periodic Hann window of N_FFT, hop HOP, frame t centred on sample t*HOP (N_FFT/2 zeros padded
on both sides), FRAMES frames, magnitude |X|.
Mel: N_MELS triangular filters, HTK mel scale, edges equally spaced in mel from 0 Hz to SR/2, each
filter scaled by 2/(f_hi - f_lo) (Slaney area normalisation), applied to the magnitude.
Log: ln(value + LOG_FLOOR) for both the log-mel and the linear log-magnitude.
"""
import numpy as np

SR = 48000
N_FFT = 1024
HOP = 256
FRAMES = 128
CLIP_SAMPLES = FRAMES * HOP  # 32768, 0.683 s
N_BINS = N_FFT // 2 + 1
N_MELS = 64
LOG_FLOOR = 1e-5
ONSET_FRACTION = 0.05
PREROLL = 64
FADE_SAMPLES = 2048
SILENCE_PEAK = 1e-4


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank():
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2.0), N_MELS + 2))
    freqs = np.arange(N_BINS, dtype=np.float64) * SR / N_FFT
    fb = np.zeros((N_MELS, N_BINS), dtype=np.float64)
    for m in range(N_MELS):
        lo, c, hi = edges[m], edges[m + 1], edges[m + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        fb[m] = np.maximum(0.0, np.minimum(up, down)) * (2.0 / (hi - lo))
    return fb.astype(np.float32)


def hann():
    n = np.arange(N_FFT, dtype=np.float64)
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * n / N_FFT)).astype(np.float32)


def fade():
    n = np.arange(FADE_SAMPLES, dtype=np.float64)
    return (0.5 + 0.5 * np.cos(np.pi * n / FADE_SAMPLES)).astype(np.float32)


def prepare_clip(x):
    """Returns the prepared clip (float32, CLIP_SAMPLES) or None if the sound is silent."""
    x = np.asarray(x, dtype=np.float32)
    if x.size == 0:
        return None
    peak = float(np.max(np.abs(x)))
    if peak < SILENCE_PEAK:
        return None
    first = int(np.argmax(np.abs(x) >= ONSET_FRACTION * peak))
    start = max(0, first - PREROLL)
    clip = np.zeros(CLIP_SAMPLES, dtype=np.float32)
    seg = x[start:start + CLIP_SAMPLES]
    clip[:seg.size] = seg
    clip /= np.float32(np.max(np.abs(clip)))
    clip[-FADE_SAMPLES:] *= fade()
    return clip


def prepare_window(x, window):
    """The short-window classifier's clip: what listen mode has `window` samples after an onset.
    x holds the samples up to that point (from some time before the onset). Start = first sample
    reaching ONSET_FRACTION of x's peak, minus PREROLL (clamped at 0); take PREROLL + window samples
    from there (zero-pad), divide by their peak; no fade. Returns None if silent."""
    x = np.asarray(x, dtype=np.float32)
    if x.size == 0:
        return None
    peak = float(np.max(np.abs(x)))
    if peak < SILENCE_PEAK:
        return None
    first = int(np.argmax(np.abs(x) >= ONSET_FRACTION * peak))
    start = max(0, first - PREROLL)
    clip = np.zeros(CLIP_SAMPLES, dtype=np.float32)
    seg = x[start:start + PREROLL + window]
    clip[:seg.size] = seg
    clip /= np.float32(np.max(np.abs(clip)))
    return clip


def window_frames(window):
    """Frames of the STFT that see any of a prepare_window clip: frame t covers samples
    [t*HOP - N_FFT/2, t*HOP + N_FFT/2)."""
    return (PREROLL + window + N_FFT // 2 - 1) // HOP + 1


def stft_mag(clip):
    """|STFT| as (N_BINS, FRAMES) float32."""
    pad = np.zeros(CLIP_SAMPLES + N_FFT, dtype=np.float32)
    pad[N_FFT // 2:N_FFT // 2 + CLIP_SAMPLES] = clip
    w = hann()
    frames = np.stack([pad[t * HOP:t * HOP + N_FFT] * w for t in range(FRAMES)])
    return np.abs(np.fft.rfft(frames.astype(np.float64), axis=1)).T.astype(np.float32)


def log_mel(mag):
    return np.log(mel_filterbank().astype(np.float64) @ mag.astype(np.float64) + LOG_FLOOR).astype(np.float32)


def log_mag(mag):
    return np.log(mag.astype(np.float64) + LOG_FLOOR).astype(np.float32)
