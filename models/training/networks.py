"""Networks: torch features identical to features.py, the classifiers (full clip and short window)
and the VAE. Everything that runs in Java is inside these modules' forward(), so the ONNX graphs
take the same log-mel input Java computes.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as Fn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402

N_CLASSES = 10
LATENT = 64
WINDOW = torch.from_numpy(F.hann())
MEL = torch.from_numpy(F.mel_filterbank())


def torch_mag(clips, frames=F.FRAMES):
    """clips (B, CLIP_SAMPLES) -> |STFT| (B, BINS, frames), the framing of features.stft_mag."""
    need = (frames - 1) * F.HOP + F.N_FFT // 2
    pad = Fn.pad(clips[:, :need], (F.N_FFT // 2, F.N_FFT // 2 + max(0, need - clips.shape[1])))
    fr = pad.unfold(1, F.N_FFT, F.HOP)[:, :frames, :] * WINDOW
    return torch.fft.rfft(fr, dim=2).abs().transpose(1, 2)


def torch_logmel(mag):
    return torch.log(torch.matmul(MEL, mag) + F.LOG_FLOOR)


class Cnn(nn.Module):
    """2-D CNN on the first `frames` frames of the log-mel (the crop is in the graph): the clip's
    maximum is subtracted (level normalisation), then standardised, conv3x3-BN-ReLU blocks with
    max-pooling where the time axis allows, mean+max pooling over time (keep_freq) or over time and
    frequency, dropout, linear."""

    def __init__(self, mean, std, chans=(8, 16, 32, 48), frames=64, drop=0.3, keep_freq=False):
        super().__init__()
        self.keep_freq = keep_freq
        self.register_buffer('mean', torch.tensor(float(mean)))
        self.register_buffer('std', torch.tensor(float(std)))
        self.frames = frames
        layers, c, t = [], 1, frames
        for o in chans:
            pool = (2, 2) if t >= 4 else (2, 1)
            t = t // 2 if t >= 4 else t
            layers += [nn.Conv2d(c, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(pool)]
            c = o
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(drop)
        bands = F.N_MELS >> len(chans)
        self.fc = nn.Linear(2 * c * (bands if keep_freq else 1), N_CLASSES)

    def forward(self, logmel):
        x = logmel[:, :, :self.frames]
        x = x - x.amax(dim=(1, 2), keepdim=True)
        x = ((x - self.mean) / self.std).unsqueeze(1)
        x = self.features(x)
        if self.keep_freq:
            # pooled over time only: where in frequency a pattern lies tells a kick from a tom
            x = torch.cat([x.mean(dim=3), x.amax(dim=3)], dim=1).flatten(1)
        else:
            x = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.fc(self.drop(x))


def stat_windows(frames):
    w = [(a, b) for a, b in [(0, 2), (2, 6), (6, 14), (14, 30), (30, 62), (62, 128)] if b <= frames]
    if not w:
        return [(0, frames)]
    if w[-1][1] < frames:
        w.append((w[-1][1], frames))
    return w


def hit_statistics(logmel, frames):
    """Level-free summary of the first `frames` frames: per-band means over time windows (raw and
    with each window's band mean removed), per-band max and deviation, and the band-averaged
    envelope relative to its peak."""
    x = logmel[:, :, :frames]
    x = x - x.amax(dim=(1, 2), keepdim=True)
    wm = [x[:, :, a:b].mean(dim=2) for a, b in stat_windows(frames)]
    shape = [w - w.mean(dim=1, keepdim=True) for w in wm]
    mean = x.mean(dim=2, keepdim=True)
    std = torch.sqrt(((x - mean) ** 2).mean(dim=2) + 1e-6)
    env = x.mean(dim=1)
    pool = 4 if frames >= 16 else 1
    env = Fn.avg_pool1d(env.unsqueeze(1), pool).squeeze(1)
    rel = env - env.amax(dim=1, keepdim=True)
    return torch.cat(wm + shape + [x.amax(dim=2), std, rel], dim=1)


def stat_dim(frames):
    pool = 4 if frames >= 16 else 1
    return len(stat_windows(frames)) * F.N_MELS * 2 + F.N_MELS * 2 + frames // pool


class StatsMlp(nn.Module):
    def __init__(self, fmean, fstd, frames, hidden=64, drop=0.5):
        super().__init__()
        self.register_buffer('fmean', torch.as_tensor(fmean, dtype=torch.float32))
        self.register_buffer('fstd', torch.as_tensor(fstd, dtype=torch.float32))
        self.frames = frames
        self.net = nn.Sequential(nn.Dropout(0.1), nn.Linear(stat_dim(frames), hidden), nn.ReLU(), nn.Dropout(drop),
                                 nn.Linear(hidden, N_CLASSES))

    def logits_from_stats(self, s):
        return self.net((s - self.fmean) / self.fstd)

    def forward(self, logmel):
        return self.logits_from_stats(hit_statistics(logmel, self.frames))


class Ensemble(nn.Module):
    """Mean of the members' softmax outputs: (B, 64, 128) log-mel -> (B, 10) probabilities."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, logmel):
        return torch.stack([torch.softmax(m(logmel), dim=1) for m in self.members]).mean(dim=0)


# ------------------------------------------------------------------------------------------- VAE
class Encoder(nn.Module):
    def __init__(self, mean, std, c=128):
        super().__init__()
        self.register_buffer('mean', torch.tensor(float(mean)))
        self.register_buffer('std', torch.tensor(float(std)))
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
    """Latent -> log-magnitude (B, 513, 128)."""

    def __init__(self, bin_mean, c=128):
        super().__init__()
        self.c = c
        self.fc = nn.Linear(LATENT, c * 16)
        self.net = nn.Sequential(
            nn.LeakyReLU(0.2),
            nn.ConvTranspose1d(c, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.ConvTranspose1d(c, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.ConvTranspose1d(c, c, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv1d(c, F.N_BINS, 1))
        with torch.no_grad():
            self.net[-1].bias.copy_(torch.as_tensor(np.asarray(bin_mean), dtype=torch.float32))

    def forward(self, z):
        return self.net(self.fc(z).view(-1, self.c, 16))
