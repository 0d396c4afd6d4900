package io.latentkit.listen.onset;

import io.latentkit.core.dsp.FastMath;
import io.latentkit.core.dsp.Stft;
import java.util.Arrays;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * An onset detector built for latency: it takes the input a hop at a time and reports each hit a
 * few milliseconds after it starts, at the sample where its attack begins.
 *
 * <ol>
 *   <li>Every hop ({@value Params#DEFAULT_HOP} frames, 1.3 ms at 48 kHz) a causal frame of the
 *       last {@code fftFrames} samples (periodic Hann) is transformed; its magnitudes (scaled so a
 *       full-scale sine reads 1) are averaged into bands ({@code 1/bandsPerOctave} octave where bins
 *       are dense enough, single bins below) and compressed, {@code ln(1 + 10^4 m)}: level-independent
 *       above about -60 dBFS, and bands fluctuate less in noise than single bins.</li>
 *   <li>Spectral flux: the half-wave rectified rise of each band against the frame {@code fluxLag}
 *       hops earlier (frames that overlap less rise more sharply at an attack), averaged over the
 *       last three hops (an attack rises for several, a fluctuation of noise for one). The earlier
 *       frame's level of a band is the highest of it and its {@code referenceSpread} neighbours on
 *       either side (the maximum filter of Böck and Widmer's SuperFlux): noise leaves deep, narrow
 *       dips in single bins and bands, and its recovery from one is a "rise" in that band alone,
 *       whereas an attack rises above its neighbours' earlier levels too. Without it a room's
 *       noise getting louder or changing colour could sum enough such recoveries to trigger.</li>
 *   <li>Adaptive threshold: the median flux of the last {@code medianHops} hops, plus
 *       {@code sensitivity} times the running mean flux (over about {@code emaSeconds}), plus
 *       {@code holdFraction} of the last peak's flux decaying over {@code holdMs}, and never below
 *       {@code minFlux}; so a steady noise bed raises the bar, and a hit's own ringing or a
 *       gliding tone does not count as the next hit.</li>
 *   <li>Peak picking: a hop whose flux is above its threshold and a local maximum (one hop of
 *       delay to see it fall).</li>
 *   <li>Amplitude-peak refinement, {@code lookaheadHops} later: within the samples the peak frame
 *       and its reference frame covered, find the loudest sample; the onset is the first sample
 *       before it that reaches {@code refineFraction} of it (or twice the level just before the
 *       region, when a previous sound still rings there). A peak below {@code gateDbfs} is no hit,
 *       so silence and hiss never trigger; an onset closer than {@code minGapMs} to the previous
 *       one is dropped.</li>
 * </ol>
 *
 * <p>The offline {@link io.latentkit.core.dsp.OnsetDetector} sees the whole recording (centred
 * frames, a median over past and future, the recording's own peak) and so shares no code with
 * this one beyond the window; {@link #detectAll} runs this detector over a whole array, for the
 * CLI, benchmarks and offline tools that want the live behaviour.
 *
 * <p>Not thread-safe: one instance per thread (the listen agent's). {@link #sensitivity(float)}
 * may be set from any thread (a volatile read per hop). {@link #push} allocates nothing.
 */
public final class StreamingOnsetDetector {
    /**
     * The detector's settings.
     *
     * @param hopFrames      samples per step
     * @param fftFrames      analysis frame, a power of two
     * @param fluxLag        hops between the frames compared
     * @param bandsPerOctave band resolution of the flux (0: every bin)
     * @param medianHops     hops in the threshold's moving median
     * @param emaSeconds     time constant of the running mean flux
     * @param holdFraction   share of a peak's flux held in the threshold after it
     * @param holdMs         time constant of that hold's decay
     * @param minFlux        lowest threshold
     * @param minGapMs       closest two onsets may be
     * @param gateDbfs       quietest amplitude peak that counts as a hit
     * @param refineFraction fraction of the peak that marks the attack
     * @param lookaheadHops  hops after the flux peak read before the onset is placed
     * @param referenceSpread bands on either side whose earlier level also bounds a band's rise (0: none)
     * @param backtrackFraction from the attack found, back to where the rise began: the earliest sample
     *     of the sound's unbroken run above this fraction of the peak (0: no backtracking)
     */
    public record Params(int hopFrames, int fftFrames, int fluxLag, int bandsPerOctave, int medianHops,
                         double emaSeconds, float holdFraction, double holdMs, float minFlux, double minGapMs,
                         double gateDbfs, float refineFraction, int lookaheadHops, int referenceSpread,
                         float backtrackFraction) {
        public static final int DEFAULT_HOP = 64;

        public Params {
            if (hopFrames < 8 || fftFrames < hopFrames || Integer.bitCount(fftFrames) != 1 || fftFrames > 4096) {
                throw new IllegalArgumentException("hop 8.. and a power-of-two frame of hop..4096, got " + hopFrames
                        + " and " + fftFrames);
            }
            if (fluxLag < 1 || fluxLag > 8 || bandsPerOctave < 0 || bandsPerOctave > 48 || medianHops < 3
                    || medianHops > 512 || lookaheadHops < 1 || lookaheadHops > 16 || referenceSpread < 0
                    || referenceSpread > 4) {
                throw new IllegalArgumentException("lag 1..8, 0..48 bands per octave, median 3..512 hops, look-ahead 1..16"
                        + " hops, reference spread 0..4 bands");
            }
            if (!(minGapMs >= 0 && minGapMs <= 2000) || !(refineFraction > 0f && refineFraction < 1f)
                    || !(emaSeconds > 0) || !(gateDbfs <= 0) || !(holdFraction >= 0f && holdFraction <= 4f)
                    || !(holdMs > 0) || !(minFlux >= 0f) || !(backtrackFraction >= 0f && backtrackFraction <= refineFraction)) {
                throw new IllegalArgumentException("min gap 0..2000 ms, refine fraction in (0, 1), gate <= 0 dBFS,"
                        + " hold 0..4 over a positive time, backtrack fraction 0..refine fraction");
            }
        }

        /**
         * Listen mode's settings, tuned on grooves of the training kits ({@code OnsetErrors}): 64-sample
         * hop, 512-sample frame, flux 3 hops back on 1/12-octave bands (reference spread 1), 64-hop
         * median plus the 0.5 s mean, half the peak held over 100 ms, flux floor 13 (a glide rises in
         * one band, an attack in many), 50 ms gap, -50 dBFS gate, attack at 15 % (back to 2 %), 2 hops.
         */
        public static Params defaults() {
            return new Params(DEFAULT_HOP, 512, 3, 12, 64, 0.5, 0.5f, 100.0, 13f, 50.0, -50.0, 0.15f, 2, 1, 0.02f);
        }

        /** These settings with another minimum gap. */
        public Params withMinGapMs(double ms) {
            return new Params(hopFrames, fftFrames, fluxLag, bandsPerOctave, medianHops, emaSeconds, holdFraction, holdMs,
                    minFlux, ms, gateDbfs, refineFraction, lookaheadHops, referenceSpread, backtrackFraction);
        }

        /** These settings with another frame (the benchmark's sweep). */
        public Params withFftFrames(int frames) {
            return new Params(hopFrames, frames, fluxLag, bandsPerOctave, medianHops, emaSeconds, holdFraction, holdMs,
                    minFlux, minGapMs, gateDbfs, refineFraction, lookaheadHops, referenceSpread, backtrackFraction);
        }

        /** These settings with another attack fraction. */
        public Params withRefineFraction(float f) {
            return new Params(hopFrames, fftFrames, fluxLag, bandsPerOctave, medianHops, emaSeconds, holdFraction, holdMs,
                    minFlux, minGapMs, gateDbfs, f, lookaheadHops, referenceSpread, backtrackFraction);
        }

        /** These settings with another backtrack fraction (0: none). */
        public Params withBacktrackFraction(float f) {
            return new Params(hopFrames, fftFrames, fluxLag, bandsPerOctave, medianHops, emaSeconds, holdFraction, holdMs,
                    minFlux, minGapMs, gateDbfs, refineFraction, lookaheadHops, referenceSpread, f);
        }

        /** These settings with another look-ahead. */
        public Params withLookaheadHops(int hops) {
            return new Params(hopFrames, fftFrames, fluxLag, bandsPerOctave, medianHops, emaSeconds, holdFraction, holdMs,
                    minFlux, minGapMs, gateDbfs, refineFraction, hops, referenceSpread, backtrackFraction);
        }
    }

    /** Default {@link #sensitivity(float)}: the running mean flux added to the median. */
    public static final float DEFAULT_SENSITIVITY = 1.0f;
    private static final float LOG_GAIN = 1e4f;
    /** Samples kept: the region refined plus the level before it, with room to spare. */
    private static final int HISTORY = 8192;
    /** Samples before the refined region whose level tells a ringing tail from silence. */
    private static final int BACKGROUND = 128;
    /** Samples below the backtrack level that end a sound's run going back (1 ms at 48 kHz). */
    private static final int BRIDGE = 48;

    private final Params params;
    private final int hop;
    private final int n;
    private final int bins;
    private final int lag;
    private final int spread;
    private final int sampleRateHz;
    private volatile int minGapFrames;
    private final float gate;
    private final float fraction;
    private final float backtrack;
    private final float emaAlpha;
    private final float minFlux;
    private final float holdFactor;
    private final float holdFraction;
    private final float magnitudeScale;
    private final float[] history = new float[HISTORY];
    private final float[] window;
    private final float[] frame;
    private final FloatFFT_1D fft;
    private final float[][] logMag;
    private final float[] magnitudes;
    private final int[] bandLo;
    private final int bands;
    private float raw1;
    private float raw2;
    private final float[] fluxes;
    private final float[] sorted;
    private volatile float sensitivity = DEFAULT_SENSITIVITY;

    private long pushed;
    private long spectra;
    private int fluxCount;
    private float ema;
    private float held;
    private float flux1;
    private float flux2;
    private float threshold1 = Float.MAX_VALUE;
    private long pendingPeakEnd = -1;
    private long lastOnset = Long.MIN_VALUE / 2;

    public StreamingOnsetDetector(int sampleRateHz, Params params) {
        this.params = params;
        this.hop = params.hopFrames();
        this.n = params.fftFrames();
        this.bins = n / 2 + 1;
        this.lag = params.fluxLag();
        this.spread = params.referenceSpread();
        this.sampleRateHz = sampleRateHz;
        this.minGapFrames = (int) Math.round(params.minGapMs() * sampleRateHz / 1000.0);
        this.gate = (float) Math.pow(10, params.gateDbfs() / 20);
        this.fraction = params.refineFraction();
        this.backtrack = params.backtrackFraction();
        this.emaAlpha = (float) (1 - Math.exp(-hop / (params.emaSeconds() * sampleRateHz)));
        this.holdFactor = (float) Math.exp(-hop / (params.holdMs() / 1000.0 * sampleRateHz));
        this.holdFraction = params.holdFraction();
        this.minFlux = params.minFlux();
        this.window = Stft.hann(n);
        float sum = 0f;
        for (float w : window) {
            sum += w;
        }
        this.magnitudeScale = 2f / sum; // a full-scale sine on a bin centre reads 1
        this.frame = new float[n];
        this.fft = new FloatFFT_1D(n);
        this.magnitudes = new float[bins];
        this.bandLo = bandEdges(bins, params.bandsPerOctave());
        this.bands = bandLo.length - 1;
        this.logMag = new float[lag + 1][bands];
        this.fluxes = new float[params.medianHops()];
        this.sorted = new float[params.medianHops()];
        if (n + (lag + params.lookaheadHops() + 1) * hop + BACKGROUND > HISTORY) {
            throw new IllegalArgumentException("frame, lag and look-ahead exceed the " + HISTORY + "-sample history");
        }
    }

    public Params params() {
        return params;
    }

    /** Frames per {@link #push}. */
    public int hopFrames() {
        return hop;
    }

    /**
     * How far above the moving median flux must rise, in units of the running mean flux (default
     * {@value #DEFAULT_SENSITIVITY}; higher finds fewer, louder hits). Any thread.
     */
    public void sensitivity(float value) {
        if (!(value >= 0f && value <= 100f)) {
            throw new IllegalArgumentException("threshold must be 0..100, got " + value);
        }
        this.sensitivity = value;
    }

    public float sensitivity() {
        return sensitivity;
    }

    /**
     * Sets the closest two onsets may be, in milliseconds (0..2000): 50 by default, for drums; a
     * voice, whose "b" or "psh" has a second rise within a syllable, wants about 120. Any thread.
     */
    public void minGapMs(double ms) {
        if (!(ms >= 0 && ms <= 2000)) {
            throw new IllegalArgumentException("minimum gap must be 0..2000 ms, got " + ms);
        }
        this.minGapFrames = (int) Math.round(ms * sampleRateHz / 1000.0);
    }

    /** The flux of the last hop pushed (for tests and tuning). */
    float lastFlux() {
        return flux1;
    }

    /** The threshold the last hop's flux was held against. */
    float lastThreshold() {
        return threshold1;
    }

    /** Samples pushed so far; the next hop's first sample has this index. */
    public long position() {
        return pushed;
    }

    /**
     * Takes the next hop, {@code x[offset, offset + hopFrames)}, and returns the sample index of an
     * onset placed by it (always earlier than {@link #position()}), or -1. Allocation-free.
     */
    public long push(float[] x, int offset) {
        final float[] h = history;
        final int m = HISTORY - 1;
        for (int i = 0; i < hop; i++) {
            h[(int) ((pushed + i) & m)] = x[offset + i];
        }
        pushed += hop;
        // The mean of the last three hops: an attack raises the flux for about fluxLag hops, a
        // random fluctuation of noise for one, so the mean separates them better than one hop.
        float raw = spectralFlux();
        float flux = (raw + raw1 + raw2) / 3f;
        raw2 = raw1;
        raw1 = raw;
        held *= holdFactor;
        float threshold = Math.max(minFlux, median() + sensitivity * ema + held);
        // The previous hop is a peak if it rose above its threshold and this one is no higher.
        // No peak before the threshold has a full median behind it: the start of a stream (or the
        // resumption after a gap) is not a hit just because the history before it was silent.
        if (fluxCount > fluxes.length && flux1 > threshold1 && flux1 > flux2 && flux1 >= flux && pendingPeakEnd < 0) {
            pendingPeakEnd = pushed - hop;
            held = Math.max(held, holdFraction * flux1);
        }
        // A cumulative mean until the running mean's time constant has passed: no bias to zero at start.
        ema += Math.max(emaAlpha, 1f / (fluxCount + 1)) * (flux - ema);
        fluxes[fluxCount % fluxes.length] = flux;
        fluxCount++;
        flux2 = flux1;
        flux1 = flux;
        threshold1 = threshold;
        if (pendingPeakEnd >= 0 && pushed - pendingPeakEnd >= (long) params.lookaheadHops() * hop) {
            long onset = refine(pendingPeakEnd);
            pendingPeakEnd = -1;
            return onset;
        }
        return -1;
    }

    /** Clears all state, as after a gap in the input; the next push starts afresh at {@code position}. */
    public void reset(long position) {
        Arrays.fill(history, 0f);
        for (float[] f : logMag) {
            Arrays.fill(f, 0f);
        }
        pushed = position;
        spectra = 0;
        fluxCount = 0;
        ema = 0f;
        held = 0f;
        flux1 = 0f;
        flux2 = 0f;
        raw1 = 0f;
        raw2 = 0f;
        threshold1 = Float.MAX_VALUE;
        pendingPeakEnd = -1;
        lastOnset = Long.MIN_VALUE / 2;
    }

    private float spectralFlux() {
        final float[] h = history;
        final int m = HISTORY - 1;
        final long start = pushed - n;
        for (int i = 0; i < n; i++) {
            frame[i] = h[(int) ((start + i) & m)] * window[i];
        }
        fft.realForward(frame);
        final float[] mag = magnitudes;
        mag[0] = Math.abs(frame[0]);
        mag[bins - 1] = Math.abs(frame[1]);
        for (int k = 1; k < bins - 1; k++) {
            float re = frame[2 * k];
            float im = frame[2 * k + 1];
            mag[k] = (float) Math.sqrt(re * re + im * im);
        }
        final float[] cur = logMag[(int) (spectra % (lag + 1))];
        final float g = LOG_GAIN * magnitudeScale;
        for (int b = 0; b < bands; b++) {
            float sum = 0f;
            for (int k = bandLo[b]; k < bandLo[b + 1]; k++) {
                sum += mag[k];
            }
            cur[b] = FastMath.ln(1f + g * sum / (bandLo[b + 1] - bandLo[b]));
        }
        float flux = 0f;
        if (spectra >= lag) {
            final float[] ref = logMag[(int) ((spectra - lag) % (lag + 1))];
            final int last = bands - 1;
            for (int k = 0; k < bands; k++) {
                float r = ref[k];
                for (int j = Math.max(0, k - spread), to = Math.min(last, k + spread); j <= to; j++) {
                    r = Math.max(r, ref[j]);
                }
                float d = cur[k] - r;
                if (d > 0f) {
                    flux += d;
                }
            }
        }
        spectra++;
        return flux;
    }

    /**
     * Band edges in bins: one bin per band up to where bins are closer than {@code perOctave}
     * per octave, then bands of {@code 1/perOctave} octave; {@code perOctave == 0}: every bin.
     */
    static int[] bandEdges(int bins, int perOctave) {
        int[] edges = new int[bins + 1];
        int count = 0;
        edges[count++] = 0;
        int k = 1;
        double ratio = perOctave == 0 ? 1.0 : Math.pow(2.0, 1.0 / perOctave);
        while (k < bins) {
            int next = Math.max(k + 1, (int) Math.ceil(k * ratio));
            if (perOctave == 0) {
                next = k + 1;
            }
            edges[count++] = k;
            k = Math.min(bins, next);
        }
        edges[count++] = bins;
        return Arrays.copyOf(edges, count);
    }

    /** Median of the flux of the hops before this one (insertion sort of at most 512 floats). */
    private float median() {
        int count = Math.min(fluxCount, fluxes.length);
        if (count == 0) {
            return 0f;
        }
        final float[] s = sorted;
        for (int i = 0; i < count; i++) {
            float v = fluxes[i];
            int j = i - 1;
            while (j >= 0 && s[j] > v) {
                s[j + 1] = s[j];
                j--;
            }
            s[j + 1] = v;
        }
        return s[count / 2];
    }

    /** Places the onset of the flux peak whose hop ended at {@code peakEnd}, or -1 if it is no hit. */
    private long refine(long peakEnd) {
        final float[] h = history;
        final int m = HISTORY - 1;
        long from = Math.max(0L, peakEnd - n - (long) lag * hop);
        from = Math.max(from, pushed - HISTORY + BACKGROUND);
        long to = pushed;
        float peak = 0f;
        long peakAt = from;
        for (long i = from; i < to; i++) {
            float a = Math.abs(h[(int) (i & m)]);
            if (a > peak) {
                peak = a;
                peakAt = i;
            }
        }
        if (peak < gate) {
            return -1;
        }
        float before = 0f;
        for (long i = Math.max(0L, from - BACKGROUND); i < from; i++) {
            before = Math.max(before, Math.abs(h[(int) (i & m)]));
        }
        float level = Math.max(fraction * peak, Math.min(2f * before, 0.5f * peak));
        long onset = from;
        while (onset < peakAt && Math.abs(h[(int) (onset & m)]) < level) {
            onset++;
        }
        if (backtrack > 0f) {
            onset = backtrack(onset, from, Math.max(backtrack * peak, 2f * before));
        }
        if (onset - lastOnset < minGapFrames) {
            return -1;
        }
        lastOnset = onset;
        return onset;
    }

    /**
     * The start of the run of samples at or above {@code low} that ends in {@code onset}: back from
     * it while no {@link #BRIDGE} samples in a row fall below (a waveform crosses zero inside a
     * sound), never before {@code from}.
     */
    private long backtrack(long onset, long from, float low) {
        final float[] h = history;
        final int m = HISTORY - 1;
        long start = onset;
        for (long i = onset - 1; i >= from && start - i <= BRIDGE; i--) {
            if (Math.abs(h[(int) (i & m)]) >= low) {
                start = i;
            }
        }
        return start;
    }

    /**
     * Runs a fresh detector over a whole signal (zero-padded by the look-ahead at the end) and
     * returns its onsets, ascending. Allocates; any thread.
     */
    public static long[] detectAll(float[] signal, int sampleRateHz, Params params, float sensitivity) {
        StreamingOnsetDetector d = new StreamingOnsetDetector(sampleRateHz, params);
        d.sensitivity(sensitivity);
        int hop = params.hopFrames();
        int hops = (signal.length + hop - 1) / hop + params.lookaheadHops() + 1;
        float[] buf = new float[hop];
        long[] found = new long[16];
        int count = 0;
        for (int k = 0; k < hops; k++) {
            for (int i = 0; i < hop; i++) {
                int p = k * hop + i;
                buf[i] = p < signal.length ? signal[p] : 0f;
            }
            long onset = d.push(buf, 0);
            if (onset >= 0 && onset < signal.length) {
                if (count == found.length) {
                    found = Arrays.copyOf(found, 2 * count);
                }
                found[count++] = onset;
            }
        }
        return Arrays.copyOf(found, count);
    }
}
