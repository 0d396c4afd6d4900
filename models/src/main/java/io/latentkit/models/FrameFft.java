package io.latentkit.models;

import java.util.Locale;

/**
 * Real FFTs of a fixed batch of equal-length frames, the work that dominates phase reconstruction
 * (each Griffin-Lim iteration is one inverse and one forward transform of every frame).
 *
 * <p>Layouts: frames are {@code count * n} reals, frame-major; spectra are {@code count * (n/2+1)}
 * complex bins, frame-major and interleaved ({@code [2*(t*bins+k)]} real, {@code +1} imaginary).
 * The forward transform is {@code X[k] = sum x[j] e^{-2 pi i jk/n}}; the inverse is unnormalised
 * (the caller scales by {@code 1/n}), and it ignores the imaginary parts of the DC and Nyquist bins.
 *
 * <p>Two implementations: FFTW (single precision, through the JavaCPP presets; about four times
 * faster than JTransforms for a 1024-point frame on this project's machines) where its native
 * library loads, otherwise JTransforms. The system property {@value #PROPERTY} forces one
 * ({@code fftw} or {@code jtransforms}).
 *
 * <p>Not thread-safe; one instance per thread. Construction allocates (and, for FFTW, plans);
 * {@link #forward} and {@link #inverse} do not allocate.
 */
public interface FrameFft extends AutoCloseable {
    /** System property choosing the implementation: {@code fftw}, {@code jtransforms}, or unset (FFTW if it loads). */
    String PROPERTY = "latentkit.fft";

    /** Transforms {@code count} frames of {@code frames} into {@code spectra}. */
    void forward(float[] frames, float[] spectra);

    /** Unnormalised inverse of {@code count} spectra into {@code frames}; may overwrite {@code spectra}. */
    void inverse(float[] spectra, float[] frames);

    /** Which implementation this is, for reports: {@code "FFTW 3.3.10"} or {@code "JTransforms"}. */
    String name();

    /** Releases native memory and plans; idempotent. */
    @Override
    void close();

    /**
     * The fastest implementation available for {@code count} frames of {@code n} points (a power of
     * two), as chosen by {@value #PROPERTY}.
     *
     * @throws IllegalStateException if {@code fftw} is forced and its native library cannot load
     */
    static FrameFft create(int n, int count) {
        String choice = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "jtransforms":
                return new JTransformsFrameFft(n, count);
            case "fftw":
                return FftwFrameFft.create(n, count);
            case "":
                return FftwFrameFft.available() ? FftwFrameFft.create(n, count) : new JTransformsFrameFft(n, count);
            default:
                throw new IllegalArgumentException(PROPERTY + " must be fftw or jtransforms, not '" + choice + "'");
        }
    }
}
