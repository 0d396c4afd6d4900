package io.latentkit.core.kit;

import io.latentkit.core.DrumClass;
import java.util.Objects;

/**
 * One pad of a kit: the velocity layers of one drum class and its playing parameters.
 *
 * <p>Threading: built and configured on a loader thread; after the kit is handed to the engine the
 * render thread is the only writer and reader of its parameters and round-robin position (the
 * handoff through the control ring publishes every field safely). Read the parameters from other
 * threads only before handoff.
 *
 * <p>A pad may also hold a <em>live sample</em> (a latent pad's current decode) that replaces its
 * layers until it is taken away: it can be swapped at a block boundary without rebuilding the kit.
 * Same threading as the parameters.
 */
public final class Pad {
    private final DrumClass drumClass;
    private final VelocityLayer[] layers;
    private float gain = 1f;
    private float pitchSemitones;
    private float decaySeconds;
    private float pan;
    private int chokeGroup;
    private float velocityCurve = 2f;
    private boolean muted;
    private int roundRobinPosition;
    private Sample liveSample;

    public Pad(DrumClass drumClass, VelocityLayer... layers) {
        this.drumClass = Objects.requireNonNull(drumClass, "drumClass");
        Objects.requireNonNull(layers, "layers");
        for (VelocityLayer l : layers) {
            Objects.requireNonNull(l, "layer");
        }
        this.layers = layers.clone();
    }

    public DrumClass drumClass() {
        return drumClass;
    }

    /** Whether a hit plays nothing: no layers and no live sample. */
    public boolean isEmpty() {
        return layers.length == 0 && liveSample == null;
    }

    /** The live sample that replaces the layers (a latent pad's sound), or {@code null}. */
    public Sample liveSample() {
        return liveSample;
    }

    /**
     * Sets the live sample ({@code null}: back to the layers) and returns the one it replaced.
     * Voices already sounding keep the sample they started with. Before handoff the building
     * thread, after it the render thread; allocation-free.
     */
    public Sample swapLiveSample(Sample s) {
        Sample old = liveSample;
        liveSample = s;
        return old;
    }

    public int layerCount() {
        return layers.length;
    }

    public VelocityLayer layer(int i) {
        return layers[i];
    }

    /**
     * The sample a hit of this velocity plays, advancing the round-robin position; {@code null} if
     * the pad has no layer for it. Render thread (after handoff); allocation-free.
     */
    public Sample pick(float velocity) {
        if (liveSample != null) {
            return liveSample;
        }
        VelocityLayer chosen = null;
        for (VelocityLayer l : layers) {
            if (l.covers(velocity)) {
                chosen = l;
                break;
            }
        }
        if (chosen == null) {
            // A velocity between layers (or outside all of them) plays the nearest layer rather
            // than nothing: a performer hears every hit.
            float best = Float.MAX_VALUE;
            for (VelocityLayer l : layers) {
                float d = Math.min(Math.abs(l.minVelocity() - velocity), Math.abs(l.maxVelocity() - velocity));
                if (d < best) {
                    best = d;
                    chosen = l;
                }
            }
            if (chosen == null) {
                return null;
            }
        }
        int n = chosen.roundRobinCount();
        int i = roundRobinPosition++ % n;
        if (roundRobinPosition >= 1 << 30) {
            roundRobinPosition = 0;
        }
        return chosen.sample(i);
    }

    /** Sets a parameter, clamped into its range. */
    public void set(PadParam param, float value) {
        float v = param.clamp(value);
        switch (param) {
            case GAIN: gain = v; break;
            case PITCH: pitchSemitones = v; break;
            case DECAY: decaySeconds = v; break;
            case PAN: pan = v; break;
            case CHOKE: chokeGroup = (int) v; break;
            case CURVE: velocityCurve = v; break;
            case MUTE: muted = v >= 0.5f; break;
            default: throw new IllegalArgumentException("unknown parameter " + param);
        }
    }

    /** Current value of a parameter, in the units {@link PadParam} documents. */
    public float get(PadParam param) {
        switch (param) {
            case GAIN: return gain;
            case PITCH: return pitchSemitones;
            case DECAY: return decaySeconds;
            case PAN: return pan;
            case CHOKE: return chokeGroup;
            case CURVE: return velocityCurve;
            case MUTE: return muted ? 1f : 0f;
            default: throw new IllegalArgumentException("unknown parameter " + param);
        }
    }

    public float gain() {
        return gain;
    }

    public float pitchSemitones() {
        return pitchSemitones;
    }

    public float decaySeconds() {
        return decaySeconds;
    }

    public float pan() {
        return pan;
    }

    public int chokeGroup() {
        return chokeGroup;
    }

    public float velocityCurve() {
        return velocityCurve;
    }

    public boolean isMuted() {
        return muted;
    }

    /** Total bytes of audio in this pad's layers and live sample. */
    public long bytes() {
        long b = liveSample == null ? 0 : liveSample.bytes();
        for (VelocityLayer l : layers) {
            for (int i = 0; i < l.roundRobinCount(); i++) {
                b += l.sample(i).bytes();
            }
        }
        return b;
    }
}
