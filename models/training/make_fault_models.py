#!/usr/bin/python3
"""Writes the VAE decoders that misbehave on purpose, for the model-failure tests of issue 20.

Written to test-support's resources (io/latentkit/testsupport/faultmodels/), where the models and
server tests both find them on the classpath. Each carries the shipped decoder's metadata (kind,
feature spec, training digest, version, prior), so it passes every metadata check and fails only in
the way it is made to:
  wrong_input_shape_decoder.onnx  takes a 16-number point where this build feeds 64
  nan_decoder.onnx                log-magnitudes sqrt(z[0] + 1) / 2 - 3: finite for z[0] >= -1
                                  (the load probe decodes z = 0), NaN everywhere for z[0] < -1
  slow_decoder.onnx               the same finite sound as nan_decoder for every point, after
                                  eight 256x2048x2048 matrix products (8.6e9 multiply-adds)
and the classifiers that turn NaN on bright hits, with the shipped classifiers' metadata:
  nan_classifier.onnx             fixed probabilities, NaN where the log-mel input is a real clip
  nan_classifier_short.onnx       (its minimum below -5: not the warm-up's zeros) whose top 16 mel
                                  bands reach above -2.5: a noise burst or a hi-hat (about -1.4),
                                  not the load probe's decoded origin (-3.6) nor a low thump (-4.3)
  kick_classifier.onnx            a finite classifier of another opinion: every clip is a kick
  kick_classifier_short.onnx      with probability 0.91 (the other nine share 0.09)
Run: /usr/bin/python3 models/training/make_fault_models.py
"""
import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, '..', 'src', 'main', 'resources', 'io', 'latentkit', 'models', 'vae_decoder.onnx')
OUT = os.path.join(HERE, '..', '..', 'test-support', 'src', 'main', 'resources', 'io', 'latentkit', 'testsupport',
                   'faultmodels')
BINS, FRAMES, LATENT = 513, 128, 64
MELS, CLIP_FRAMES = 64, 128


def const(name, dims, values, dtype=TensorProto.FLOAT):
    return helper.make_tensor(name, dtype, dims, values)


def sound_nodes(first):
    """z[:, 0:1] -> sqrt(. + 1) / 2 - 3, broadcast to [1, BINS, FRAMES] as 'logmag'."""
    nodes = [
        helper.make_node('Slice', [first, 'zero_i', 'one_i', 'one_i'], ['z0']),
        helper.make_node('Add', ['z0', 'one_f'], ['z1']),
        helper.make_node('Sqrt', ['z1'], ['r']),
        helper.make_node('Mul', ['r', 'half_f'], ['h']),
        helper.make_node('Add', ['h', 'minus3_f'], ['v']),
        helper.make_node('Reshape', ['v', 'shape3'], ['v3']),
        helper.make_node('Expand', ['v3', 'outshape'], ['logmag']),
    ]
    inits = [
        const('zero_i', [1], [0], TensorProto.INT64), const('one_i', [1], [1], TensorProto.INT64),
        const('one_f', [], [1.0]), const('half_f', [], [0.5]), const('minus3_f', [], [-3.0]),
        const('shape3', [3], [1, 1, 1], TensorProto.INT64),
        const('outshape', [3], [1, BINS, FRAMES], TensorProto.INT64),
    ]
    return nodes, inits


def save(path, nodes, inits, latent):
    inp = helper.make_tensor_value_info('z', TensorProto.FLOAT, [1, latent])
    out = helper.make_tensor_value_info('logmag', TensorProto.FLOAT, [1, BINS, FRAMES])
    m = helper.make_model(helper.make_graph(nodes, 'fault', [inp], [out], inits),
                          opset_imports=[helper.make_opsetid('', 13)])
    m.ir_version = 7
    for p in onnx.load(SHIPPED).metadata_props:
        q = m.metadata_props.add()
        q.key, q.value = p.key, p.value
    onnx.checker.check_model(m)
    onnx.save(m, path)


def save_classifier(path, shipped_name, bright=-2.5, first=0.3):
    """A [1, 64, 128] log-mel -> [1, 10] classifier: fixed probabilities (the first class `first`, the
    rest sharing what is left), or NaN on clips brighter than `bright` (None: never)."""
    shipped = onnx.load(os.path.join(os.path.dirname(SHIPPED), shipped_name))
    classes = shipped.graph.output[0].type.tensor_type.shape.dim[1].dim_value
    nodes = [
        helper.make_node('Slice', ['x', 'top_from', 'top_to', 'axis1'], ['top']),
        helper.make_node('ReduceMax', ['top'], ['top_max'], keepdims=0),
        helper.make_node('ReduceMin', ['x'], ['all_min'], keepdims=0),
        helper.make_node('Greater', ['top_max', 'bright_f'], ['bright']),
        helper.make_node('Less', ['all_min', 'floor_f'], ['real']),
        helper.make_node('And', ['bright', 'real'], ['bad']),
        helper.make_node('Cast', ['bad'], ['bad_f'], to=TensorProto.FLOAT),
        helper.make_node('Neg', ['bad_f'], ['minus_bad']),
        helper.make_node('Sqrt', ['minus_bad'], ['nan_or_zero']),  # sqrt(-1) is NaN, sqrt(-0) is 0
        helper.make_node('Add', ['probs', 'nan_or_zero'], ['probabilities']),
    ]
    probs = [first] + [(1 - first) / (classes - 1)] * (classes - 1)
    inits = [
        const('top_from', [1], [MELS - 16], TensorProto.INT64), const('top_to', [1], [MELS], TensorProto.INT64),
        const('axis1', [1], [1], TensorProto.INT64),
        const('bright_f', [], [1e30 if bright is None else bright]), const('floor_f', [], [-5.0]),
        const('probs', [1, classes], probs),
    ]
    inp = helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, MELS, CLIP_FRAMES])
    out = helper.make_tensor_value_info('probabilities', TensorProto.FLOAT, [1, classes])
    m = helper.make_model(helper.make_graph(nodes, 'fault', [inp], [out], inits),
                          opset_imports=[helper.make_opsetid('', 13)])
    m.ir_version = 7
    for p in shipped.metadata_props:
        q = m.metadata_props.add()
        q.key, q.value = p.key, p.value
    onnx.checker.check_model(m)
    onnx.save(m, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    nodes, inits = sound_nodes('z')
    save(os.path.join(OUT, 'nan_decoder.onnx'), nodes, inits, LATENT)
    save(os.path.join(OUT, 'wrong_input_shape_decoder.onnx'), nodes, inits, 16)
    # slow: z -> [256, 2048] (every row z-based), eight products with a 2048 x 2048 matrix made at
    # run time (ConstantOfShape, so the file stays small), reduced to one number times zero added
    # to z: the result is the nan_decoder's sound, reached only after the products.
    slow = [
        helper.make_node('ConstantOfShape', ['wshape'], ['w'], value=const('wv', [1], [1e-4])),
        helper.make_node('ConstantOfShape', ['pshape'], ['p'], value=const('pv', [1], [1.0])),
        helper.make_node('ReduceSum', ['z', 'axis1'], ['zs'], keepdims=1),
        helper.make_node('Mul', ['p', 'zs'], ['x0']),
    ]
    prev = 'x0'
    for i in range(8):
        slow.append(helper.make_node('MatMul', [prev, 'w'], ['x%d' % (i + 1)]))
        prev = 'x%d' % (i + 1)
    slow += [
        helper.make_node('ReduceSum', [prev], ['s'], keepdims=0),
        helper.make_node('Mul', ['s', 'zero_f'], ['s0']),
        helper.make_node('Add', ['z', 's0'], ['zz']),
    ]
    nodes2, inits2 = sound_nodes('zz')
    inits2 += [const('wshape', [2], [2048, 2048], TensorProto.INT64),
               const('pshape', [2], [256, 2048], TensorProto.INT64),
               const('axis1', [1], [1], TensorProto.INT64), const('zero_f', [], [0.0])]
    save(os.path.join(OUT, 'slow_decoder.onnx'), slow + nodes2, inits2, LATENT)
    save_classifier(os.path.join(OUT, 'nan_classifier.onnx'), 'classifier.onnx')
    save_classifier(os.path.join(OUT, 'nan_classifier_short.onnx'), 'classifier_short.onnx')
    save_classifier(os.path.join(OUT, 'kick_classifier.onnx'), 'classifier.onnx', bright=None, first=0.91)
    save_classifier(os.path.join(OUT, 'kick_classifier_short.onnx'), 'classifier_short.onnx', bright=None, first=0.91)
    print('fault models written to', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
