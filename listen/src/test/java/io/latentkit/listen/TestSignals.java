package io.latentkit.listen;

import java.util.Random;

/** Signals the listen tests play in: drum-like hits at known frames, noise, silence. */
public final class TestSignals {
    public static final int RATE = ListenConfig.INPUT_RATE_HZ;

    private TestSignals() {
    }

    /** A noise burst with a 1 ms attack and an exponential decay (time constant {@code decayMs}). */
    public static float[] burst(int frames, float peak, double decayMs, long seed) {
        Random r = new Random(seed);
        float[] x = new float[frames];
        double attack = RATE / 1000.0;
        for (int i = 0; i < frames; i++) {
            double env = Math.min(1.0, (i + 1) / attack) * Math.exp(-i / (decayMs * RATE / 1000.0));
            x[i] = (float) (peak * env * (r.nextDouble() * 2 - 1));
        }
        return fadeOut(x);
    }

    /** A pitched thump: a sine gliding from {@code fromHz} down to {@code toHz}, decaying. */
    public static float[] thump(int frames, float peak, double fromHz, double toHz, double decayMs) {
        float[] x = new float[frames];
        double phase = 0;
        for (int i = 0; i < frames; i++) {
            double hz = toHz + (fromHz - toHz) * Math.exp(-i / (0.02 * RATE));
            phase += 2 * Math.PI * hz / RATE;
            double env = Math.min(1.0, (i + 1) / (RATE / 2000.0)) * Math.exp(-i / (decayMs * RATE / 1000.0));
            x[i] = (float) (peak * env * Math.sin(phase));
        }
        return fadeOut(x);
    }

    /** The last 10 ms faded out, so a sound ends without a click. */
    static float[] fadeOut(float[] x) {
        int n = Math.min(x.length, RATE / 100);
        for (int i = 0; i < n; i++) {
            x[x.length - 1 - i] *= i / (float) n;
        }
        return x;
    }

    /** {@code sound} placed at each frame of {@code at} (mixed) in {@code frames} of silence. */
    public static float[] place(int frames, float[] sound, long... at) {
        float[] x = new float[frames];
        for (long a : at) {
            for (int i = 0; i < sound.length && a + i < frames; i++) {
                x[(int) (a + i)] += sound[i];
            }
        }
        return x;
    }

    /** Adds {@code src} into {@code dst} at frame {@code at}. */
    public static void mix(float[] dst, float[] src, long at) {
        for (int i = 0; i < src.length && at + i < dst.length; i++) {
            dst[(int) (at + i)] += src[i];
        }
    }

    /** White noise of the given RMS. */
    public static float[] whiteNoise(int frames, double rms, long seed) {
        Random r = new Random(seed);
        float[] x = new float[frames];
        for (int i = 0; i < frames; i++) {
            x[i] = (float) (rms * r.nextGaussian());
        }
        return x;
    }

    /** Brown (integrated, leaky) noise of about the given RMS: a rumble, like traffic or a fan. */
    public static float[] brownNoise(int frames, double rms, long seed) {
        Random r = new Random(seed);
        float[] x = new float[frames];
        double y = 0;
        double e = 0;
        for (int i = 0; i < frames; i++) {
            y = 0.995 * y + r.nextGaussian();
            x[i] = (float) y;
            e += y * y;
        }
        double g = rms / Math.sqrt(e / frames);
        for (int i = 0; i < frames; i++) {
            x[i] *= (float) g;
        }
        return x;
    }

    /**
     * A room getting noisy, not a noise switched on (that would be an onset, rightly): over a
     * microphone's own floor (-80 dBFS), a hiss (-30 dBFS RMS) rises by 40 dB in a second and a half,
     * then crossfades over a second, from 2 s, into a rumble (brown noise, -20 dBFS RMS); 5 s in all.
     */
    public static float[] roomGettingNoisy() {
        float[] noise = whiteNoise(RATE * 3, 0.03, 21);
        float[] rumble = brownNoise(RATE * 3, 0.1, 22);
        float[] floor = whiteNoise(noise.length + rumble.length, 0.0001, 23);
        float[] x = new float[noise.length + rumble.length - RATE];
        for (int i = 0; i < x.length; i++) {
            float in = (float) Math.pow(10, Math.min(0.0, (i - 1.5 * RATE) / (1.5 * RATE)) * 2);
            float cross = Math.max(0f, Math.min(1f, (i - (noise.length - RATE)) / (float) RATE));
            float a = i < noise.length ? noise[i] : 0f;
            int j = i - (noise.length - RATE);
            float b = j >= 0 ? rumble[j] : 0f;
            x[i] = floor[i] + in * ((1 - cross) * a + cross * b);
        }
        return x;
    }
}
