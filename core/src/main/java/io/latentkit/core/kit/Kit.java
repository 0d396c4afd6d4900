package io.latentkit.core.kit;

import io.latentkit.core.DrumClass;
import java.util.Objects;

/**
 * A playable kit: exactly {@link DrumClass#COUNT} pads, pad {@code i} holding class
 * {@code DrumClass.ofPad(i)}. Built complete on a loader thread, handed to the render thread by
 * reference inside a control event, swapped in at a block boundary, and handed back through the
 * engine's return ring when no voice plays it any more.
 *
 * <p>Threading: see {@link Pad}. The kit's identity fields are immutable.
 */
public final class Kit {
    private final String name;
    private final Pad[] pads;
    private final int sampleRateHz;

    public Kit(String name, int sampleRateHz, Pad... pads) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pads, "pads");
        if (pads.length != DrumClass.COUNT) {
            throw new IllegalArgumentException("a kit has " + DrumClass.COUNT + " pads, got " + pads.length);
        }
        for (int i = 0; i < pads.length; i++) {
            Objects.requireNonNull(pads[i], "pad " + i);
            if (pads[i].drumClass() != DrumClass.ofPad(i)) {
                throw new IllegalArgumentException("pad " + i + " must be " + DrumClass.ofPad(i).oscName()
                        + ", got " + pads[i].drumClass().oscName());
            }
            for (int l = 0; l < pads[i].layerCount(); l++) {
                VelocityLayer layer = pads[i].layer(l);
                for (int r = 0; r < layer.roundRobinCount(); r++) {
                    Strike strike = layer.strike(r);
                    for (int k = 0; k < strike.count(); k++) {
                        Sample s = strike.sample(k);
                        if (s.sampleRateHz() != sampleRateHz) {
                            throw new IllegalArgumentException("sample " + s.name() + " is at " + s.sampleRateHz()
                                    + " Hz, kit is at " + sampleRateHz + " Hz");
                        }
                    }
                }
            }
        }
        this.pads = pads.clone();
        this.sampleRateHz = sampleRateHz;
    }

    public String name() {
        return name;
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Pad by index 0..11; allocation-free. */
    public Pad pad(int index) {
        return pads[index];
    }

    public Pad pad(DrumClass c) {
        return pads[c.ordinal()];
    }

    /** Total bytes of audio in the kit. */
    public long bytes() {
        long b = 0;
        for (Pad p : pads) {
            b += p.bytes();
        }
        return b;
    }
}
