package io.latentkit.core.kit;

import io.latentkit.core.DrumClass;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One pad of a kit: the velocity layers of one drum class and its playing parameters.
 *
 * <p>Choke: a hit of a pad in choke group {@code g > 0} fades every sounding voice that group
 * {@code g} turns off. By default a pad is turned off by its own group, its own earlier voices
 * included (a symmetric choke: closed and open hat in one group). A pad given an explicit
 * {@link #offBy(int) off-by group} is turned off only by hits of that group, and never by its own
 * hits (SFZ {@code group}/{@code off_by}: an open hat turned off by the closed and pedal hats'
 * group, without those choking each other).
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
    private Sample liveSample;
    /** The one-sample strike a hit plays while the pad has a live sample (its slot set with it). */
    private final Strike liveStrike = Strike.liveSlot();
    /** The group whose hits turn this pad's voices off, or -1: its own choke group, itself included. */
    private int offByGroup = -1;
    /** Per velocity layer: the next round-robin alternative. */
    private final int[] roundRobinPositions;
    /** xorshift64* state for random layers; seeded per class so offline renders repeat exactly. */
    private long randomState;

    public Pad(DrumClass drumClass, VelocityLayer... layers) {
        this.drumClass = Objects.requireNonNull(drumClass, "drumClass");
        Objects.requireNonNull(layers, "layers");
        for (VelocityLayer l : layers) {
            Objects.requireNonNull(l, "layer");
        }
        this.layers = layers.clone();
        this.roundRobinPositions = new int[layers.length];
        this.randomState = 0x9E3779B97F4A7C15L * (drumClass.ordinal() + 1);
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
        liveStrike.setLive(s);
        return old;
    }

    public int layerCount() {
        return layers.length;
    }

    public VelocityLayer layer(int i) {
        return layers[i];
    }

    /**
     * The first sample of the strike a hit of this velocity plays (advancing the pad's round-robin
     * or random state, as {@link #strike} does); {@code null} if the pad has no layer for it.
     * Render thread (after handoff); allocation-free.
     */
    public Sample pick(float velocity) {
        Strike s = strike(velocity);
        return s == null ? null : s.sample(0);
    }

    /**
     * What a hit of this velocity plays, advancing the chosen layer's round-robin position or
     * drawing its random alternative; {@code null} if the pad has no layer. Each velocity layer
     * keeps its own round-robin position (as SFZ sequences do). Render thread (after handoff);
     * allocation-free.
     */
    public Strike strike(float velocity) {
        if (liveSample != null) {
            return liveStrike;
        }
        int chosen = -1;
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].covers(velocity)) {
                chosen = i;
                break;
            }
        }
        if (chosen < 0) {
            // A velocity between layers (or outside all of them) plays the nearest layer rather
            // than nothing: a performer hears every hit.
            float best = Float.MAX_VALUE;
            for (int i = 0; i < layers.length; i++) {
                VelocityLayer l = layers[i];
                float d = Math.min(Math.abs(l.minVelocity() - velocity), Math.abs(l.maxVelocity() - velocity));
                if (d < best) {
                    best = d;
                    chosen = i;
                }
            }
            if (chosen < 0) {
                return null;
            }
        }
        VelocityLayer layer = layers[chosen];
        if (layer.isRandom()) {
            return layer.strikeAt(nextRandom());
        }
        int n = layer.roundRobinCount();
        int position = roundRobinPositions[chosen];
        roundRobinPositions[chosen] = position + 1 >= n ? 0 : position + 1;
        return layer.strike(position < n ? position : 0);
    }

    /** A uniform draw in [0, 1) from the pad's xorshift64* generator. */
    private float nextRandom() {
        long x = randomState;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        randomState = x;
        return ((x * 0x2545F4914F6CDD1DL) >>> 40) * 0x1.0p-24f;
    }

    /**
     * Makes this pad's voices stop only when a pad of {@code group} is hit (0: never), not when
     * this pad itself is hit again; {@code -1} restores the symmetric choke. Loader thread, before
     * handoff.
     */
    public void offBy(int group) {
        if (group < -1 || group > (int) PadParam.CHOKE.max()) {
            throw new IllegalArgumentException("off-by group must be -1..16: " + group);
        }
        offByGroup = group;
    }

    /** The group whose hits turn this pad's voices off (0: none). */
    public int offByGroup() {
        return offByGroup < 0 ? chokeGroup : offByGroup;
    }

    /** Whether this pad's own hits fade its earlier voices (the symmetric choke). */
    public boolean chokesItself() {
        return offByGroup < 0;
    }

    /** Sets a parameter, clamped into its range. */
    public void set(PadParam param, float value) {
        float v = param.clamp(value);
        switch (param) {
            case GAIN -> gain = v;
            case PITCH -> pitchSemitones = v;
            case DECAY -> decaySeconds = v;
            case PAN -> pan = v;
            case CHOKE -> chokeGroup = (int) v;
            case CURVE -> velocityCurve = v;
            case MUTE -> muted = v >= 0.5f;
            default -> throw new IllegalArgumentException("unknown parameter " + param);
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

    /** Total bytes of audio in this pad's layers and live sample, each sample counted once. */
    public long bytes() {
        Map<Sample, Boolean> seen = new IdentityHashMap<>();
        long b = liveSample == null ? 0 : liveSample.bytes();
        for (VelocityLayer l : layers) {
            for (int i = 0; i < l.roundRobinCount(); i++) {
                Strike s = l.strike(i);
                for (int k = 0; k < s.count(); k++) {
                    if (seen.put(s.sample(k), Boolean.TRUE) == null) {
                        b += s.sample(k).bytes();
                    }
                }
            }
        }
        return b;
    }
}
