package io.latentkit.core.kit;

import io.latentkit.core.DrumClass;
import java.util.SplittableRandom;

/**
 * The built-in kit: twelve drum sounds synthesized at start-up, so the server plays with no files
 * at all. Each sound follows the classic analogue recipe of its class (a pitch-swept sine kick, a
 * tone-plus-noise snare, six detuned square waves for metallic hats and cymbals) and every random
 * source is seeded, so the kit is identical on every run.
 *
 * <p>Threading: any thread (a loader thread at start-up); every call builds a fresh kit.
 */
public final class DefaultKit {
    /** Classic 808 cymbal oscillator frequencies: inharmonic square waves give the metallic ring. */
    private static final double[] METAL_HZ = {205.3, 304.4, 369.6, 522.7, 540.0, 800.0};

    private DefaultKit() {
    }

    /** Synthesizes the kit at {@code sampleRateHz}. The hi-hats share choke group 1. */
    public static Kit create(int sampleRateHz) {
        int sr = sampleRateHz;
        Pad[] pads = new Pad[DrumClass.COUNT];
        pads[DrumClass.KICK.pad()] = pad(DrumClass.KICK, kick(sr), sr);
        pads[DrumClass.SNARE.pad()] = pad(DrumClass.SNARE, snare(sr), sr);
        pads[DrumClass.RIM.pad()] = pad(DrumClass.RIM, rim(sr), sr);
        pads[DrumClass.CLAP.pad()] = pad(DrumClass.CLAP, clap(sr), sr);
        pads[DrumClass.HIHAT_CLOSED.pad()] = pad(DrumClass.HIHAT_CLOSED, hat(sr, 0.045, 11), sr);
        pads[DrumClass.HIHAT_OPEN.pad()] = pad(DrumClass.HIHAT_OPEN, hat(sr, 0.45, 12), sr);
        pads[DrumClass.TOM_LOW.pad()] = pad(DrumClass.TOM_LOW, tom(sr, 70, 0.55, 21), sr);
        pads[DrumClass.TOM_MID.pad()] = pad(DrumClass.TOM_MID, tom(sr, 98, 0.45, 22), sr);
        pads[DrumClass.TOM_HIGH.pad()] = pad(DrumClass.TOM_HIGH, tom(sr, 135, 0.38, 23), sr);
        pads[DrumClass.CRASH.pad()] = pad(DrumClass.CRASH, crash(sr), sr);
        pads[DrumClass.RIDE.pad()] = pad(DrumClass.RIDE, ride(sr), sr);
        pads[DrumClass.PERC.pad()] = pad(DrumClass.PERC, cowbell(sr), sr);
        pads[DrumClass.HIHAT_CLOSED.pad()].set(PadParam.CHOKE, 1);
        pads[DrumClass.HIHAT_OPEN.pad()].set(PadParam.CHOKE, 1);
        return new Kit("default", sr, pads);
    }

    private static Pad pad(DrumClass c, float[] audio, int sr) {
        return new Pad(c, VelocityLayer.of(Sample.mono("default/" + c.oscName(), audio, sr)));
    }

    static float[] kick(int sr) {
        int n = (int) (0.6 * sr);
        float[] out = new float[n];
        double phase = 0;
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            // Pitch falls from 160 Hz to 48 Hz in the first 60 ms: the "thump".
            double f = 48 + 112 * Math.exp(-t / 0.025);
            phase += 2 * Math.PI * f / sr;
            double body = Math.cos(phase) * Math.exp(-t / 0.16);
            double click = (rnd.nextDouble() * 2 - 1) * Math.exp(-t / 0.0015) * 0.35;
            out[i] = (float) (0.95 * Math.tanh(1.4 * (body + click)));
        }
        return out;
    }

    static float[] snare(int sr) {
        int n = (int) (0.35 * sr);
        float[] out = new float[n];
        float[] noise = bandNoise(n, sr, 1800, 0.7, 2);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double tone = (Math.cos(2 * Math.PI * 185 * t) + 0.6 * Math.cos(2 * Math.PI * 330 * t)) * Math.exp(-t / 0.04);
            double rattle = noise[i] * Math.exp(-t / 0.075) * 2.2;
            out[i] = (float) (0.55 * tone + 0.6 * rattle);
        }
        return normalize(out, 0.9f);
    }

    static float[] rim(int sr) {
        int n = (int) (0.08 * sr);
        float[] out = new float[n];
        float[] noise = bandNoise(n, sr, 2500, 0.8, 3);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double tone = (Math.cos(2 * Math.PI * 330 * t) + 0.5 * Math.cos(2 * Math.PI * 910 * t)) * Math.exp(-t / 0.01);
            out[i] = (float) (0.5 * tone + 1.4 * noise[i] * Math.exp(-t / 0.012));
        }
        return normalize(out, 0.8f);
    }

    static float[] clap(int sr) {
        int n = (int) (0.4 * sr);
        float[] out = new float[n];
        float[] noise = bandNoise(n, sr, 1200, 0.6, 4);
        // Four hands a few milliseconds apart, then the room's tail.
        double[] onsets = {0.0, 0.011, 0.021, 0.032};
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double env = 0;
            for (double o : onsets) {
                if (t >= o) {
                    env += Math.exp(-(t - o) / 0.006);
                }
            }
            if (t >= 0.032) {
                env += 0.5 * Math.exp(-(t - 0.032) / 0.11);
            }
            out[i] = (float) (noise[i] * env);
        }
        return normalize(out, 0.85f);
    }

    static float[] hat(int sr, double decaySeconds, long seed) {
        int n = (int) ((decaySeconds * 7 + 0.02) * sr);
        float[] metal = metal(n, sr, 1.0);
        float[] noise = whiteNoise(n, seed);
        float[] mix = new float[n];
        for (int i = 0; i < n; i++) {
            mix[i] = 0.7f * metal[i] + 0.3f * noise[i];
        }
        float[] bright = highPass(highPass(mix, sr, 7000), sr, 7000);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            bright[i] *= (float) (Math.exp(-t / decaySeconds) * Math.min(1.0, 0.3 + t / 0.0005));
        }
        return normalize(bright, 0.7f);
    }

    static float[] tom(int sr, double hz, double decay, long seed) {
        int n = (int) (decay * 5 * sr);
        float[] out = new float[n];
        float[] noise = bandNoise(n, sr, hz * 4, 0.8, seed);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double f = hz * (1 + 0.35 * Math.exp(-t / 0.05));
            phase += 2 * Math.PI * f / sr;
            double body = Math.cos(phase) * Math.exp(-t / decay);
            out[i] = (float) (body + 0.08 * noise[i] * Math.exp(-t / 0.008));
        }
        return normalize(out, 0.85f);
    }

    static float[] crash(int sr) {
        int n = (int) (3.5 * sr);
        float[] metal = metal(n, sr, 1.43);
        float[] noise = whiteNoise(n, 31);
        float[] mix = new float[n];
        for (int i = 0; i < n; i++) {
            mix[i] = 0.3f * metal[i] + 0.7f * noise[i];
        }
        float[] bright = highPass(mix, sr, 3000);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            bright[i] *= (float) (Math.exp(-t / 0.9) * Math.min(1.0, 0.6 + t / 0.01));
        }
        return normalize(bright, 0.75f);
    }

    static float[] ride(int sr) {
        int n = (int) (2.0 * sr);
        float[] metal = metal(n, sr, 2.1);
        float[] noise = whiteNoise(n, 41);
        float[] mix = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            // The bell: a clear partial on top of the wash.
            double bell = (Math.cos(2 * Math.PI * 2950 * t) + 0.6 * Math.cos(2 * Math.PI * 4420 * t)
                    + 0.4 * Math.cos(2 * Math.PI * 5310 * t)) * Math.exp(-t / 0.9);
            mix[i] = (float) (0.3 * metal[i] + 0.05 * noise[i] + 0.65 * bell);
        }
        float[] bright = highPass(mix, sr, 2500);
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            bright[i] *= (float) (Math.exp(-t / 1.2) * Math.min(1.0, 0.5 + t / 0.001));
        }
        return normalize(bright, 0.6f);
    }

    static float[] cowbell(int sr) {
        int n = (int) (0.4 * sr);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double s = square(540 * t) + square(800 * t);
            double env = 0.6 * Math.exp(-t / 0.012) + 0.4 * Math.exp(-t / 0.09);
            out[i] = (float) (s * env);
        }
        float[] banded = highPass(lowPass(out, sr, 2800), sr, 400);
        return normalize(banded, 0.75f);
    }

    /** Six inharmonic square waves, {@code scale} times the 808 set. */
    private static float[] metal(int n, int sr, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double s = 0;
            for (double hz : METAL_HZ) {
                s += square(hz * scale * t + hz * 0.001);
            }
            out[i] = (float) (s / METAL_HZ.length);
        }
        return out;
    }

    /** A square wave of phase in cycles. */
    private static double square(double cycles) {
        return (cycles - Math.floor(cycles)) < 0.5 ? 1.0 : -1.0;
    }

    private static float[] whiteNoise(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return out;
    }

    /** White noise through a band-pass biquad (RBJ cookbook, constant 0 dB peak gain). */
    private static float[] bandNoise(int n, int sr, double hz, double q, long seed) {
        float[] x = whiteNoise(n, seed);
        double w = 2 * Math.PI * Math.min(hz, sr * 0.45) / sr;
        double alpha = Math.sin(w) / (2 * q);
        double a0 = 1 + alpha;
        return biquad(x, alpha / a0, 0, -alpha / a0, -2 * Math.cos(w) / a0, (1 - alpha) / a0);
    }

    private static float[] highPass(float[] x, int sr, double hz) {
        double w = 2 * Math.PI * Math.min(hz, sr * 0.45) / sr;
        double alpha = Math.sin(w) / (2 * 0.7071);
        double c = Math.cos(w);
        double a0 = 1 + alpha;
        return biquad(x, (1 + c) / 2 / a0, -(1 + c) / a0, (1 + c) / 2 / a0, -2 * c / a0, (1 - alpha) / a0);
    }

    private static float[] lowPass(float[] x, int sr, double hz) {
        double w = 2 * Math.PI * Math.min(hz, sr * 0.45) / sr;
        double alpha = Math.sin(w) / (2 * 0.7071);
        double c = Math.cos(w);
        double a0 = 1 + alpha;
        return biquad(x, (1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, -2 * c / a0, (1 - alpha) / a0);
    }

    private static float[] biquad(float[] x, double b0, double b1, double b2, double a1, double a2) {
        float[] y = new float[x.length];
        double x1 = 0;
        double x2 = 0;
        double y1 = 0;
        double y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double v = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = v;
            y[i] = (float) v;
        }
        return y;
    }

    private static float[] normalize(float[] x, float peak) {
        float max = 0f;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        if (max > 0f) {
            float g = peak / max;
            for (int i = 0; i < x.length; i++) {
                x[i] *= g;
            }
        }
        return x;
    }
}
