package io.latentkit.core.dsp;

/**
 * Log-mel spectrogram, {@code ln(mel(|STFT|) + floor)}, laid out band-major ({@code [band][frame]}),
 * the input of latentkit's models. Parameters come from the model files' metadata; the Python
 * reference is {@code models/training/features.py}.
 *
 * <p>Not thread-safe (owns an {@link Stft} and scratch); one instance per thread. Calls do not allocate.
 */
public final class LogMel {
    private final Stft stft;
    private final MelFilterbank bank;
    private final int frames;
    private final float logFloor;
    private final float[] mag;

    public LogMel(int sampleRateHz, int nFft, int hop, int bands, int frames, float logFloor) {
        this.stft = new Stft(nFft, hop);
        this.bank = new MelFilterbank(sampleRateHz, nFft, bands);
        this.frames = frames;
        this.logFloor = logFloor;
        this.mag = new float[frames * stft.bins()];
    }

    public int bands() {
        return bank.bands();
    }

    public int frames() {
        return frames;
    }

    /** Number of floats {@link #compute} writes: {@code bands * frames}. */
    public int size() {
        return bank.bands() * frames;
    }

    /** The magnitudes of the last {@link #compute} call, frame-major; do not write. */
    public float[] lastMagnitude() {
        return mag;
    }

    /** Computes the log-mel of {@code clip} into {@code out} ({@link #size()} floats, band-major). */
    public void compute(float[] clip, float[] out) {
        stft.magnitude(clip, frames, mag);
        fromMagnitude(mag, out);
    }

    /**
     * The log-mel of a magnitude spectrogram computed elsewhere with the same framing
     * ({@code frames * bins} floats, frame-major; the models use a batched FFT for it).
     */
    public void fromMagnitude(float[] magFrameMajor, float[] out) {
        bank.apply(magFrameMajor, frames, out);
        log(out);
    }

    /** As {@link #fromMagnitude} from bin-major magnitudes ({@code [bin][frame]}), the faster layout. */
    public void fromMagnitudeBinMajor(float[] magBinMajor, float[] out) {
        bank.applyBinMajor(magBinMajor, frames, out);
        log(out);
    }

    private void log(float[] out) {
        final int n = size();
        for (int i = 0; i < n; i++) {
            out[i] = FastMath.ln(out[i] + logFloor);
        }
    }
}
