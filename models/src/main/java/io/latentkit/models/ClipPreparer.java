package io.latentkit.models;

import io.latentkit.core.dsp.LogMel;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns one hit at the model rate into the models' input: the clip (start just before the attack,
 * fixed length, peak-normalised, faded out at the end) and its log-mel. Mirrors
 * {@code prepare_clip} and {@code log_mel} in {@code models/training/features.py}.
 *
 * <p>The magnitudes come from a {@link BatchStft} (all frames in one FFTW call where it loads),
 * the mel bands and logarithm from the engine's {@link LogMel}.
 *
 * <p>Not thread-safe (owns a {@link LogMel}, the transform and the clip buffer); one instance per
 * thread. Calls do not allocate; {@link #close} frees the transform's native memory.
 */
public final class ClipPreparer implements AutoCloseable {
    /** Shortest sound accepted, in milliseconds: less is a click, not a hit. */
    public static final double MIN_MS = 10.0;
    /** Longest sound accepted as a single hit, in seconds; longer input is a recording. */
    public static final double MAX_SECONDS = 10.0;
    /** Peak below which a sound counts as silent (-80 dBFS). */
    public static final float SILENCE_PEAK = 1e-4f;

    private final FeatureSpec spec;
    /** Frames actually computed; the rest of the clip's log-mel is the floor. */
    private final int framesUsed;
    /** Samples after the pre-roll a short-window clip keeps, or 0 for a full clip. */
    private final int windowSamples;
    private final LogMel logMel;
    private final BatchStft stft;
    private final float[] magnitude;
    private final float[] partial;
    private final float[] clip;
    private final float[] fade;

    public ClipPreparer(FeatureSpec spec) {
        this(spec, spec.clipFrames());
    }

    /**
     * For a model that reads only the first {@code framesUsed} frames of its input (the classifier's
     * {@code classifier_frames} metadata): only those are computed, the others are set to the floor,
     * {@code ln(logFloor)}. The clip itself (onset, peak normalisation, fade) is prepared in full, as
     * in training, so the frames computed are exactly those of the full log-mel.
     */
    public ClipPreparer(FeatureSpec spec, int framesUsed) {
        this(spec, framesUsed, 0);
    }

    /**
     * A short-window clip, as listen mode has it {@code windowSamples} after an onset (a short-window
     * classifier's {@code window_samples} metadata; 0 for a full clip): from the same start, only
     * {@code prerollSamples + windowSamples} samples are kept and the rest is silence, the peak is
     * that part's, and there is no fade. Mirrors {@code prepare_window} in {@code features.py}.
     */
    public ClipPreparer(FeatureSpec spec, int framesUsed, int windowSamples) {
        if (framesUsed < 1 || framesUsed > spec.clipFrames()) {
            throw new IllegalArgumentException("frames used must be 1.." + spec.clipFrames() + ": " + framesUsed);
        }
        if (windowSamples < 0 || windowSamples + spec.prerollSamples() > spec.clipSamples()) {
            throw new IllegalArgumentException("window must be 0.." + (spec.clipSamples() - spec.prerollSamples())
                    + " samples: " + windowSamples);
        }
        this.spec = spec;
        this.framesUsed = framesUsed;
        this.windowSamples = windowSamples;
        this.logMel = new LogMel(spec.sampleRateHz(), spec.nFft(), spec.hop(), spec.melBands(), framesUsed,
                spec.logFloor());
        this.stft = new BatchStft(spec.nFft(), spec.hop(), framesUsed, null);
        this.magnitude = new float[framesUsed * stft.bins()];
        this.partial = framesUsed < spec.clipFrames() ? new float[spec.melBands() * framesUsed] : null;
        this.clip = new float[spec.clipSamples()];
        this.fade = new float[spec.fadeSamples()];
        for (int i = 0; i < fade.length; i++) {
            fade[i] = (float) (0.5 + 0.5 * Math.cos(Math.PI * i / fade.length));
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** Floats in a log-mel: {@code melBands * clipFrames}. */
    public int logMelSize() {
        return spec.melBands() * spec.clipFrames();
    }

    /** Frames computed per clip (the rest are the floor). */
    public int framesUsed() {
        return framesUsed;
    }

    /** Samples after the pre-roll a short-window clip keeps, or 0 for a full clip. */
    public int windowSamples() {
        return windowSamples;
    }

    /** The clip of the last {@link #prepare} call; do not write. */
    public float[] clip() {
        return clip;
    }

    /**
     * Prepares {@code samples[from, to)} (mono, at the model rate) as a clip and writes its log-mel.
     *
     * @throws BadAudioException if the sound is silent, shorter than {@link #MIN_MS} or longer than
     *                           {@link #MAX_SECONDS}
     */
    public void prepare(float[] samples, int from, int to, float[] logMelOut) throws BadAudioException {
        int n = to - from;
        double ms = n * 1000.0 / spec.sampleRateHz();
        if (ms < MIN_MS) {
            throw new BadAudioException(String.format(Locale.ROOT,
                    "too short: %.1f ms of audio, a hit needs at least %.0f ms", ms, MIN_MS));
        }
        if (ms > MAX_SECONDS * 1000.0) {
            throw new BadAudioException(String.format(Locale.ROOT,
                    "too long: %.1f s of audio, a single hit is at most %.0f s (use 'similar' or 'extract' for recordings)",
                    ms / 1000.0, MAX_SECONDS));
        }
        float peak = 0f;
        for (int i = from; i < to; i++) {
            // Math.max carries a NaN through and |inf| is inf: one check after the loop finds both.
            peak = Math.max(peak, Math.abs(samples[i]));
        }
        if (!Float.isFinite(peak)) {
            throw new BadAudioException("audio contains NaN or infinite samples");
        }
        if (peak < SILENCE_PEAK) {
            throw new BadAudioException("silent: the peak level is below -80 dBFS");
        }
        int first = from;
        float threshold = spec.onsetFraction() * peak;
        while (Math.abs(samples[first]) < threshold) {
            first++;
        }
        int start = Math.max(from, first - spec.prerollSamples());
        int keep = windowSamples > 0 ? spec.prerollSamples() + windowSamples : clip.length;
        int len = Math.min(keep, to - start);
        System.arraycopy(samples, start, clip, 0, len);
        Arrays.fill(clip, len, clip.length, 0f);
        float clipPeak = 0f;
        for (int i = 0; i < len; i++) {
            clipPeak = Math.max(clipPeak, Math.abs(clip[i]));
        }
        for (int i = 0; i < len; i++) {
            // Divide, as numpy does, rather than multiply by 1/peak: bit-identical clips.
            clip[i] /= clipPeak;
        }
        if (windowSamples == 0) {
            int f0 = clip.length - fade.length;
            for (int i = 0; i < fade.length; i++) {
                clip[f0 + i] *= fade[i];
            }
        }
        stft.magnitudeBinMajor(clip, magnitude);
        if (partial == null) {
            logMel.fromMagnitudeBinMajor(magnitude, logMelOut);
            return;
        }
        logMel.fromMagnitudeBinMajor(magnitude, partial);
        final int frames = spec.clipFrames();
        final float floor = (float) Math.log(spec.logFloor());
        for (int m = 0; m < spec.melBands(); m++) {
            System.arraycopy(partial, m * framesUsed, logMelOut, m * frames, framesUsed);
            Arrays.fill(logMelOut, m * frames + framesUsed, (m + 1) * frames, floor);
        }
    }

    /** Frees the batched FFT's native memory; idempotent. */
    @Override
    public void close() {
        stft.close();
    }
}
