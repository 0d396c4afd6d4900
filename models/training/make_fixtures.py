#!/usr/bin/python3
"""Writes the small shared fixtures that hold Java's features to this Python reference.

core/src/test/resources/io/latentkit/core/dsp/: clip_*.wav (16-bit, 48 kHz, exactly one clip
long) and clip_*.logmel.f32 (little-endian float32, band-major 64 x 128), computed from the decoded
16-bit samples without clip preparation.
models/src/test/resources/io/latentkit/models/: hit_*.wav (raw hits, 16-bit 48 kHz) with
hit_*.logmel.f32 computed after features.prepare_clip, and a short recording of hits at known
onsets (recording.wav, recording.onsets.txt) for onset segmentation.
Also three toms with their pitch (tom_*.wav, toms.pitch.txt) and a short-window log-mel.
Run: /usr/bin/python3 models/training/make_fixtures.py  (--bad-only: only the bad/ models;
--extra-only: those and the toms and short-window fixtures, leaving the others as they are)
"""
import os
import sys
import wave

import numpy as np
import scipy.signal
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402

ROOT = '/usr/share/hydrogen/data/drumkits'
ENGINE = os.path.join(HERE, '..', '..', 'core', 'src', 'test', 'resources', 'io', 'latentkit', 'core', 'dsp')
MODELS = os.path.join(HERE, '..', 'src', 'test', 'resources', 'io', 'latentkit', 'models')
SOURCES = {
    'kick': ('ForzeeStereo', 'Kick-3.wav'),
    'snare': ('The Black Pearl 1.0', 'PearlSnare-Med.wav'),
    'hihat_closed': ('Millo_MultiLayered2', 'hhclosed_03.flac'),
    'crash': ('The Black Pearl 1.0', 'SabianCrash-Med.wav'),
}


def read48(path):
    x, sr = soundfile.read(path, dtype='float32', always_2d=True)
    x = x.mean(axis=1)
    if sr != F.SR:
        g = np.gcd(sr, F.SR)
        x = scipy.signal.resample_poly(x, F.SR // g, sr // g).astype(np.float32)
    return x


def to16(x):
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype('<i2')


def write_wav(path, pcm16):
    with wave.open(path, 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(F.SR)
        w.writeframes(pcm16.tobytes())


def decoded(pcm16):
    return pcm16.astype(np.float32) / 32768.0


LABELS10 = 'kick,snare,rim,clap,hihat_closed,hihat_open,tom,crash,ride,perc'
LABELS12 = 'kick,snare,rim,clap,hihat_closed,hihat_open,tom_low,tom_mid,tom_high,crash,ride,perc'


def tiny_model(path, kind, hop, nan, labels=LABELS10):
    """A tiny ONNX 'classifier' (logmel -> one output per label) with chosen metadata, for refusal tests."""
    n = len(labels.split(','))
    import onnx
    from onnx import helper, TensorProto
    inp = helper.make_tensor_value_info('logmel', TensorProto.FLOAT, ['batch', F.N_MELS, F.FRAMES])
    out = helper.make_tensor_value_info('probs', TensorProto.FLOAT, ['batch', n])
    w = helper.make_tensor('w', TensorProto.FLOAT, [F.FRAMES, n], [0.0] * (F.FRAMES * n))
    nodes = [helper.make_node('ReduceMean', ['logmel'], ['m'], axes=[1], keepdims=0),
             helper.make_node('MatMul', ['m', 'w'], ['z'])]
    if nan:
        neg = helper.make_tensor('neg', TensorProto.FLOAT, [], [-1.0])
        nodes += [helper.make_node('Add', ['z', 'neg'], ['zn']), helper.make_node('Log', ['zn'], ['probs'])]
        inits = [w, neg]
    else:
        nodes += [helper.make_node('Softmax', ['z'], ['probs'], axis=1)]
        inits = [w]
    g = helper.make_graph(nodes, 'tiny', [inp], [out], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])
    m.ir_version = 7
    meta = dict(kind=kind, labels=labels,
                sample_rate='48000', n_fft='1024', hop=str(hop), mel_bands='64', clip_frames='128',
                clip_samples=str(128 * hop), latent_size='64', training_data_digest='test', version='test',
                log_floor='1e-05', mel_scale='htk', mel_norm='slaney', window='hann_periodic',
                onset_fraction='0.05', preroll='64', fade_samples='2048')
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)


def bad_models():
    d = os.path.join(MODELS, 'bad')
    os.makedirs(d, exist_ok=True)
    tiny_model(os.path.join(d, 'mismatched_hop.onnx'), 'classifier', 512, False)
    tiny_model(os.path.join(d, 'nan_output.onnx'), 'classifier', 256, True)
    tiny_model(os.path.join(d, 'twelve_classes.onnx'), 'classifier', 256, False, LABELS12)
    with open(os.path.join(d, 'corrupt.onnx'), 'wb') as fh:
        fh.write(b'this is not an ONNX model\n' * 8)


TOMS = [('tom_low', 'tom-low-1.flac'), ('tom_mid', 'tom-mid-1.flac'), ('tom_high', 'tom-hi-1.flac')]
WINDOW = 480


def extra_fixtures():
    """Three toms of one kit (ColomboAcousticDrumkit) with tom_pitch.pitch_hz of each
    (toms.pitch.txt), and the short-window log-mel of the snare hit (hit_snare.window480.logmel.f32:
    features.prepare_window of the samples up to WINDOW after the onset)."""
    import tom_pitch
    lines = []
    for name, f in TOMS:
        x = read48(os.path.join(ROOT, 'ColomboAcousticDrumkit', f))
        x = x / max(1e-9, float(np.max(np.abs(x)))) * 0.8
        pcm = to16(x[:int(0.4 * F.SR)])
        write_wav(os.path.join(MODELS, name + '.wav'), pcm)
        lines.append('%s.wav %.6f\n' % (name, tom_pitch.pitch_hz(decoded(pcm))))
    with open(os.path.join(MODELS, 'toms.pitch.txt'), 'w') as fh:
        fh.writelines(lines)
    hit = decoded(read_wav16(os.path.join(MODELS, 'hit_snare.wav')))
    first = int(np.argmax(np.abs(hit) >= F.ONSET_FRACTION * np.max(np.abs(hit))))
    clip = F.prepare_window(hit[:first + WINDOW], WINDOW)
    F.log_mel(F.stft_mag(clip)).astype('<f4').tofile(os.path.join(MODELS, 'hit_snare.window480.logmel.f32'))


def read_wav16(path):
    with wave.open(path, 'rb') as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype='<i2')


def main():
    os.makedirs(ENGINE, exist_ok=True)
    os.makedirs(MODELS, exist_ok=True)
    hits = {}
    for name, (kit, f) in SOURCES.items():
        x = read48(os.path.join(ROOT, kit, f))
        x = x / max(1e-9, float(np.max(np.abs(x)))) * 0.8
        hit = to16(x[:int(0.8 * F.SR)])
        hits[name] = hit
        write_wav(os.path.join(MODELS, 'hit_%s.wav' % name), hit)
        lm = F.log_mel(F.stft_mag(F.prepare_clip(decoded(hit))))
        lm.astype('<f4').tofile(os.path.join(MODELS, 'hit_%s.logmel.f32' % name))
    for name in ('kick', 'hihat_closed', 'crash'):
        clip = F.prepare_clip(decoded(hits[name])) * 0.9
        pcm = to16(clip)
        write_wav(os.path.join(ENGINE, 'clip_%s.wav' % name), pcm)
        F.log_mel(F.stft_mag(decoded(pcm))).astype('<f4').tofile(
            os.path.join(ENGINE, 'clip_%s.logmel.f32' % name))
    # a 2.5 s recording: kick, hat, snare, hat, kick at known positions over low noise
    rng = np.random.default_rng(7)
    rec = (rng.standard_normal(int(2.5 * F.SR)) * 1e-4).astype(np.float32)
    order = [('kick', 0.10), ('hihat_closed', 0.55), ('snare', 0.90), ('hihat_closed', 1.40), ('kick', 1.80)]
    onsets = []
    for name, t in order:
        h = decoded(hits[name])[:int(0.45 * F.SR)]
        first = int(np.argmax(np.abs(h) >= 0.05 * np.max(np.abs(h))))
        s = int(t * F.SR)
        rec[s:s + h.size] += h * 0.7
        onsets.append((s + first, name))
    write_wav(os.path.join(MODELS, 'recording.wav'), to16(rec))
    with open(os.path.join(MODELS, 'recording.onsets.txt'), 'w') as fh:
        for s, name in onsets:
            fh.write('%d %s\n' % (s, name))
    bad_models()
    extra_fixtures()
    print('fixtures written')


if __name__ == '__main__':
    if sys.argv[1:] == ['--bad-only']:
        bad_models()
    elif sys.argv[1:] == ['--extra-only']:
        bad_models()
        extra_fixtures()
    else:
        main()
