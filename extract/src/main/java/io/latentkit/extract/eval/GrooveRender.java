package io.latentkit.extract.eval;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import java.util.List;
import java.util.Random;

/**
 * Renders a {@link Groove} through the real engine offline (the render code that plays live),
 * mono, then optionally adds a room (a synthetic reverb:
 * Schroeder's combs and all-passes, {@code rt60} seconds, mixed in at {@code wet}) and a noise floor (white noise at
 * {@code noiseDbfs}). Also gives each note's true onset: its frame plus the lead-in of the sample
 * it plays (the first sample at 5% of the sample's peak).
 *
 * <p>Stateless; the caller's thread (it owns the engine it makes).
 */
public final class GrooveRender {
    private GrooveRender() {
    }

    /**
     * How to dirty a render.
     *
     * <p>Immutable; any thread.
     *
     * @param noiseDbfs noise floor RMS in dBFS, or {@code null} for none
     * @param rt60Seconds reverb decay, or 0 for none
     * @param wet reverb level
     */
    public record Room(Double noiseDbfs, double rt60Seconds, double wet) {
        /** Dry and noiseless. */
        public static final Room DRY = new Room(null, 0, 0);
    }

    /** The groove through {@code kit}, mono at the kit's rate. */
    public static float[] render(Kit kit, Groove groove, Room room, long seed) {
        int rate = kit.sampleRateHz();
        Engine engine = Engine.create(EngineConfig.defaults().withSampleRateHz(rate), kit);
        int total = (int) groove.frames(rate);
        float[] out = new float[total];
        int chunk = rate / 2;
        int at = 0;
        int next = 0;
        List<Groove.Note> notes = groove.notes();
        while (at < total) {
            // Schedule what falls in the next chunk, then render it: the ring never holds more
            // than a chunk's hits.
            while (next < notes.size() && notes.get(next).frame() < at + chunk) {
                Groove.Note n = notes.get(next++);
                engine.proxy().trigger(n.drumClass().pad(), n.velocity(), n.frame());
            }
            float[][] lr = OfflineRender.render(engine, chunk);
            int n = Math.min(chunk, total - at);
            for (int i = 0; i < n; i++) {
                out[at + i] = 0.5f * (lr[0][i] + lr[1][i]);
            }
            at += lr[0].length;
        }
        engine.close();
        Random rnd = new Random(seed);
        if (room.rt60Seconds() > 0) {
            out = reverb(out, rate, room.rt60Seconds(), room.wet());
        }
        if (room.noiseDbfs() != null) {
            float g = (float) (Math.pow(10, room.noiseDbfs() / 20) * Math.sqrt(3));
            for (int i = 0; i < out.length; i++) {
                out[i] += g * (float) (2 * rnd.nextDouble() - 1);
            }
        }
        return out;
    }

    /**
     * Each note's true onset: its frame plus the lead-in of the velocity layer it plays (the
     * earliest, over the layer's alternatives, first sample at 5% of the sample's peak). Reads the
     * kit without playing it (no round-robin state moves).
     */
    public static long[] trueOnsets(Kit kit, Groove groove) {
        List<Groove.Note> notes = groove.notes();
        long[] out = new long[notes.size()];
        for (int i = 0; i < out.length; i++) {
            Groove.Note n = notes.get(i);
            out[i] = n.frame() + leadIn(kit.pad(n.drumClass()), n.velocity());
        }
        return out;
    }

    static int leadIn(Pad pad, float velocity) {
        VelocityLayer layer = null;
        float best = Float.MAX_VALUE;
        for (int l = 0; l < pad.layerCount(); l++) {
            VelocityLayer v = pad.layer(l);
            float d = velocity >= v.minVelocity() && velocity <= v.maxVelocity() ? 0f
                    : Math.min(Math.abs(v.minVelocity() - velocity), Math.abs(v.maxVelocity() - velocity));
            if (d < best) {
                best = d;
                layer = v;
            }
        }
        if (layer == null) {
            return 0;
        }
        int lead = Integer.MAX_VALUE;
        for (int r = 0; r < layer.roundRobinCount(); r++) {
            float[] x = layer.sample(r).left();
            float peak = 0;
            for (float v : x) {
                peak = Math.max(peak, Math.abs(v));
            }
            int i = 0;
            while (i < x.length && Math.abs(x[i]) < 0.05f * peak) {
                i++;
            }
            lead = Math.min(lead, i);
        }
        return lead == Integer.MAX_VALUE ? 0 : lead;
    }

    /**
     * Schroeder's reverberator: four feedback combs (29.7, 37.1, 41.1, 43.7 ms) whose gains give
     * the decay {@code rt60}, in parallel, then two all-passes (5.0 and 1.7 ms, gain 0.7); mixed
     * with the dry signal at {@code wet}.
     */
    private static float[] reverb(float[] x, int rate, double rt60, double wet) {
        double[] combMs = {29.7, 37.1, 41.1, 43.7};
        float[] sum = new float[x.length];
        for (double ms : combMs) {
            int d = (int) (ms * rate / 1000);
            float g = (float) Math.pow(10, -3.0 * d / (rt60 * rate));
            float[] buf = new float[d];
            int p = 0;
            for (int i = 0; i < x.length; i++) {
                float y = buf[p];
                buf[p] = x[i] + g * y;
                p = p + 1 == d ? 0 : p + 1;
                sum[i] += 0.25f * y;
            }
        }
        for (double ms : new double[] {5.0, 1.7}) {
            int d = (int) (ms * rate / 1000);
            float g = 0.7f;
            float[] buf = new float[d];
            int p = 0;
            for (int i = 0; i < sum.length; i++) {
                float delayed = buf[p];
                float in = sum[i] + g * delayed;
                buf[p] = in;
                sum[i] = delayed - g * in;
                p = p + 1 == d ? 0 : p + 1;
            }
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + (float) wet * sum[i];
        }
        return y;
    }
}
