package io.latentkit.models;

import io.latentkit.core.dsp.FastMath;
import java.util.Arrays;

/**
 * Phase-gradient heap integration (Průša, Balazs, Søndergaard, "A noniterative method for
 * reconstruction of phase from STFT magnitude", IEEE/ACM TASLP 2017): an initial phase for a
 * magnitude spectrogram without any iteration. For a Gaussian window the STFT's log-magnitude and
 * phase are tied, so the phase's time and frequency derivatives can be read off the log-magnitude's
 * frequency and time derivatives; the Hann window is treated as the Gaussian with the same
 * time-frequency spread, {@code lambda = 0.25645 * nFft^2} (the authors' constant).
 *
 * <p>For {@link io.latentkit.core.dsp.Stft}'s framing (frame {@code t} starts at
 * {@code t*hop - nFft/2}, the FFT's origin at the frame start) the phase advances by
 * <pre>
 *   per frame:  (hop * nFft / lambda) * d ln|X| / dk  +  2 pi k hop / nFft
 *   per bin:   -(lambda / (hop * nFft)) * d ln|X| / dt  -  pi
 * </pre>
 * (centred differences over bins {@code k} and frames {@code t}). The phase is integrated outwards
 * from the largest coefficient, always continuing from the largest coefficient reached so far (the
 * "heap"; here a bucket queue over the log-magnitude in {@value #BUCKET_NATS}-nat steps, which is
 * linear in the number of bins), with the trapezoid rule between neighbours. Coefficients more than
 * {@value #TOLERANCE_DB} dB below the peak are not integrated (their derivatives are noise); they take
 * the caller's fallback phase. When the queue runs dry, integration restarts from the largest
 * coefficient not yet reached (an island).
 *
 * <p>Not thread-safe (owns scratch); construction allocates, {@link #phase} does not.
 */
final class Pghi {
    /** Hann window's equivalent Gaussian: {@code lambda = GAMMA_HANN * nFft^2}. */
    static final double GAMMA_HANN = 0.25645;
    /** Coefficients this far below the spectrogram's peak take the fallback phase. */
    static final double TOLERANCE_DB = -100.0;
    /** Width of a bucket of the queue, in nats of magnitude (0.87 dB). */
    static final float BUCKET_NATS = 0.1f;
    private static final int TABLE = 4096;
    private static final double TWO_PI = 2.0 * Math.PI;
    private static final float TWO_PI_F = (float) TWO_PI;
    private static final float INV_TWO_PI_F = (float) (1.0 / TWO_PI);
    private static final byte SKIP = 0;
    private static final byte PENDING = 1;
    private static final byte DONE = 2;

    private final int frames;
    private final int bins;
    private final float timeScale;
    private final float freqScale;
    /** {@code 2 pi k hop / nFft} wrapped to [-pi, pi), per bin. */
    private final float[] binAdvance;
    private final float[] logMag;
    private final float[] dTime;
    private final float[] dFreq;
    private final float[] phase;
    private final byte[] state;
    private final int buckets;
    private final int[] head;
    /** Bit {@code q} set while bucket {@code q} of the queue holds a coefficient. */
    private final long[] nonEmpty;
    private final int[] next;
    private final int[] seedHead;
    private final int[] seedNext;
    private final float[] cos;

    Pghi(int nFft, int hop, int frames) {
        this.frames = frames;
        this.bins = nFft / 2 + 1;
        double lambda = GAMMA_HANN * nFft * (double) nFft;
        this.timeScale = (float) (hop * (double) nFft / lambda);
        this.freqScale = (float) (lambda / (hop * (double) nFft));
        this.binAdvance = new float[bins];
        for (int k = 0; k < bins; k++) {
            binAdvance[k] = (float) wrap(TWO_PI * (((long) k * hop) % nFft) / nFft);
        }
        int n = frames * bins;
        this.logMag = new float[n];
        this.dTime = new float[n];
        this.dFreq = new float[n];
        this.phase = new float[n];
        this.state = new byte[n];
        this.buckets = (int) Math.ceil(-TOLERANCE_DB / (20.0 / Math.log(10.0)) / BUCKET_NATS) + 1;
        this.head = new int[buckets];
        this.nonEmpty = new long[(buckets + 63) / 64];
        this.next = new int[n];
        this.seedHead = new int[buckets];
        this.seedNext = new int[n];
        this.cos = new float[TABLE + 1];
        for (int i = 0; i <= TABLE; i++) {
            cos[i] = (float) Math.cos(TWO_PI * i / TABLE);
        }
    }

    /**
     * Writes the integrated phase of {@code mag} (frame-major) as unit complex numbers into
     * {@code re}/{@code im}; bins below the tolerance take {@code fallbackRe}/{@code fallbackIm}. The
     * DC and Nyquist bins of a real signal are real, so their angle is a sign.
     */
    void phase(float[] mag, float[] fallbackRe, float[] fallbackIm, float[] re, float[] im) {
        final int b = bins;
        final int n = frames * b;
        float peak = 0f;
        for (int i = 0; i < n; i++) {
            peak = Math.max(peak, mag[i]);
        }
        if (!(peak > 1e-30f)) {
            System.arraycopy(fallbackRe, 0, re, 0, n);
            System.arraycopy(fallbackIm, 0, im, 0, n);
            return;
        }
        final float top = (float) Math.log(peak);
        final float floor = top + (float) (TOLERANCE_DB / (20.0 / Math.log(10.0)));
        final float[] s = logMag;
        final float tiny = (float) Math.exp(floor);
        for (int i = 0; i < n; i++) {
            float v = mag[i];
            // Clamped at the tolerance, as the authors do, so the derivatives near silence stay finite.
            s[i] = v > tiny ? FastMath.ln(v) : floor;
        }
        derivatives(s);
        Arrays.fill(head, -1);
        Arrays.fill(nonEmpty, 0L);
        Arrays.fill(seedHead, -1);
        final float invBucket = 1f / BUCKET_NATS;
        for (int i = 0; i < n; i++) {
            if (s[i] > floor) {
                state[i] = PENDING;
                int q = Math.min(buckets - 1, (int) ((s[i] - floor) * invBucket));
                seedNext[i] = seedHead[q];
                seedHead[q] = i;
            } else {
                state[i] = SKIP;
            }
        }
        integrate(floor, invBucket);
        for (int i = 0; i < n; i++) {
            if (state[i] == DONE) {
                unit(phase[i], re, im, i);
            } else {
                re[i] = fallbackRe[i];
                im[i] = fallbackIm[i];
            }
        }
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < b; k += b - 1) {
                int i = t * b + k;
                re[i] = re[i] >= 0f ? 1f : -1f;
                im[i] = 0f;
            }
        }
    }

    /** Phase advance per frame ({@code dTime}) and per bin ({@code dFreq}) at every coefficient. */
    private void derivatives(float[] s) {
        final int b = bins;
        for (int t = 0; t < frames; t++) {
            final int base = t * b;
            final int prev = t > 0 ? base - b : base;
            final int nextRow = t < frames - 1 ? base + b : base;
            final float tStep = t > 0 && t < frames - 1 ? 0.5f : 1f;
            for (int k = 0; k < b; k++) {
                final int i = base + k;
                final float dsdk;
                if (k == 0) {
                    dsdk = s[i + 1] - s[i];
                } else if (k == b - 1) {
                    dsdk = s[i] - s[i - 1];
                } else {
                    dsdk = 0.5f * (s[i + 1] - s[i - 1]);
                }
                final float dsdt = tStep * (s[nextRow + k] - s[prev + k]);
                dTime[i] = timeScale * dsdk + binAdvance[k];
                dFreq[i] = -freqScale * dsdt - (float) Math.PI;
            }
        }
    }

    private void integrate(float floor, float invBucket) {
        final int b = bins;
        final float[] s = logMag;
        final double invBins = 1.0 / b;
        int seedTop = buckets - 1;
        while (true) {
            int seed = -1;
            while (seedTop >= 0) {
                int i = seedHead[seedTop];
                if (i < 0) {
                    seedTop--;
                    continue;
                }
                seedHead[seedTop] = seedNext[i];
                if (state[i] == PENDING) {
                    seed = i;
                    break;
                }
            }
            if (seed < 0) {
                return;
            }
            phase[seed] = 0f;
            state[seed] = DONE;
            int top = push(seed, -1, s[seed], floor, invBucket);
            while (top >= 0) {
                int i = head[top];
                head[top] = next[i];
                if (next[i] < 0) {
                    nonEmpty[top >> 6] &= ~(1L << (top & 63));
                }
                // i / b without an integer division (exact: i + 0.5 is never near a multiple of b).
                final int t = (int) ((i + 0.5) * invBins);
                final int k = i - t * b;
                final float p = phase[i];
                if (k + 1 < b && state[i + 1] == PENDING) {
                    top = reach(i + 1, p + 0.5f * (dFreq[i] + dFreq[i + 1]), top, floor, invBucket);
                }
                if (k > 0 && state[i - 1] == PENDING) {
                    top = reach(i - 1, p - 0.5f * (dFreq[i] + dFreq[i - 1]), top, floor, invBucket);
                }
                if (t + 1 < frames && state[i + b] == PENDING) {
                    top = reach(i + b, p + 0.5f * (dTime[i] + dTime[i + b]), top, floor, invBucket);
                }
                if (t > 0 && state[i - b] == PENDING) {
                    top = reach(i - b, p - 0.5f * (dTime[i] + dTime[i - b]), top, floor, invBucket);
                }
                top = highestNonEmpty(top);
            }
        }
    }

    private int reach(int j, float p, int top, float floor, float invBucket) {
        phase[j] = wrap(p);
        state[j] = DONE;
        return push(j, top, logMag[j], floor, invBucket);
    }

    private int push(int i, int top, float s, float floor, float invBucket) {
        int q = Math.min(buckets - 1, (int) ((s - floor) * invBucket));
        next[i] = head[q];
        head[q] = i;
        nonEmpty[q >> 6] |= 1L << (q & 63);
        return Math.max(top, q);
    }

    /** The highest non-empty bucket at or below {@code top}, or -1: a look at one or two words of the bit set. */
    private int highestNonEmpty(int top) {
        for (int w = top >> 6; w >= 0; w--) {
            long bitsBelow = nonEmpty[w];
            if (w == top >> 6) {
                int keep = (top & 63) + 1;
                bitsBelow &= keep == 64 ? -1L : (1L << keep) - 1;
            }
            if (bitsBelow != 0) {
                return (w << 6) + 63 - Long.numberOfLeadingZeros(bitsBelow);
            }
        }
        return -1;
    }

    /** {@code x} wrapped to about [-pi, pi], by a rounding cast rather than {@link Math#floor}. */
    private static float wrap(float x) {
        float turns = x * INV_TWO_PI_F;
        int n = (int) (turns >= 0f ? turns + 0.5f : turns - 0.5f);
        return x - n * TWO_PI_F;
    }

    private static double wrap(double x) {
        return x - TWO_PI * Math.floor(x / TWO_PI + 0.5);
    }

    /**
     * Writes {@code cos(p), sin(p)} at {@code re[at], im[at]} from a table with linear
     * interpolation (error below 3e-7); {@code p} is a wrapped phase, within about [-pi, pi].
     */
    private void unit(float p, float[] re, float[] im, int at) {
        // Shift to a positive table position so that truncation is floor; the mask wraps.
        float pos = (p * INV_TWO_PI_F + 2f) * TABLE;
        int idx = (int) pos;
        float frac = pos - idx;
        int c = idx & (TABLE - 1);
        re[at] = cos[c] + frac * (cos[c + 1] - cos[c]);
        // sin(p) = cos(p - pi/2): a quarter of the table back.
        int q = (idx - TABLE / 4) & (TABLE - 1);
        im[at] = cos[q] + frac * (cos[q + 1] - cos[q]);
    }
}
