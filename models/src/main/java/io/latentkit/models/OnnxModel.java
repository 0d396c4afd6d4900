package io.latentkit.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ONNX Runtime session at batch size one, with its input and output tensors allocated once over
 * direct buffers and reused for every run (outputs are pinned, so ONNX Runtime writes straight into
 * them). Intra-op threads are limited and spinning is off, so an idle model costs no CPU; the
 * session is warmed up at load so the first real call is not the slow one.
 *
 * <p>A model whose answers stop being finite is bypassed: after {@value #BYPASS_AFTER} non-finite
 * results in a row, {@link #run()} refuses at once for a rest ({@link #bypassRestNanos()}, by default
 * {@link #BYPASS_SECONDS} s; {@code serve --model-bypass-rest-ms}), then one trial run decides: a
 * finite answer puts the model back in service, a non-finite one bypasses it for another rest. A
 * broken model so costs no inference time and says why. Runs slower than
 * {@link #budgetNanos()} are counted ({@link #overBudget()}); the render thread never waits for a
 * model, so a slow one delays only its own answer.
 *
 * <p>Not thread-safe: the buffers are shared state. Confined to one thread at a time; in the server
 * that is the {@link InferenceWorker}, never the render thread. The counters ({@link #nonFinite()},
 * {@link #bypassed()}, {@link #overBudget()}) may be read from any thread.
 */
public final class OnnxModel implements AutoCloseable {
    /** Non-finite results in a row after which the model is bypassed. */
    public static final int BYPASS_AFTER = 3;
    /** How long a bypassed model is refused before one trial run, by default. */
    public static final long BYPASS_SECONDS = 30;
    private static volatile long defaultBypassRestNanos = TimeUnit.SECONDS.toNanos(BYPASS_SECONDS);
    /** Default budget of one run: the 15 ms a live decision or a decode has. */
    public static final long DEFAULT_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(15);

    private final String name;
    private final OrtSession session;
    private final Map<String, String> metadata;
    private final FloatBuffer input;
    private final OnnxTensor inputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final FloatBuffer[] outputs;
    private final Map<String, OnnxTensor> pinned;
    private final AtomicLong nonFinite = new AtomicLong();
    private final AtomicLong bypasses = new AtomicLong();
    private final AtomicLong overBudget = new AtomicLong();
    private volatile long budgetNanos = DEFAULT_BUDGET_NANOS;
    private volatile long bypassRestNanos = defaultBypassRestNanos;
    private volatile boolean bypassed;
    /** Owner thread only. */
    private int nonFiniteInARow;
    /** When the model was bypassed ({@link System#nanoTime()}), 0 while it is not. */
    private long bypassedAtNanos;
    private boolean warm;

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
            String inName = inInfo.keySet().iterator().next();
            requireShape(name, "input", inName, inInfo.get(inName), inputShape);
            int o = 0;
            for (Map.Entry<String, NodeInfo> e : outInfo.entrySet()) {
                requireShape(name, "output", e.getKey(), e.getValue(), outputShapes[o++]);
            }
            FloatBuffer in = direct(count(inputShape));
            OnnxTensor inTensor = OnnxTensor.createTensor(env, in, inputShape);
            Map<String, OnnxTensor> inputs = Map.of(inName, inTensor);
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
            model.warm = true;
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

    /** A float tensor of {@code expected} shape (a dimension the file leaves open may be anything). */
    private static void requireShape(String model, String what, String node, NodeInfo info, long[] expected)
            throws ModelLoadException {
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException(model + ": " + what + " '" + node + "' is not a float tensor (" + info.getInfo()
                    + ")");
        }
        long[] shape = t.getShape();
        boolean ok = shape.length == expected.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] < 0 || shape[i] == expected[i];
        }
        if (!ok) {
            throw new ModelLoadException(model + ": " + what + " '" + node + "' has shape " + Arrays.toString(shape)
                    + "; this build needs " + Arrays.toString(expected));
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
     * @throws ModelBypassedException while the model is bypassed for repeated non-finite results
     */
    public void run() throws ModelException {
        long t0 = System.nanoTime();
        if (bypassedAtNanos != 0) {
            if (t0 - bypassedAtNanos < bypassRestNanos) {
                throw new ModelBypassedException(name + " is bypassed: its last " + BYPASS_AFTER
                        + " results were not finite (tried again " + rest() + " after, or reload the models)");
            }
            bypassedAtNanos = 0;
            nonFiniteInARow = BYPASS_AFTER - 1; // one trial run: a bad answer bypasses it again
        }
        try {
            // Outputs are pinned: the result only refers to our tensors and closing it leaves them open.
            session.run(inputs, pinned).close();
        } catch (OrtException e) {
            throw new ModelException(name + ": inference failed (" + firstLine(e.getMessage()) + ")", e);
        }
        long took = System.nanoTime() - t0;
        if (warm && took > budgetNanos) {
            overBudget.incrementAndGet();
        }
        for (FloatBuffer out : outputs) {
            for (int i = 0, n = out.capacity(); i < n; i++) {
                if (!Float.isFinite(out.get(i))) {
                    throw nonFiniteResult();
                }
            }
        }
        nonFiniteInARow = 0;
        bypassed = false;
    }

    private NonFiniteOutputException nonFiniteResult() {
        if (warm) {
            nonFinite.incrementAndGet();
            if (++nonFiniteInARow >= BYPASS_AFTER) {
                nonFiniteInARow = 0;
                bypassedAtNanos = System.nanoTime();
                if (bypassedAtNanos == 0) {
                    bypassedAtNanos = 1;
                }
                bypassed = true;
                bypasses.incrementAndGet();
                return new NonFiniteOutputException(name + " produced a non-finite value " + BYPASS_AFTER
                        + " times in a row; the result was discarded and the model is bypassed for " + rest());
            }
        }
        return new NonFiniteOutputException(name + " produced a non-finite value; the result was discarded");
    }

    /** The rest as a message says it: {@code 30 s}, {@code 300 ms}. */
    private String rest() {
        long ms = TimeUnit.NANOSECONDS.toMillis(bypassRestNanos);
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** Results discarded for a NaN or an infinity (after the load's warm-up). */
    public long nonFinite() {
        return nonFinite.get();
    }

    /** Whether the model is bypassed now (its last results were not finite). */
    public boolean bypassed() {
        return bypassed;
    }

    /** Times the model was bypassed. */
    public long bypasses() {
        return bypasses.get();
    }

    /** Runs that took longer than {@link #budgetNanos()} (after the load's warm-up). */
    public long overBudget() {
        return overBudget.get();
    }

    /** The time one run may take before it counts as over budget, ns. */
    public long budgetNanos() {
        return budgetNanos;
    }

    /** Sets the budget of one run, ns (any thread). */
    public void budgetNanos(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("budget must be positive, not " + nanos);
        }
        this.budgetNanos = nanos;
    }

    /** How long this model, once bypassed, is refused before one trial run, ns. */
    public long bypassRestNanos() {
        return bypassRestNanos;
    }

    /** Sets this model's bypass rest, ns (any thread; it applies to a rest under way too). */
    public void bypassRestNanos(long nanos) {
        this.bypassRestNanos = checkRest(nanos);
    }

    /**
     * Sets the bypass rest of every model opened from now on, ns ({@code serve --model-bypass-rest-ms};
     * any thread, before the models load).
     */
    public static void defaultBypassRestNanos(long nanos) {
        defaultBypassRestNanos = checkRest(nanos);
    }

    /** The bypass rest models opened now get, ns. */
    public static long defaultBypassRestNanos() {
        return defaultBypassRestNanos;
    }

    private static long checkRest(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("bypass rest must be positive, not " + nanos + " ns");
        }
        return nanos;
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
