package io.latentkit.engine.voice;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;

/**
 * One sounding one-shot: a sample read at a pitch ratio, shaped by velocity gain, constant-power
 * pan, an exponential decay envelope and, when released (stolen, choked, kit swapped), a linear
 * fade to silence.
 *
 * <p>Threading: render thread only. All state lives in fields that are copied into locals for the
 * per-sample loop and written back after it; rendering allocates nothing. The loop is chosen once
 * per voice start (mono or stereo source, unit or other pitch ratio), and per call whether the
 * voice is steady (no decay, not releasing: its envelope is exactly 1, so the loop skips it and
 * renders the same floats). Pitched voices interpolate with 4-point Lagrange polynomials
 * ({@link InterpolationTable}) over the sample's guard frames (no edge tests in the loop), the
 * read position in 32.32 fixed point.
 */
public final class Voice {
    /** Below this envelope level (-100 dB) a decaying voice is inaudible and ends. */
    private static final float SILENT = 1e-5f;

    private static final int MONO_UNIT = 0;
    private static final int STEREO_UNIT = 1;
    private static final int MONO_PITCHED = 2;
    private static final int STEREO_PITCHED = 3;

    /** Read position and pitch increment in frames, fixed point with this many fraction bits. */
    static final int FRACTION_BITS = 32;
    /** Index of the first of the four interpolation points, relative to the read position in the guarded array. */
    private static final int FIRST_TAP = Sample.GUARD_FRAMES + InterpolationTable.FIRST_OFFSET;

    /** The sample it plays (so that a retired sample is freed only once no voice plays it). */
    Sample sample;

    /** The sample's guarded channel arrays (the same array twice for mono). */
    private float[] left;
    private float[] right;
    private int frames;
    private int mode;
    /** Read position: frame index in the upper 32 bits, fraction in the lower 32. */
    private long phase;
    /** Position increment per output frame, same fixed point (1 << 32 at unit pitch). */
    private long increment;
    private float gainLeft;
    private float gainRight;
    private float envelope;
    private float envelopeMul;
    private float fade;
    private float fadeStep;
    /** Frames left in the release fade; 0 while the voice is not releasing. */
    private int fadeLeft;
    private boolean active;

    int pad;
    /** The group whose hits turn this voice off (0: none). */
    int chokeGroup;
    int source;
    long startFrame;
    Kit kit;
    /** Neighbours in the pool's start-order list (sounding) or release-order list (fading). */
    Voice prev;
    Voice next;
    /** Index in the pool's active array. */
    int slot;
    /** Lazy mixing: the frame of the current block up to which this voice has been mixed. */
    int mixedTo;

    /**
     * Starts playing {@code sample}.
     *
     * @param pitchRatio playback rate (1 = original pitch)
     * @param gain linear gain (velocity curve times pad gain)
     * @param pan -1..1, constant-power
     * @param decayPerSample envelope multiplier per frame (1 = no decay)
     */
    void start(Sample sample, double pitchRatio, float gain, float pan, float decayPerSample) {
        start(sample, null, pitchRatio, gain, pan, decayPerSample);
    }

    /**
     * Starts playing {@code sample}, reading {@code pitched} instead when it is not {@code null}:
     * {@code sample} already read at {@code pitchRatio} ({@link PitchedCopies}), played at unit
     * pitch, which renders the same frames at the cost of an untuned voice.
     */
    void start(Sample sample, Sample pitched, double pitchRatio, float gain, float pan, float decayPerSample) {
        this.sample = sample;
        Sample read = pitched != null ? pitched : sample;
        left = read.guardedLeft();
        right = read.guardedRight();
        frames = read.frames();
        long inc = pitched != null ? 1L << FRACTION_BITS : increment(pitchRatio);
        boolean unit = inc == 1L << FRACTION_BITS;
        boolean stereo = sample.isStereo();
        mode = unit ? (stereo ? STEREO_UNIT : MONO_UNIT) : (stereo ? STEREO_PITCHED : MONO_PITCHED);
        phase = 0L;
        increment = Math.max(1L, inc);
        // Constant-power pan law: -3 dB in the centre, each side's gain = cos/sin of the angle.
        double angle = (pan + 1.0) * Math.PI / 4.0;
        gainLeft = (float) (gain * Math.cos(angle) * Math.sqrt(2.0));
        gainRight = (float) (gain * Math.sin(angle) * Math.sqrt(2.0));
        envelope = 1f;
        envelopeMul = decayPerSample;
        fade = 1f;
        fadeStep = 0f;
        fadeLeft = 0;
        active = true;
    }

    /**
     * The read position's increment per output frame for {@code pitchRatio}, in 32.32 fixed point:
     * rounded to 2^-32 of a frame, a pitch error below 1e-9 relative, and no drift between the
     * channels or from block to block (the phase is exact integer arithmetic).
     */
    static long increment(double pitchRatio) {
        return Math.round(pitchRatio * (double) (1L << FRACTION_BITS));
    }

    /** Fades the voice to silence over {@code frames} frames, unless it already fades faster. */
    void release(int fadeFrames) {
        int frames = Math.max(1, fadeFrames);
        if (fadeLeft == 0 || frames < fadeLeft) {
            fadeLeft = frames;
            fadeStep = fade / frames;
        }
    }

    boolean isReleasing() {
        return fadeLeft > 0;
    }

    /** Frames left in the release fade (or Integer.MAX_VALUE when not releasing). */
    int releaseFramesLeft() {
        return fadeLeft > 0 ? fadeLeft : Integer.MAX_VALUE;
    }

    boolean isActive() {
        return active;
    }

    void kill() {
        active = false;
        sample = null;
        left = null;
        right = null;
        kit = null;
    }

    /** Mixes frames {@code from..to} of the block into {@code outL/outR}; returns whether still active. */
    boolean render(float[] outL, float[] outR, int from, int to) {
        if (!active) {
            return false;
        }
        int n = to - from;
        boolean fadeEnds = false;
        if (fadeLeft > 0) {
            // The fade is counted in whole frames, so it ends exactly on time whatever the float
            // rounding of the running gain.
            if (fadeLeft <= n) {
                n = fadeLeft;
                fadeEnds = true;
            }
            fadeLeft -= n;
        }
        // Steady: the envelope stays exactly 1 (no decay, no fade), so e * f is 1 at every frame and
        // the steady loops, which leave it out, mix the same floats with less work.
        final boolean steady = fadeStep == 0f && envelopeMul == 1f && envelope == 1f && fade == 1f;
        final boolean ended;
        switch (mode) {
            case MONO_UNIT -> ended = steady ? steadyMonoUnit(outL, outR, from, n) : renderMonoUnit(outL, outR, from, n);
            case STEREO_UNIT -> ended = steady ? steadyStereoUnit(outL, outR, from, n)
                    : renderStereoUnit(outL, outR, from, n);
            case MONO_PITCHED -> ended = steady ? steadyMonoPitched(outL, outR, from, n)
                    : renderMonoPitched(outL, outR, from, n);
            default -> ended = steady ? steadyStereoPitched(outL, outR, from, n)
                    : renderStereoPitched(outL, outR, from, n);
        }
        if (ended || fadeEnds || envelope < SILENT) {
            kill();
            return false;
        }
        return true;
    }

    /** Output frames, at most {@code n}, that this voice renders before its read position passes the end. */
    private int framesBeforeEnd(int n) {
        long left = ((long) frames << FRACTION_BITS) - phase;
        if (left <= 0) {
            return 0;
        }
        if (n <= 1 << 20 && left > (long) n * increment) {
            return n; // the common case, without a division
        }
        long needed = (left + increment - 1) / increment;
        return needed < n ? (int) needed : n;
    }

    private boolean steadyMonoUnit(float[] outL, float[] outR, int from, int n) {
        final float[] d = left;
        final int count = framesBeforeEnd(n);
        final int p0 = (int) (phase >>> FRACTION_BITS) + Sample.GUARD_FRAMES;
        final float gl = gainLeft;
        final float gr = gainRight;
        for (int i = 0; i < count; i++) {
            final float s = d[p0 + i];
            outL[from + i] += s * gl;
            outR[from + i] += s * gr;
        }
        phase += (long) count << FRACTION_BITS;
        return phase >= (long) frames << FRACTION_BITS;
    }

    private boolean steadyStereoUnit(float[] outL, float[] outR, int from, int n) {
        final float[] dl = left;
        final float[] dr = right;
        final int count = framesBeforeEnd(n);
        final int p0 = (int) (phase >>> FRACTION_BITS) + Sample.GUARD_FRAMES;
        final float gl = gainLeft;
        final float gr = gainRight;
        for (int i = 0; i < count; i++) {
            outL[from + i] += dl[p0 + i] * gl;
            outR[from + i] += dr[p0 + i] * gr;
        }
        phase += (long) count << FRACTION_BITS;
        return phase >= (long) frames << FRACTION_BITS;
    }

    private boolean renderMonoUnit(float[] outL, float[] outR, int from, int n) {
        final float[] d = left;
        final int count = framesBeforeEnd(n);
        final int p0 = (int) (phase >>> FRACTION_BITS) + Sample.GUARD_FRAMES;
        final float gl = gainLeft;
        final float gr = gainRight;
        final float em = envelopeMul;
        final float fs = fadeStep;
        float e = envelope;
        float f = fade;
        for (int i = 0; i < count; i++) {
            float s = d[p0 + i] * e * f;
            outL[from + i] += s * gl;
            outR[from + i] += s * gr;
            e *= em;
            f -= fs;
        }
        envelope = e;
        fade = f;
        phase += (long) count << FRACTION_BITS;
        return phase >= (long) frames << FRACTION_BITS;
    }

    private boolean renderStereoUnit(float[] outL, float[] outR, int from, int n) {
        final float[] dl = left;
        final float[] dr = right;
        final int count = framesBeforeEnd(n);
        final int p0 = (int) (phase >>> FRACTION_BITS) + Sample.GUARD_FRAMES;
        final float gl = gainLeft;
        final float gr = gainRight;
        final float em = envelopeMul;
        final float fs = fadeStep;
        float e = envelope;
        float f = fade;
        for (int i = 0; i < count; i++) {
            float a = e * f;
            outL[from + i] += dl[p0 + i] * a * gl;
            outR[from + i] += dr[p0 + i] * a * gr;
            e *= em;
            f -= fs;
        }
        envelope = e;
        fade = f;
        phase += (long) count << FRACTION_BITS;
        return phase >= (long) frames << FRACTION_BITS;
    }

    /*
     * The pitched loops interpolate with 4-point, 3rd-order Lagrange polynomials through the frames
     * at offsets -1..2 of the read position. The four weights depend only on the fraction, so they
     * come from a table (InterpolationTable) of 4,096 fractions, read once per frame for both
     * channels of a stereo voice, and InterpolationTable.apply combines them with the frames (the
     * copier uses the same). Reads reach 1 frame before and 2 after the position: inside the
     * sample's guard frames, so there is no edge test in the loop.
     */

    private boolean steadyMonoPitched(float[] outL, float[] outR, int from, int n) {
        final float[] d = left;
        final float[] w = InterpolationTable.WEIGHTS;
        final int count = framesBeforeEnd(n);
        final long inc = increment;
        final float gl = gainLeft;
        final float gr = gainRight;
        long ph = phase;
        for (int i = 0; i < count; i++) {
            final int x = (int) (ph >>> FRACTION_BITS) + FIRST_TAP;
            final int k = InterpolationTable.row(ph);
            final float v = InterpolationTable.apply(w[k], w[k + 1], w[k + 2], w[k + 3], d, x);
            outL[from + i] += v * gl;
            outR[from + i] += v * gr;
            ph += inc;
        }
        phase = ph;
        return ph >= (long) frames << FRACTION_BITS;
    }

    private boolean renderMonoPitched(float[] outL, float[] outR, int from, int n) {
        final float[] d = left;
        final float[] w = InterpolationTable.WEIGHTS;
        final int count = framesBeforeEnd(n);
        final long inc = increment;
        final float gl = gainLeft;
        final float gr = gainRight;
        final float em = envelopeMul;
        final float fs = fadeStep;
        long ph = phase;
        float e = envelope;
        float f = fade;
        for (int i = 0; i < count; i++) {
            final int x = (int) (ph >>> FRACTION_BITS) + FIRST_TAP;
            final int k = InterpolationTable.row(ph);
            final float v = InterpolationTable.apply(w[k], w[k + 1], w[k + 2], w[k + 3], d, x);
            final float s = v * e * f;
            outL[from + i] += s * gl;
            outR[from + i] += s * gr;
            ph += inc;
            e *= em;
            f -= fs;
        }
        envelope = e;
        fade = f;
        phase = ph;
        return ph >= (long) frames << FRACTION_BITS;
    }

    private boolean steadyStereoPitched(float[] outL, float[] outR, int from, int n) {
        final float[] dl = left;
        final float[] dr = right;
        final float[] w = InterpolationTable.WEIGHTS;
        final int count = framesBeforeEnd(n);
        final long inc = increment;
        final float gl = gainLeft;
        final float gr = gainRight;
        long ph = phase;
        for (int i = 0; i < count; i++) {
            final int x = (int) (ph >>> FRACTION_BITS) + FIRST_TAP;
            final int k = InterpolationTable.row(ph);
            final float w0 = w[k];
            final float w1 = w[k + 1];
            final float w2 = w[k + 2];
            final float w3 = w[k + 3];
            outL[from + i] += InterpolationTable.apply(w0, w1, w2, w3, dl, x) * gl;
            outR[from + i] += InterpolationTable.apply(w0, w1, w2, w3, dr, x) * gr;
            ph += inc;
        }
        phase = ph;
        return ph >= (long) frames << FRACTION_BITS;
    }

    private boolean renderStereoPitched(float[] outL, float[] outR, int from, int n) {
        final float[] dl = left;
        final float[] dr = right;
        final float[] w = InterpolationTable.WEIGHTS;
        final int count = framesBeforeEnd(n);
        final long inc = increment;
        final float gl = gainLeft;
        final float gr = gainRight;
        final float em = envelopeMul;
        final float fs = fadeStep;
        long ph = phase;
        float e = envelope;
        float f = fade;
        for (int i = 0; i < count; i++) {
            final int x = (int) (ph >>> FRACTION_BITS) + FIRST_TAP;
            final int k = InterpolationTable.row(ph);
            final float w0 = w[k];
            final float w1 = w[k + 1];
            final float w2 = w[k + 2];
            final float w3 = w[k + 3];
            final float vl = InterpolationTable.apply(w0, w1, w2, w3, dl, x);
            final float vr = InterpolationTable.apply(w0, w1, w2, w3, dr, x);
            final float a = e * f;
            outL[from + i] += vl * a * gl;
            outR[from + i] += vr * a * gr;
            ph += inc;
            e *= em;
            f -= fs;
        }
        envelope = e;
        fade = f;
        phase = ph;
        return ph >= (long) frames << FRACTION_BITS;
    }
}
