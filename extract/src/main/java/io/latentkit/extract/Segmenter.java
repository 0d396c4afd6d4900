package io.latentkit.extract;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cuts each hit from its onset to where it decays or the next hit starts, measures how clean it
 * is, and rejects the unusable ones with the reason: clipped, too noisy or too quiet, overlapped
 * by what was sounding before it, or too short.
 *
 * <p>The level envelope is the RMS of blocks of {@value #BLOCK} samples. A hit ends at the first
 * block, after its loudest block, that is {@value #DECAY_DB} dB below it or within 6 dB of the
 * recording's noise floor (the 10th percentile of the block levels), at the next onset, or after
 * {@link #MAX_SECONDS} s, whichever comes first.
 *
 * <p>Stateless; any thread.
 */
public final class Segmenter {
    /** Envelope block, samples (the onset detector's hop). */
    public static final int BLOCK = 256;
    /** A hit has decayed when it is this far below its loudest block. */
    public static final float DECAY_DB = 45f;
    /** Longest cut. */
    public static final double MAX_SECONDS = 2.5;
    /** Shortest usable cut. */
    public static final double MIN_MS = 30;
    /** Rejected as overlapped when what sounds before the onset is less than this far below the hit's peak. */
    public static final float OVERLAP_DB = -8f;
    /** Rejected as too noisy when the peak is less than this far above the noise floor. */
    public static final float SNR_DB = 15f;
    /** Rejected as too quiet below this peak level. */
    public static final float QUIET_DBFS = -60f;
    /** A clipped hit has at least this many samples in a row at its peak. */
    public static final int CLIP_RUN = 8;

    private Segmenter() {
    }

    /** Block RMS levels of {@code x}. */
    public static float[] envelope(float[] x) {
        int blocks = (x.length + BLOCK - 1) / BLOCK;
        float[] env = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            double e = 0;
            int from = b * BLOCK;
            int to = Math.min(x.length, from + BLOCK);
            for (int i = from; i < to; i++) {
                e += (double) x[i] * x[i];
            }
            env[b] = (float) Math.sqrt(e / BLOCK);
        }
        return env;
    }

    /** The recording's noise floor: the 10th percentile of its block levels, at least -100 dBFS. */
    public static float noiseFloor(float[] env) {
        if (env.length == 0) {
            return 1e-5f;
        }
        float[] sorted = env.clone();
        Arrays.sort(sorted);
        return Math.max(1e-5f, sorted[sorted.length / 10]);
    }

    /**
     * Cuts and checks {@code hits} (one recording's, in onset order) of {@code x}.
     *
     * @param env {@link #envelope}{@code (x)}
     */
    public static void cut(float[] x, int rateHz, float[] env, List<Hit> hits) {
        float floor = noiseFloor(env);
        int maxLen = (int) (MAX_SECONDS * rateHz);
        int minLen = (int) (MIN_MS * rateHz / 1000);
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            int next = i + 1 < hits.size() ? hits.get(i + 1).onset : x.length;
            int limit = Math.min(next, Math.min(x.length, h.onset + maxLen));
            float peak = 0f;
            for (int s = h.onset; s < limit; s++) {
                peak = Math.max(peak, Math.abs(x[s]));
            }
            h.peak = peak;
            // The loudest block in the first 64 ms: the body of the hit.
            int b0 = h.onset / BLOCK;
            int bLimit = Math.max(b0 + 1, Math.min(env.length, (limit + BLOCK - 1) / BLOCK));
            int bPeak = b0;
            for (int b = b0; b < Math.min(bLimit, b0 + 12); b++) {
                if (env[b] > env[bPeak]) {
                    bPeak = b;
                }
            }
            float peakEnv = Math.max(env[Math.min(bPeak, env.length - 1)], 1e-9f);
            float decayed = peakEnv * (float) Math.pow(10, -DECAY_DB / 20);
            float quiet = floor * 2f;
            int end = limit;
            float last = peakEnv;
            boolean decayedNaturally = false;
            for (int b = bPeak + 1; b < bLimit; b++) {
                last = env[b];
                if (env[b] < decayed || env[b] < quiet) {
                    end = Math.min(limit, (b + 1) * BLOCK);
                    decayedNaturally = true;
                    break;
                }
            }
            h.end = Math.max(end, Math.min(limit, h.onset + 1));
            h.decayDb = db(peakEnv / Math.max(last, 1e-9f));
            h.cutByNext = !decayedNaturally && limit == next && next < x.length;
            h.preDb = db(rms(x, h.onset - 3 * BLOCK, h.onset - 64) / peakEnv);
            int clipRun = longestRunAtPeak(x, h.onset, h.end, peak);
            float peakDbfs = db(peak);
            float snr = db(peakEnv / floor);
            if (peak >= 0.3f && clipRun >= CLIP_RUN) {
                h.reject(String.format(Locale.ROOT, "clipped: %d samples in a row at its peak (%.1f dBFS)", clipRun,
                        peakDbfs));
            } else if (peakDbfs < QUIET_DBFS) {
                h.reject(String.format(Locale.ROOT, "too quiet: its peak is %.0f dBFS", peakDbfs));
            } else if (snr < SNR_DB) {
                h.reject(String.format(Locale.ROOT, "too noisy: its peak is only %.0f dB above the noise floor", snr));
            } else if (h.preDb > OVERLAP_DB) {
                h.reject(String.format(Locale.ROOT, "overlapped: what sounds before it is only %.0f dB below its peak",
                        -h.preDb));
            } else if (h.end - h.onset < minLen) {
                h.reject(String.format(Locale.ROOT, "too short: the next hit follows after %.0f ms",
                        (h.end - h.onset) * 1000.0 / rateHz));
            }
            // Soft penalties for the choice among usable hits: the tail of the previous hit under
            // the attack, and a hit the next one cut before it decayed.
            float pre = clamp((h.preDb + 40f) / 32f);
            float cut = h.cutByNext ? clamp((30f - h.decayDb) / 30f) : 0f;
            h.penalty = pre + cut;
        }
    }

    static float rms(float[] x, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(x.length, to);
        if (b <= a) {
            return 0f;
        }
        double e = 0;
        for (int i = a; i < b; i++) {
            e += (double) x[i] * x[i];
        }
        return (float) Math.sqrt(e / (b - a));
    }

    /** Longest run of consecutive samples within 1e-4 (relative) of {@code peak} in magnitude. */
    static int longestRunAtPeak(float[] x, int from, int to, float peak) {
        float at = peak * (1f - 1e-4f);
        int best = 0;
        int run = 0;
        for (int i = from; i < to; i++) {
            if (Math.abs(x[i]) >= at) {
                run++;
                best = Math.max(best, run);
            } else {
                run = 0;
            }
        }
        return best;
    }

    static float db(float ratio) {
        return (float) (20 * Math.log10(Math.max(ratio, 1e-12f)));
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
