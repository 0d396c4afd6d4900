package io.latentkit.server.demo;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.EngineProxy;

/**
 * The demo's one-bar groove: sixteen steps on all twelve pads, played for a number of bars at one
 * tempo and then at another. Each step is published with its exact frame, so the render is
 * sample-accurate and deterministic.
 *
 * <p>Immutable; any thread (publishing goes through the proxy, which any thread may use).
 */
public final class Groove {
    /** Velocity per pad per step (0 = rest): one row per {@link DrumClass}, sixteen steps. */
    private static final float[][] STEPS = new float[DrumClass.COUNT][];

    static {
        row(DrumClass.KICK,         "9...  ..7.  9...  ..6.");
        row(DrumClass.SNARE,        "....  9...  ....  9..5");
        row(DrumClass.RIM,          "..4.  ....  ..4.  .4..");
        row(DrumClass.CLAP,         "....  ....  ....  8...");
        row(DrumClass.HIHAT_CLOSED, "7.5.  7.5.  7.5.  7...");
        row(DrumClass.HIHAT_OPEN,   "....  ....  ....  ..6.");
        row(DrumClass.TOM_LOW,      "....  ....  ....  ...7");
        row(DrumClass.TOM_MID,      "....  ....  ...6  ....");
        row(DrumClass.TOM_HIGH,     "....  ....  ..6.  ....");
        row(DrumClass.CRASH,        "8...  ....  ....  ....");
        row(DrumClass.RIDE,         "....  5.5.  ....  ....");
        row(DrumClass.PERC,         ".5..  ..5.  .5..  ....");
    }

    private static void row(DrumClass c, String pattern) {
        String p = pattern.replace(" ", "");
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            char ch = p.charAt(i);
            v[i] = ch == '.' ? 0f : (ch - '0') / 9f;
        }
        STEPS[c.ordinal()] = v;
    }

    private Groove() {
    }

    /**
     * Publishes {@code bars} bars at {@code bpm} starting at {@code startFrame}; sets the tempo
     * there too. Returns the frame just after the last bar.
     */
    public static long publish(EngineProxy proxy, long startFrame, int bars, double bpm, int sampleRateHz) {
        proxy.setTempo((float) bpm, startFrame);
        double framesPerStep = 60.0 * sampleRateHz / bpm / 4.0;
        for (int bar = 0; bar < bars; bar++) {
            for (int step = 0; step < 16; step++) {
                long at = startFrame + Math.round((bar * 16 + step) * framesPerStep);
                for (int pad = 0; pad < DrumClass.COUNT; pad++) {
                    float v = STEPS[pad][step];
                    if (v > 0f) {
                        publishOrFail(proxy.trigger(pad, v, at));
                    }
                }
            }
        }
        return startFrame + Math.round(bars * 16 * framesPerStep);
    }

    private static void publishOrFail(boolean published) {
        if (!published) {
            // The demo publishes a few hundred events into an 8192-slot ring before rendering.
            throw new IllegalStateException("control ring full while scripting the demo");
        }
    }
}
