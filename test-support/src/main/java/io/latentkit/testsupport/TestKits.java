package io.latentkit.testsupport;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import java.util.Arrays;
import java.util.function.IntFunction;

/** Kits with simple, analysable sounds for engine tests. */
public final class TestKits {
    private TestKits() {
    }

    /** A kit whose pad {@code i} plays {@code sounds.apply(i)} (mono). */
    public static Kit kit(int sampleRateHz, IntFunction<float[]> sounds) {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            DrumClass c = DrumClass.ofPad(i);
            pads[i] = new Pad(c, VelocityLayer.of(Sample.mono("test/" + c.oscName(), sounds.apply(i), sampleRateHz)));
            pads[i].set(PadParam.CURVE, 0f); // full gain at any velocity
        }
        return new Kit("test", sampleRateHz, pads);
    }

    /** {@code frames} frames of constant {@code value}. */
    public static float[] dc(int frames, float value) {
        float[] x = new float[frames];
        Arrays.fill(x, value);
        return x;
    }

    /** A sine starting at phase 0 (so its onset is smooth). */
    public static float[] sine(int frames, double hz, float amplitude, int sampleRateHz) {
        float[] x = new float[frames];
        for (int i = 0; i < frames; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / sampleRateHz));
        }
        return x;
    }
}
