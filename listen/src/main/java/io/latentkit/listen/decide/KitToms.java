package io.latentkit.listen.decide;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.Resampler;
import io.latentkit.core.dsp.TomRanker;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.listen.onset.StreamingOnsetDetector;

/**
 * Sizes one tom heard on its own against the toms of the current kit: the drum classifier says
 * only "tom", and which tom is a matter of the kit ({@link TomRanker}, the ranking kit import,
 * extraction and {@code classify --kit} use). The hit's pitch is measured on the listen window;
 * each tom pad's pitch (loudest layer) on the clip listen mode would cut from it were it heard
 * (same detector, same pre-roll, same window), so that both are measured alike; the hit goes to
 * the pad whose pitch is nearest in octaves. With no tom pad in
 * the kit, or no kit known yet, a tom is the mid tom.
 *
 * <p>Not thread-safe: the listen thread (or the offline caller) owns it. {@link #pad} allocates
 * nothing; {@link #kit} measures the kit's pads when the kit changes (three FFTs).
 */
public final class KitToms {
    private static final DrumClass[] TOMS = {DrumClass.TOM_LOW, DrumClass.TOM_MID, DrumClass.TOM_HIGH};

    private final TomRanker hits;
    private final int windowFrames;
    private final int prerollFrames;
    private final StreamingOnsetDetector.Params onset;
    private final double[] reference = {Double.NaN, Double.NaN, Double.NaN};
    private Kit kit;

    /**
     * @param sampleRateHz the rate of the hits to size
     * @param prerollFrames frames of a clip before its onset
     * @param windowFrames frames of a clip from its onset
     * @param onset the detector settings that find the hits' onsets
     */
    public KitToms(int sampleRateHz, int prerollFrames, int windowFrames, StreamingOnsetDetector.Params onset) {
        this.hits = new TomRanker(sampleRateHz);
        this.prerollFrames = prerollFrames;
        this.windowFrames = windowFrames;
        this.onset = onset;
    }

    /** Measures the tom pads of {@code current} if it is not the kit measured last. */
    public void kit(Kit current) {
        if (current == null || current == kit) {
            return;
        }
        kit = current;
        int rate = hits.sampleRateHz();
        for (int i = 0; i < TOMS.length; i++) {
            Pad p = current.pad(TOMS[i]);
            reference[i] = p.isEmpty() ? Double.NaN : asHeard(p.pick(1f).left(), current.sampleRateHz(), rate);
        }
    }

    /**
     * The pitch of a sample as listen mode would measure it were it heard: at the hits' rate, from
     * where the streaming detector finds its onset (late by some milliseconds, which moves the
     * pitch of a tom that glides), over one clip.
     */
    private double asHeard(float[] sample, int sampleRateHz, int rate) {
        float[] s = sampleRateHz == rate ? sample : Resampler.resample(sample, sampleRateHz, rate);
        int lead = rate / 4;
        float[] x = new float[lead + s.length + rate / 4];
        System.arraycopy(s, 0, x, lead, s.length);
        long[] onsets = StreamingOnsetDetector.detectAll(x, rate, onset, 1f);
        int at = onsets.length > 0 ? (int) onsets[0] : lead;
        int from = Math.max(0, at - prerollFrames);
        return hits.pitchHz(x, from, Math.min(x.length, at + windowFrames));
    }

    /** The kit last measured, or null. */
    public Kit kit() {
        return kit;
    }

    /** The tom pad for the hit in {@code clip[from, to)}. Allocation-free. */
    public int pad(float[] clip, int from, int to) {
        return TomRanker.sizeAgainst(hits.pitchHz(clip, from, to), reference[0], reference[1], reference[2]).pad().pad();
    }
}
