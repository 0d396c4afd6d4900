package io.latentkit.osc.testkit;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.osc.KitLoader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Tiny real kits and a real in-memory kit library for OSC tests. */
public final class TestKits {
    private TestKits() {
    }

    /** Amplitude of pad {@code i}'s one-sample click in {@link #clicks}: each pad is recognisable in the output. */
    public static float clickAmplitude(int pad, float scale) {
        return scale * (pad + 1) / 32f;
    }

    /** Pad {@code i} plays a single-sample click of {@link #clickAmplitude}, full gain at any velocity. */
    public static Kit clicks(String name, int sampleRateHz, float scale) {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            DrumClass c = DrumClass.ofPad(i);
            float[] x = new float[16];
            x[0] = clickAmplitude(i, scale);
            pads[i] = new Pad(c, VelocityLayer.of(Sample.mono(name + "/" + c.oscName(), x, sampleRateHz)));
            pads[i].set(PadParam.CURVE, 0f);
        }
        return new Kit(name, sampleRateHz, pads);
    }

    /** A kit library holding kits made on demand by name (on the engine's loader thread, as the real one). */
    public static KitLoader library(Map<String, Supplier<Kit>> kits) {
        Map<String, Supplier<Kit>> sorted = new TreeMap<>(kits);
        return new KitLoader() {
            @Override
            public Kit loadNow(String name) {
                Supplier<Kit> k = sorted.get(name);
                if (k == null) {
                    throw new IllegalArgumentException("no kit named '" + name + "' in the library");
                }
                return k.get();
            }

            @Override
            public List<String> list() {
                return List.copyOf(sorted.keySet());
            }
        };
    }
}
