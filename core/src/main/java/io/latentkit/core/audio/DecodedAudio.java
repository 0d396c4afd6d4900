package io.latentkit.core.audio;

import io.latentkit.core.dsp.Resampler;
import io.latentkit.core.kit.Sample;
import java.util.Objects;

/**
 * Decoded sound at its file's own rate: one or two channels of float samples (full scale = 1).
 *
 * <p>Owns its arrays; treat as immutable once returned by {@link AudioDecoder}. Built and used on
 * a loader thread; may be handed to any thread after construction.
 */
public final class DecodedAudio {
    private final float[][] channels;
    private final int sampleRateHz;

    /** Takes ownership of {@code channels}: one or two arrays of equal length. */
    public DecodedAudio(float[][] channels, int sampleRateHz) {
        Objects.requireNonNull(channels, "channels");
        if (channels.length < 1 || channels.length > 2) {
            throw new IllegalArgumentException("one or two channels, got " + channels.length);
        }
        for (float[] c : channels) {
            Objects.requireNonNull(c, "channel");
            if (c.length != channels[0].length) {
                throw new IllegalArgumentException("channel lengths differ");
            }
        }
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRateHz);
        }
        this.channels = channels;
        this.sampleRateHz = sampleRateHz;
    }

    public int channelCount() {
        return channels.length;
    }

    /** Channel {@code c} (0 = left or mono). Do not write. */
    public float[] channel(int c) {
        return channels[c];
    }

    public int frames() {
        return channels[0].length;
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Length in seconds. */
    public double seconds() {
        return (double) frames() / sampleRateHz;
    }

    /**
     * This sound as an engine {@link Sample} at {@code engineRateHz}, band-limited resampled where
     * the rates differ. Loader thread (allocates, and resampling is CPU-heavy).
     */
    public Sample toSample(String name, int engineRateHz) {
        if (channels.length == 1) {
            return Sample.mono(name, Resampler.resample(channels[0], sampleRateHz, engineRateHz), engineRateHz);
        }
        return Sample.stereo(name, Resampler.resample(channels[0], sampleRateHz, engineRateHz),
                Resampler.resample(channels[1], sampleRateHz, engineRateHz), engineRateHz);
    }
}
