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
 * per voice start (mono or stereo source, unit or other pitch ratio).
 */
public final class Voice {
    /** Below this envelope level (-100 dB) a decaying voice is inaudible and ends. */
    private static final float SILENT = 1e-5f;

    private static final int MONO_UNIT = 0;
    private static final int STEREO_UNIT = 1;
    private static final int MONO_PITCHED = 2;
    private static final int STEREO_PITCHED = 3;

    /** The sample it plays (so that a retired sample is freed only once no voice plays it). */
    Sample sample;
    private float[] left;
    private float[] right;
    private int frames;
    private int mode;
    private double position;
    private double increment;
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
    int chokeGroup;
    int source;
    long startFrame;
    Kit kit;
    /** Neighbours in the pool's start-order list (sounding) or release-order list (fading). */
    Voice prev;
    Voice next;
    /** Index in the pool's active array. */
    int slot;

    /**
     * Starts playing {@code sample}.
     *
     * @param pitchRatio playback rate (1 = original pitch)
     * @param gain linear gain (velocity curve times pad gain)
     * @param pan -1..1, constant-power
     * @param decayPerSample envelope multiplier per frame (1 = no decay)
     */
    void start(Sample sample, double pitchRatio, float gain, float pan, float decayPerSample) {
        this.sample = sample;
        left = sample.left();
        right = sample.right();
        frames = sample.frames();
        boolean unit = pitchRatio == 1.0;
        boolean stereo = sample.isStereo();
        mode = unit ? (stereo ? STEREO_UNIT : MONO_UNIT) : (stereo ? STEREO_PITCHED : MONO_PITCHED);
        position = 0.0;
        increment = pitchRatio;
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
        boolean ended;
        switch (mode) {
            case MONO_UNIT -> ended = renderMonoUnit(outL, outR, from, n);
            case STEREO_UNIT -> ended = renderStereoUnit(outL, outR, from, n);
            case MONO_PITCHED -> ended = renderMonoPitched(outL, outR, from, n);
            default -> ended = renderStereoPitched(outL, outR, from, n);
        }
        if (ended || fadeEnds || envelope < SILENT) {
            kill();
            return false;
        }
        return true;
    }

    private boolean renderMonoUnit(float[] outL, float[] outR, int from, int n) {
        final float[] d = left;
        final int p0 = (int) position;
        final int count = Math.min(n, frames - p0);
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
        position = p0 + count;
        return p0 + count >= frames;
    }

    private boolean renderStereoUnit(float[] outL, float[] outR, int from, int n) {
        final float[] dl = left;
        final float[] dr = right;
        final int p0 = (int) position;
        final int count = Math.min(n, frames - p0);
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
        position = p0 + count;
        return p0 + count >= frames;
    }

    private boolean renderMonoPitched(float[] outL, float[] outR, int from, int n) {
        final float[] d = left;
        final int len = frames;
        final double inc = increment;
        final float gl = gainLeft;
        final float gr = gainRight;
        final float em = envelopeMul;
        final float fs = fadeStep;
        double pos = position;
        float e = envelope;
        float f = fade;
        int i = 0;
        for (; i < n && pos < len; i++) {
            float s = hermite(d, len, pos) * e * f;
            outL[from + i] += s * gl;
            outR[from + i] += s * gr;
            pos += inc;
            e *= em;
            f -= fs;
        }
        envelope = e;
        fade = f;
        position = pos;
        return pos >= len;
    }

    private boolean renderStereoPitched(float[] outL, float[] outR, int from, int n) {
        final float[] dl = left;
        final float[] dr = right;
        final int len = frames;
        final double inc = increment;
        final float gl = gainLeft;
        final float gr = gainRight;
        final float em = envelopeMul;
        final float fs = fadeStep;
        double pos = position;
        float e = envelope;
        float f = fade;
        int i = 0;
        for (; i < n && pos < len; i++) {
            float a = e * f;
            outL[from + i] += hermite(dl, len, pos) * a * gl;
            outR[from + i] += hermite(dr, len, pos) * a * gr;
            pos += inc;
            e *= em;
            f -= fs;
        }
        envelope = e;
        fade = f;
        position = pos;
        return pos >= len;
    }

    /**
     * 4-point, 3rd-order Hermite interpolation at fractional position {@code pos}; samples outside
     * the sound read as silence, so the first output frame of a voice is exactly {@code d[0]}.
     */
    private static float hermite(float[] d, int len, double pos) {
        int i = (int) pos;
        float t = (float) (pos - i);
        float xm1 = i >= 1 ? d[i - 1] : 0f;
        float x0 = d[i];
        float x1 = i + 1 < len ? d[i + 1] : 0f;
        float x2 = i + 2 < len ? d[i + 2] : 0f;
        float c1 = 0.5f * (x1 - xm1);
        float c2 = xm1 - 2.5f * x0 + 2f * x1 - 0.5f * x2;
        float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
        return ((c3 * t + c2) * t + c1) * t + x0;
    }
}
