package io.latentkit.core.kit;

import java.util.Objects;

/**
 * What one hit of a pad plays: one sample, or several that sound together (SFZ layers, such as
 * two microphones on one drum), each with its own pan offset, added to the pad's pan when the hit
 * starts. Gain and pitch of each sample are baked into it when the kit is built.
 *
 * <p>Immutable; any thread. Reading it is allocation-free.
 */
public final class Strike {
    private final Sample[] samples;
    private final float[] pans;

    /**
     * @param samples the samples that sound together (at least one)
     * @param pans each sample's pan offset, -2..2 (the sum with the pad's pan is clamped to -1..1)
     */
    public Strike(Sample[] samples, float[] pans) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(pans, "pans");
        if (samples.length == 0) {
            throw new IllegalArgumentException("a strike needs at least one sample");
        }
        if (pans.length != samples.length) {
            throw new IllegalArgumentException(samples.length + " samples but " + pans.length + " pans");
        }
        for (int i = 0; i < samples.length; i++) {
            Objects.requireNonNull(samples[i], "sample");
            if (!(pans[i] >= -2f && pans[i] <= 2f)) {
                throw new IllegalArgumentException("pan offset must be in -2..2: " + pans[i]);
            }
        }
        this.samples = samples.clone();
        this.pans = pans.clone();
    }

    /** One sample at the pad's own pan. */
    private Strike() {
        this.samples = new Sample[1];
        this.pans = new float[1];
    }

    /**
     * A one-sample strike whose sample a {@link Pad} sets with its live sample (never empty while
     * the pad hands it out). Package-private: only a pad's owner thread calls {@link #setLive}.
     */
    static Strike liveSlot() {
        return new Strike();
    }

    /** Sets a live slot's sample; allocation-free. The pad's owner thread. */
    void setLive(Sample s) {
        samples[0] = s;
    }

    public static Strike of(Sample sample) {
        return new Strike(new Sample[] {sample}, new float[] {0f});
    }

    /** How many samples sound together. */
    public int count() {
        return samples.length;
    }

    public Sample sample(int i) {
        return samples[i];
    }

    /** The pan offset of sample {@code i}. */
    public float pan(int i) {
        return pans[i];
    }
}
