"""Export: ONNX files with the metadata Java checks (io.latentkit.models.FeatureSpec and the
classes reading classifier_frames, window_samples and latent_prior)."""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as F  # noqa: E402
import networks as N  # noqa: E402

RES = os.path.join(HERE, '..', 'src', 'main', 'resources', 'io', 'latentkit', 'models')
CLASSES = ['kick', 'snare', 'rim', 'clap', 'hihat_closed', 'hihat_open', 'tom', 'crash', 'ride', 'perc']
VERSION = '2.0.0'


def meta(kind, digest, extra=None):
    m = dict(kind=kind, labels=','.join(CLASSES), sample_rate=str(F.SR), n_fft=str(F.N_FFT), hop=str(F.HOP),
             mel_bands=str(F.N_MELS), clip_frames=str(F.FRAMES), clip_samples=str(F.CLIP_SAMPLES),
             latent_size=str(N.LATENT), training_data_digest=digest, version=VERSION,
             log_floor=repr(F.LOG_FLOOR), mel_scale='htk', mel_norm='slaney', window='hann_periodic',
             onset_fraction=repr(F.ONSET_FRACTION), preroll=str(F.PREROLL), fade_samples=str(F.FADE_SAMPLES))
    if extra:
        m.update(extra)
    return m


def export(module, inputs, names_in, names_out, path, metadata):
    import onnx
    tmp = path + '.tmp'
    torch.onnx.export(module, inputs, tmp, input_names=names_in, output_names=names_out, opset_version=13,
                      dynamic_axes={n: {0: 'batch'} for n in names_in + names_out}, do_constant_folding=True)
    model = onnx.load(tmp)
    for k, v in metadata.items():
        p = model.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, tmp)
    os.replace(tmp, path)


class EncoderExport(nn.Module):
    def __init__(self, e):
        super().__init__()
        self.e = e

    def forward(self, logmel):
        mu, logvar = self.e(logmel)
        return mu, logvar


def prior_json(prior):
    """The latent prior as the decoder's latent_prior metadata: a Gaussian mixture, each component a
    weight, a class label, a mean and the rows of the lower-triangular Cholesky factor of its
    covariance (row i holds i + 1 numbers)."""
    comps = []
    for w, c in zip(prior['weights'], prior['components']):
        comps.append(dict(weight=round(float(w), 8), label=CLASSES[c['label']],
                          mean=[round(float(v), 6) for v in c['mean']],
                          chol=[[round(float(v), 6) for v in c['chol'][i, :i + 1]] for i in range(N.LATENT)]))
    return json.dumps(dict(kind='gaussian_mixture', dim=N.LATENT, components=comps), separators=(',', ':'))


def export_classifier(model, path, digest, frames, kind='classifier', window=None, extra=None):
    lm = torch.zeros(1, F.N_MELS, F.FRAMES)
    m = {'classifier_frames': str(frames)}
    if window is not None:
        m['window_samples'] = str(window)
    if extra:
        m.update(extra)
    export(model, (lm,), ['logmel'], ['probs'], path, meta(kind, digest, m))


def export_vae(enc, dec, prior, digest, res=RES, extra=None):
    lm = torch.zeros(1, F.N_MELS, F.FRAMES)
    export(EncoderExport(enc), (lm,), ['logmel'], ['mu', 'logvar'], os.path.join(res, 'vae_encoder.onnx'),
           meta('vae_encoder', digest, extra))
    m = dict(extra or {})
    m['latent_prior'] = prior_json(prior)
    export(dec, (torch.zeros(1, N.LATENT),), ['z'], ['logmag'], os.path.join(res, 'vae_decoder.onnx'),
           meta('vae_decoder', digest, m))


def check_onnx(path, module, inputs):
    """ONNX Runtime is not installed for Python here; the check is onnx's own reference evaluator
    where available, else only the checker (Java's tests run the files through ONNX Runtime)."""
    import onnx
    model = onnx.load(path)
    onnx.checker.check_model(model)
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        return None
    sess = ReferenceEvaluator(model)
    feeds = {i.name: np.asarray(x, dtype=np.float32) for i, x in zip(model.graph.input, inputs)}
    got = sess.run(None, feeds)
    with torch.no_grad():
        want = module(*[torch.from_numpy(np.asarray(x, dtype=np.float32)) for x in inputs])
    want = want if isinstance(want, (tuple, list)) else (want,)
    return max(float(np.max(np.abs(g - w.numpy()))) for g, w in zip(got, want))
