package io.latentkit.models;

import static org.bytedeco.fftw.global.fftw3.FFTW_ESTIMATE;
import static org.bytedeco.fftw.global.fftw3.FFTW_MEASURE;
import static org.bytedeco.fftw.global.fftw3.fftwf_destroy_plan;
import static org.bytedeco.fftw.global.fftw3.fftwf_execute;
import static org.bytedeco.fftw.global.fftw3.fftwf_free;
import static org.bytedeco.fftw.global.fftw3.fftwf_malloc;
import static org.bytedeco.fftw.global.fftw3.fftwf_plan_many_dft_c2r;
import static org.bytedeco.fftw.global.fftw3.fftwf_plan_many_dft_r2c;

import java.lang.ref.Cleaner;
import org.bytedeco.fftw.global.fftw3.fftwf_plan;
import org.bytedeco.fftw.global.fftw3;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FrameFft} through FFTW's single-precision batched ("many") real plans: one native call
 * transforms all frames. Frames and spectra are copied in and out of FFTW-aligned native buffers in
 * one bulk copy each. Plans are made at construction with {@code FFTW_ESTIMATE}, so that the same
 * input gives the same bytes in every process (see {@link #PLAN_PROPERTY} for the faster but
 * non-reproducible {@code FFTW_MEASURE}).
 * FFTW's planner is not thread-safe, so planning and destruction hold a global lock; executing a plan
 * is safe on any thread, and each instance belongs to one thread.
 */
final class FftwFrameFft implements FrameFft {
    private static final Logger LOG = LoggerFactory.getLogger(FftwFrameFft.class);
    private static final Object PLANNER = new Object();
    /** Frees the native side of an instance its owner forgot to close, once it is unreachable. */
    private static final Cleaner CLEANER = Cleaner.create();
    /** System property choosing FFTW's planner: {@code estimate} (the default) or {@code measure}. */
    static final String PLAN_PROPERTY = "latentkit.fftw.plan";
    /**
     * {@code FFTW_MEASURE} times candidate algorithms and keeps the fastest, so two processes can
     * end up with different plans and their outputs differ in the last bits: a latent pad's sound
     * would not reload bit for bit. {@code FFTW_ESTIMATE} chooses by fixed heuristics, the same plan
     * in every process on the same CPU, for about 15% more decode time (REPORT.md).
     */
    private static final int PLAN_FLAGS = "measure".equals(System.getProperty(PLAN_PROPERTY, "").trim())
            ? FFTW_MEASURE : FFTW_ESTIMATE;
    private static volatile Boolean loaded;
    private static volatile String loadError = "";

    private final int realFloats;
    private final int complexFloats;
    private final Native plans;
    private final Cleaner.Cleanable cleanable;

    /** The native buffers and plans; freed exactly once, by close or by the cleaner. */
    private static final class Native implements Runnable {
        FloatPointer real;
        FloatPointer complex;
        fftwf_plan forwardPlan;
        fftwf_plan inversePlan;

        @Override
        public void run() {
            synchronized (PLANNER) {
                if (forwardPlan != null && !forwardPlan.isNull()) {
                    fftwf_destroy_plan(forwardPlan);
                }
                if (inversePlan != null && !inversePlan.isNull()) {
                    fftwf_destroy_plan(inversePlan);
                }
                if (real != null && !real.isNull()) {
                    fftwf_free(real.position(0));
                }
                if (complex != null && !complex.isNull()) {
                    fftwf_free(complex.position(0));
                }
                forwardPlan = null;
                inversePlan = null;
                real = null;
                complex = null;
            }
        }
    }

    private FftwFrameFft(int n, int count, Native plans) {
        this.realFloats = n * count;
        this.complexFloats = 2 * (n / 2 + 1) * count;
        this.plans = plans;
        this.cleanable = CLEANER.register(this, plans);
    }

    /** Whether FFTW's native library loads here (tried once per process; the failure is logged once). */
    static boolean available() {
        Boolean l = loaded;
        if (l == null) {
            synchronized (PLANNER) {
                if (loaded == null) {
                    try {
                        Loader.load(fftw3.class);
                        loaded = Boolean.TRUE;
                    } catch (Throwable e) {
                        // UnsatisfiedLinkError or a loader error: no binary for this platform.
                        loadError = e.toString();
                        LOG.warn("FFTW unavailable ({}); phase reconstruction uses JTransforms, about four times slower",
                                e.toString());
                        loaded = Boolean.FALSE;
                    }
                }
                l = loaded;
            }
        }
        return l;
    }

    static FftwFrameFft create(int n, int count) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("frame length must be a power of two: " + n);
        }
        if (count < 1) {
            throw new IllegalArgumentException("at least one frame: " + count);
        }
        if (!available()) {
            throw new IllegalStateException("FFTW's native library does not load: " + loadError);
        }
        int realFloats = n * count;
        int complexFloats = 2 * (n / 2 + 1) * count;
        Native p = new Native();
        synchronized (PLANNER) {
            p.real = new FloatPointer(fftwf_malloc(4L * realFloats)).capacity(realFloats);
            p.complex = new FloatPointer(fftwf_malloc(4L * complexFloats)).capacity(complexFloats);
            if (p.real.isNull() || p.complex.isNull()) {
                p.run();
                throw new OutOfMemoryError("fftwf_malloc failed");
            }
            try (IntPointer dims = new IntPointer(1).put(n)) {
                int bins = n / 2 + 1;
                p.forwardPlan = fftwf_plan_many_dft_r2c(1, dims, count, p.real, (IntPointer) null, 1, n,
                        p.complex, (IntPointer) null, 1, bins, PLAN_FLAGS);
                p.inversePlan = fftwf_plan_many_dft_c2r(1, dims, count, p.complex, (IntPointer) null, 1, bins,
                        p.real, (IntPointer) null, 1, n, PLAN_FLAGS);
            }
            if (p.forwardPlan == null || p.forwardPlan.isNull() || p.inversePlan == null || p.inversePlan.isNull()) {
                p.run();
                throw new IllegalStateException("FFTW could not plan " + count + " frames of " + n);
            }
        }
        return new FftwFrameFft(n, count, p);
    }

    @Override
    public void forward(float[] frames, float[] spectra) {
        checkOpen(frames.length < realFloats || spectra.length < complexFloats);
        plans.real.position(0).put(frames, 0, realFloats);
        fftwf_execute(plans.forwardPlan);
        plans.complex.position(0).get(spectra, 0, complexFloats);
    }

    @Override
    public void inverse(float[] spectra, float[] frames) {
        checkOpen(frames.length < realFloats || spectra.length < complexFloats);
        plans.complex.position(0).put(spectra, 0, complexFloats);
        fftwf_execute(plans.inversePlan);
        plans.real.position(0).get(frames, 0, realFloats);
    }

    /** Native code does not check: a closed instance or a short array must never reach it. */
    private void checkOpen(boolean tooShort) {
        if (plans.real == null) {
            throw new IllegalStateException("FFTW transform used after close");
        }
        if (tooShort) {
            throw new IllegalArgumentException("arrays shorter than " + realFloats + " frames / " + complexFloats
                    + " spectrum floats");
        }
    }

    @Override
    public String name() {
        return "FFTW " + fftw3.fftwf_version().getString().replace("fftw-", "");
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
