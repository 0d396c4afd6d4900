package io.latentkit.engine.render;

/**
 * The last stage before any sink: replaces non-finite samples with silence, flushes denormals to
 * zero, and keeps every sample at or below the ceiling with a stereo-linked peak limiter.
 *
 * <p>The limiter has no look-ahead (it adds no latency): its gain drops at once to exactly what
 * the loudest channel of the current frame allows, so no sample can pass the ceiling, and recovers
 * towards unity with a release time constant of {@link #RELEASE_MS} ms. A hot mix is therefore
 * held under the ceiling with the mild distortion of an instant attack instead of a clip; a mix
 * that stays below the ceiling passes bit for bit.
 *
 * <p>Threading: render thread only; allocation-free. Counters are read by other threads through
 * {@link EngineCounters}.
 */
public final class OutputGuard {
    /** Limiter release time constant. */
    public static final double RELEASE_MS = 50.0;
    /** Magnitudes below this (about -600 dB) are flushed to zero. */
    private static final float DENORMAL = 1e-30f;

    private final float ceiling;
    private final float release;
    private float gain = 1f;
    private long nonFinite;
    private long denormals;
    private long limited;

    public OutputGuard(double ceilingDbfs, int sampleRateHz) {
        this.ceiling = (float) Math.pow(10.0, ceilingDbfs / 20.0);
        this.release = (float) (1.0 - Math.exp(-1.0 / (RELEASE_MS * 0.001 * sampleRateHz)));
    }

    /** Linear ceiling. */
    public float ceiling() {
        return ceiling;
    }

    /**
     * Guards {@code frames} frames of {@code l/r} in place and interleaves them into {@code out}.
     */
    public void process(float[] l, float[] r, float[] out, int frames) {
        final float c = ceiling;
        final float rel = release;
        float g = gain;
        long nf = nonFinite;
        long dn = denormals;
        long lim = limited;
        for (int i = 0; i < frames; i++) {
            float a = l[i];
            float b = r[i];
            if (!Float.isFinite(a)) {
                a = 0f;
                nf++;
            } else if (a != 0f && Math.abs(a) < DENORMAL) {
                a = 0f;
                dn++;
            }
            if (!Float.isFinite(b)) {
                b = 0f;
                nf++;
            } else if (b != 0f && Math.abs(b) < DENORMAL) {
                b = 0f;
                dn++;
            }
            float peak = Math.max(Math.abs(a), Math.abs(b));
            // Recover towards unity first, then clamp: the clamp makes the ceiling exact.
            g += (1f - g) * rel;
            if (peak * g > c) {
                g = c / peak;
                lim++;
            }
            if (g > 0.9999999f) {
                g = 1f;
            }
            float oa = a * g;
            float ob = b * g;
            // Float rounding of a*(c/peak) can land one ulp above c.
            if (oa > c) {
                oa = c;
            } else if (oa < -c) {
                oa = -c;
            }
            if (ob > c) {
                ob = c;
            } else if (ob < -c) {
                ob = -c;
            }
            out[2 * i] = oa;
            out[2 * i + 1] = ob;
        }
        gain = g;
        nonFinite = nf;
        denormals = dn;
        limited = lim;
    }

    public long nonFiniteSamples() {
        return nonFinite;
    }

    public long denormalsFlushed() {
        return denormals;
    }

    /** Frames at which the limiter had to pull its gain down. */
    public long limitedFrames() {
        return limited;
    }

    /** Current limiter gain (1 = not limiting). */
    public float gain() {
        return gain;
    }
}
