package io.latentkit.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX Runtime session at batch size one, with its input and output tensors allocated once over
 * direct buffers and reused for every run (outputs are pinned, so ONNX Runtime writes straight into
 * them). Intra-op threads are limited and spinning is off, so an idle model costs no CPU; the
 * session is warmed up at load so the first real call is not the slow one.
 *
 * <p>Not thread-safe: the buffers are shared state. Confined to one thread at a time; in the server
 * that is the {@link InferenceWorker}, never the render thread.
 */
public final class OnnxModel implements AutoCloseable {
    private final String name;
    private final OrtSession session;
    private final Map<String, String> metadata;
    private final FloatBuffer input;
    private final OnnxTensor inputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final FloatBuffer[] outputs;
    private final Map<String, OnnxTensor> pinned;

    private OnnxModel(String name, OrtSession session, Map<String, String> metadata, FloatBuffer input,
                      OnnxTensor inputTensor, Map<String, OnnxTensor> inputs, FloatBuffer[] outputs,
                      Map<String, OnnxTensor> pinned) {
        this.name = name;
        this.session = session;
        this.metadata = metadata;
        this.input = input;
        this.inputTensor = inputTensor;
        this.inputs = inputs;
        this.outputs = outputs;
        this.pinned = pinned;
    }

    /**
     * Opens a model from its bytes.
     *
     * @param name         file name for messages
     * @param kind         the {@code kind} the metadata must state
     * @param inputShape   the one input's shape, batch first (1)
     * @param outputShapes each output's shape, in the model's output order
     * @param intraOpThreads 1 or 2
     */
    public static OnnxModel open(String name, byte[] bytes, String kind, long[] inputShape, long[][] outputShapes,
                                 int intraOpThreads, FeatureSpec spec) throws ModelLoadException {
        OnnxNatives.prepare();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            // Spinning threads would burn a core between hits on a 2-core laptop.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(bytes, options);
            Map<String, String> meta = Collections.unmodifiableMap(
                    new HashMap<>(session.getMetadata().getCustomMetadata()));
            if (!kind.equals(meta.get("kind"))) {
                throw new ModelLoadException(name + ": metadata says kind '" + meta.get("kind") + "', expected '" + kind + "'");
            }
            spec.check(name, meta);
            Map<String, NodeInfo> inInfo = session.getInputInfo();
            Map<String, NodeInfo> outInfo = session.getOutputInfo();
            if (inInfo.size() != 1 || outInfo.size() != outputShapes.length) {
                throw new ModelLoadException(name + ": expected 1 input and " + outputShapes.length + " outputs, found "
                        + inInfo.size() + " and " + outInfo.size());
            }
            FloatBuffer in = direct(count(inputShape));
            OnnxTensor inTensor = OnnxTensor.createTensor(env, in, inputShape);
            Map<String, OnnxTensor> inputs = Map.of(inInfo.keySet().iterator().next(), inTensor);
            FloatBuffer[] outs = new FloatBuffer[outputShapes.length];
            Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
            int i = 0;
            for (String out : outInfo.keySet()) {
                outs[i] = direct(count(outputShapes[i]));
                pinned.put(out, OnnxTensor.createTensor(env, outs[i], outputShapes[i]));
                i++;
            }
            OnnxModel model = new OnnxModel(name, session, meta, in, inTensor, inputs, outs, pinned);
            model.warmUp();
            return model;
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelLoadException(name + ": not a usable ONNX model (" + firstLine(e.getMessage()) + ")", e);
        } catch (ModelException e) {
            closeQuietly(session);
            if (e instanceof ModelLoadException) {
                throw (ModelLoadException) e;
            }
            throw new ModelLoadException(name + ": warm-up failed: " + e.getMessage(), e);
        }
    }

    private void warmUp() throws ModelException {
        // A few runs on zeros: ONNX Runtime allocates its arenas and picks kernels on the first runs.
        for (int i = 0; i < 3; i++) {
            input.clear();
            while (input.hasRemaining()) {
                input.put(0f);
            }
            run();
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // Already failing to load; the load error is the one worth reporting.
            }
        }
    }

    public String name() {
        return name;
    }

    /** The model's metadata_props. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The input buffer; fill it (absolute puts or from position 0) before {@link #run()}. */
    public FloatBuffer input() {
        return input;
    }

    /** Output {@code i}'s buffer, valid after {@link #run()} until the next run. */
    public FloatBuffer output(int i) {
        return outputs[i];
    }

    /**
     * Runs the model on the current input.
     *
     * @throws NonFiniteOutputException if any output value is NaN or infinite
     */
    public void run() throws ModelException {
        try {
            // Outputs are pinned: the result only refers to our tensors and closing it leaves them open.
            session.run(inputs, pinned).close();
        } catch (OrtException e) {
            throw new ModelException(name + ": inference failed (" + firstLine(e.getMessage()) + ")", e);
        }
        for (FloatBuffer out : outputs) {
            for (int i = 0, n = out.capacity(); i < n; i++) {
                if (!Float.isFinite(out.get(i))) {
                    throw new NonFiniteOutputException(name + " produced a non-finite value; the result was discarded");
                }
            }
        }
    }

    @Override
    public void close() {
        for (OnnxTensor t : pinned.values()) {
            t.close();
        }
        inputTensor.close();
        closeQuietly(session);
    }
}
