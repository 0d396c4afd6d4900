package io.latentkit.extract.hitloop;

import io.latentkit.core.dsp.Stft;
import java.util.Arrays;

/**
 * The three features Hitloop compares and the one it gates on, computed as librosa computes them
 * with the defaults Hitloop uses: the mel spectrogram in dB ({@code power_to_db(melspectrogram)}),
 * the spectral contrast ({@code power_to_db(peak) - power_to_db(valley)} per octave band), the
 * spectral bandwidth (second-order spread about the centroid of the column-normalised magnitude),
 * and the spectral flatness (geometric over arithmetic mean of the power). Frames as librosa's
 * centred STFT with zero padding: {@code 1 + n / hop} frames, frame {@code t} centred on sample
 * {@code t * hop} (the engine's {@link Stft} framing).
 *
 * <p>Not thread-safe (scratch); one instance per thread.
 */
public final class HitloopFeatures {
    /** One window's features, each row-major {@code [row][frame]} as Hitloop flattens them. */
    public record Window(double[] melDb, double[] contrast, double[] bandwidth, double maxFlatness, double maxMelDb) {
    }

    private final HitloopParameters p;
    private final Stft stft;
    private final double[][] melBasis;
    private final int[] melFirst;
    private final double[] freq;
    private final int bins;

    public HitloopFeatures(HitloopParameters p) {
        this.p = p;
        this.stft = new Stft(p.nFft(), p.hop());
        this.bins = p.nFft() / 2 + 1;
        this.freq = new double[bins];
        for (int k = 0; k < bins; k++) {
            freq[k] = (double) k * p.sampleRateHz() / p.nFft();
        }
        this.melBasis = new double[p.melBands()][];
        this.melFirst = new int[p.melBands()];
        slaneyMel();
    }

    /** Features of {@code x[from, from + n)}. */
    public Window of(float[] x, int from, int n) {
        float[] w = new float[n];
        System.arraycopy(x, from, w, 0, Math.min(n, x.length - from));
        int frames = 1 + n / p.hop();
        float[] mag = new float[frames * bins];
        stft.magnitude(w, frames, mag);
        int bands = p.melBands();
        double[] mel = new double[bands * frames];
        for (int m = 0; m < bands; m++) {
            double[] wts = melBasis[m];
            int first = melFirst[m];
            for (int t = 0; t < frames; t++) {
                double acc = 0;
                int base = t * bins + first;
                for (int i = 0; i < wts.length; i++) {
                    double v = mag[base + i];
                    acc += wts[i] * v * v;
                }
                mel[m * frames + t] = acc;
            }
        }
        double[] melDb = powerToDb(mel);
        double maxMelDb = Double.NEGATIVE_INFINITY;
        for (double v : melDb) {
            maxMelDb = Math.max(maxMelDb, v);
        }
        return new Window(melDb, contrast(mag, frames), bandwidth(mag, frames), maxFlatness(mag, frames), maxMelDb);
    }

    /** Whether a window passes Hitloop's level gate: {@code int(max(power_to_db(melDb))) > levelGate}. */
    public boolean passesLevelGate(Window w) {
        // Hitloop takes power_to_db of the mel spectrogram already in dB; only its maximum matters
        // here, and top_db never lowers a maximum.
        double twice = 10.0 * Math.log10(Math.max(p.amin(), w.maxMelDb()));
        return (long) twice > p.levelGate();
    }

    /** librosa's {@code power_to_db(S, ref=1.0, amin, top_db)} over the whole array. */
    double[] powerToDb(double[] s) {
        double[] out = new double[s.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            out[i] = 10.0 * Math.log10(Math.max(p.amin(), s[i]));
            max = Math.max(max, out[i]);
        }
        double low = max - p.topDb();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], low);
        }
        return out;
    }

    private double[] contrast(float[] mag, int frames) {
        int nb = p.contrastBands();
        double[] octa = new double[nb + 2];
        for (int i = 1; i < nb + 2; i++) {
            octa[i] = p.contrastFminHz() * Math.pow(2.0, i - 1);
        }
        double[] peak = new double[(nb + 1) * frames];
        double[] valley = new double[(nb + 1) * frames];
        for (int k = 0; k < nb + 1; k++) {
            boolean[] band = new boolean[bins];
            int firstIdx = -1;
            int lastIdx = -1;
            for (int b = 0; b < bins; b++) {
                band[b] = freq[b] >= octa[k] && freq[b] <= octa[k + 1];
                if (band[b]) {
                    if (firstIdx < 0) {
                        firstIdx = b;
                    }
                    lastIdx = b;
                }
            }
            if (k > 0) {
                band[firstIdx - 1] = true;
            }
            if (k == nb) {
                for (int b = lastIdx + 1; b < bins; b++) {
                    band[b] = true;
                }
            }
            int count = 0;
            for (boolean b : band) {
                count += b ? 1 : 0;
            }
            int[] members = new int[count];
            for (int b = 0, j = 0; b < bins; b++) {
                if (band[b]) {
                    members[j++] = b;
                }
            }
            // librosa drops the band's last bin from the statistics of every band but the top one.
            int used = k < nb ? count - 1 : count;
            int q = (int) Math.max(1, Math.rint(p.contrastQuantile() * count));
            double[] col = new double[used];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < used; j++) {
                    col[j] = mag[t * bins + members[j]];
                }
                Arrays.sort(col);
                double lo = 0;
                double hi = 0;
                for (int j = 0; j < q; j++) {
                    lo += col[j];
                    hi += col[used - 1 - j];
                }
                valley[k * frames + t] = lo / q;
                peak[k * frames + t] = hi / q;
            }
        }
        double[] pd = powerToDb(peak);
        double[] vd = powerToDb(valley);
        for (int i = 0; i < pd.length; i++) {
            pd[i] -= vd[i];
        }
        return pd;
    }

    private double[] bandwidth(float[] mag, int frames) {
        double[] bw = new double[frames];
        for (int t = 0; t < frames; t++) {
            double sum = 0;
            for (int k = 0; k < bins; k++) {
                sum += mag[t * bins + k];
            }
            // librosa's normalize leaves a column whose norm is below the smallest float as it is.
            double norm = sum < Float.MIN_NORMAL ? 1.0 : sum;
            double centroid = 0;
            for (int k = 0; k < bins; k++) {
                centroid += freq[k] * mag[t * bins + k] / norm;
            }
            double acc = 0;
            for (int k = 0; k < bins; k++) {
                double dev = freq[k] - centroid;
                acc += mag[t * bins + k] / norm * dev * dev;
            }
            bw[t] = Math.sqrt(acc);
        }
        return bw;
    }

    private double maxFlatness(float[] mag, int frames) {
        double max = 0;
        for (int t = 0; t < frames; t++) {
            double logSum = 0;
            double sum = 0;
            for (int k = 0; k < bins; k++) {
                double v = mag[t * bins + k];
                double pw = Math.max(p.amin(), v * v);
                logSum += Math.log(pw);
                sum += pw;
            }
            max = Math.max(max, Math.exp(logSum / bins) / (sum / bins));
        }
        return max;
    }

    /** librosa's {@code filters.mel(sr, n_fft, n_mels)}: Slaney mel scale, Slaney normalisation. */
    private void slaneyMel() {
        int n = p.melBands();
        double melMax = hzToMel(p.sampleRateHz() / 2.0);
        double[] melF = new double[n + 2];
        for (int i = 0; i < n + 2; i++) {
            melF[i] = melToHz(melMax * i / (n + 1));
        }
        for (int m = 0; m < n; m++) {
            double lowerDiff = melF[m + 1] - melF[m];
            double upperDiff = melF[m + 2] - melF[m + 1];
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            double[] w = new double[bins];
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double lower = (freq[k] - melF[m]) / lowerDiff;
                double upper = (melF[m + 2] - freq[k]) / upperDiff;
                w[k] = Math.max(0, Math.min(lower, upper)) * enorm;
                if (w[k] > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                first = 0;
                last = 0;
            }
            melFirst[m] = first;
            melBasis[m] = Arrays.copyOfRange(w, first, last + 1);
        }
    }

    static double hzToMel(double hz) {
        double fsp = 200.0 / 3;
        double minLogHz = 1000.0;
        double minLogMel = minLogHz / fsp;
        double logstep = Math.log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logstep : hz / fsp;
    }

    static double melToHz(double mel) {
        double fsp = 200.0 / 3;
        double minLogHz = 1000.0;
        double minLogMel = minLogHz / fsp;
        double logstep = Math.log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.exp(logstep * (mel - minLogMel)) : fsp * mel;
    }

    /** sklearn's {@code cosine_distances} of two flattened arrays, clipped to [0, 2]. */
    public static double cosineDistance(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 1.0;
        }
        return Math.max(0, Math.min(2, 1 - dot / Math.sqrt(na * nb)));
    }
}
