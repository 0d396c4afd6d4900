package io.latentkit.extract.hitloop;

/**
 * Every parameter of Hitloop's extraction in one place, with the values of its published code
 * ({@code sample_extractor.py} of the Hitloop sampler: {@code sample_rate = 48000},
 * {@code std_stride = 0.5}, {@code threshold = 2}, {@code noise_threshold = 0.2}, the level gate
 * {@code max_db > 8}, windows of the shortest example capped at one second) and of the librosa
 * defaults it relies on (2048-point FFT, hop 512, 128 Slaney mel bands, spectral contrast from
 * 200 Hz in 6 octave bands at quantile 0.02, dB conversions with {@code amin = 1e-10} and
 * {@code top_db = 80}).
 *
 * <p>Immutable; any thread.
 *
 * @param sampleRateHz rate everything is analysed at
 * @param nFft FFT size (librosa default)
 * @param hop hop (librosa default)
 * @param melBands mel bands (librosa default)
 * @param stride window advance after a window that does not match, as a share of the window
 * @param distanceThreshold summed cosine distance (mel + contrast + bandwidth) below which a
 *     window matches a class's template
 * @param flatnessGate a window whose noisiest frame is at least this flat (spectral flatness) is
 *     noise and skipped
 * @param levelGate the window's loudest mel bin, taken twice through {@code power_to_db} as
 *     Hitloop does and truncated to an integer, must exceed this
 * @param maxWindowSeconds longest window
 * @param contrastFminHz lowest edge of the contrast bands
 * @param contrastBands octave bands of the contrast (plus one below)
 * @param contrastQuantile share of each band's bins averaged for its peak and valley
 * @param amin smallest power the dB conversions take
 * @param topDb range the dB conversions keep below their maximum
 */
public record HitloopParameters(int sampleRateHz, int nFft, int hop, int melBands, double stride,
        double distanceThreshold, double flatnessGate, int levelGate, double maxWindowSeconds, double contrastFminHz,
        int contrastBands, double contrastQuantile, double amin, double topDb) {

    /** Hitloop's published values. */
    public static final HitloopParameters PUBLISHED = new HitloopParameters(48_000, 2048, 512, 128, 0.5, 2.0, 0.2, 8,
            1.0, 200.0, 6, 0.02, 1e-10, 80.0);
}
