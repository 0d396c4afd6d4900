package io.latentkit.extract;

import io.latentkit.core.dsp.FastMath;
import io.latentkit.core.dsp.MelFilterbank;
import io.latentkit.core.dsp.OnsetDetector;
import io.latentkit.models.FeatureSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The models' input (log-mel, band-major, {@code melBands x clipFrames}) of every hit of a
 * recording, taken from the one STFT the onset detector made of the whole recording rather than
 * from an STFT per hit: the recording's mel spectrogram is computed once, and a hit's log-mel is
 * its frames, from the frame nearest to where {@code ClipPreparer} would start the clip (the first
 * sample at 5% of the peak, less the pre-roll), scaled by the clip's peak (the clip is
 * peak-normalised; the mel bands are linear in the magnitudes), with the frames after the cut at
 * the floor. It differs from {@code ClipPreparer}'s in that the clip start moves by up to half a
 * hop (2.7 ms) to the frame grid, the first two frames see what precedes the start and the frame
 * at the cut sees half a window of what follows; the end fade is not applied.
 *
 * <p>Not thread-safe (scratch); one instance per extracting thread.
 */
public final class HitFeatures {
    private final FeatureSpec spec;
    private final MelFilterbank bank;
    private final List<float[]> mels = new ArrayList<>();
    private final List<float[]> signals = new ArrayList<>();
    private final List<Integer> frameCounts = new ArrayList<>();
    private final float lnFloor;

    public HitFeatures(FeatureSpec spec) {
        if (spec.nFft() != OnsetDetector.N_FFT || spec.hop() != OnsetDetector.HOP) {
            throw new IllegalArgumentException("the models' STFT (" + spec.nFft() + "/" + spec.hop()
                    + ") is not the onset detector's (" + OnsetDetector.N_FFT + "/" + OnsetDetector.HOP + ")");
        }
        this.spec = spec;
        this.bank = new MelFilterbank(spec.sampleRateHz(), spec.nFft(), spec.melBands());
        this.lnFloor = (float) Math.log(spec.logFloor());
    }

    /**
     * Adds the next recording (its index is the number added before it) from its magnitude
     * spectrogram (frame-major, {@code frames x bins}), which is not kept: only its mel bands
     * ({@code melBands x frames}).
     */
    public void add(float[] samples, float[] magnitude, int frameCount) {
        float[] mel = new float[spec.melBands() * frameCount];
        bank.apply(magnitude, frameCount, mel);
        mels.add(mel);
        signals.add(samples);
        frameCounts.add(frameCount);
    }

    /** Adds a recording with no spectrogram (silent or too short): it has no hits. */
    public void addEmpty(float[] samples) {
        mels.add(new float[0]);
        signals.add(samples);
        frameCounts.add(0);
    }

    /** Floats in one hit's log-mel. */
    public int size() {
        return spec.melBands() * spec.clipFrames();
    }

    /**
     * Writes the log-mel of {@code hit} into {@code out} ({@link #size()} floats) and sets its
     * clip start; returns {@code false} (writing nothing) for a silent cut.
     */
    public boolean logMel(Hit hit, float[] out) {
        final float[] x = signals.get(hit.recording);
        final float[] mel = mels.get(hit.recording);
        final int frames = frameCounts.get(hit.recording);
        final int hop = spec.hop();
        float peak = 0f;
        for (int i = hit.onset; i < hit.end; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        if (!(peak > 1e-4f)) {
            return false;
        }
        int first = hit.onset;
        float threshold = spec.onsetFraction() * peak;
        while (first < hit.end && Math.abs(x[first]) < threshold) {
            first++;
        }
        int start = Math.max(hit.onset, first - spec.prerollSamples());
        hit.start = start;
        int clipEnd = Math.min(hit.end, start + spec.clipSamples());
        float clipPeak = 0f;
        for (int i = start; i < clipEnd; i++) {
            clipPeak = Math.max(clipPeak, Math.abs(x[i]));
        }
        final float inv = 1f / clipPeak;
        final float floor = spec.logFloor();
        final int f0 = (start + hop / 2) / hop;
        final int clipFrames = spec.clipFrames();
        // Frames whose centre lies after the cut see (in the clip) only zeros: the floor.
        int live = Math.max(0, Math.min(clipFrames, Math.min(frames - f0, (hit.end - f0 * hop) / hop + 1)));
        for (int m = 0; m < spec.melBands(); m++) {
            int src = m * frames + f0;
            int dst = m * clipFrames;
            for (int t = 0; t < live; t++) {
                out[dst + t] = FastMath.ln(mel[src + t] * inv + floor);
            }
            for (int t = live; t < clipFrames; t++) {
                out[dst + t] = lnFloor;
            }
        }
        return true;
    }
}
