package io.latentkit.listen;

import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.FeatureSpec;

/**
 * How listen mode runs: the fixed latency from a performer's onset to the drum, the classification
 * window that latency leaves, how many examples {@code learn} records, and the onset detector's
 * settings.
 *
 * <p>The window is the longest the latency allows: {@code latency - reserve}, where the reserve
 * ({@value #RESERVE_MS} ms) covers an input block, the classification itself, an engine block for
 * the trigger to reach the render thread before its slot, and the scheduling delays of a busy
 * machine. It is at least
 * {@value #MIN_WINDOW_MS} ms (the shortest sound the classifier accepts) and at most
 * {@value #MAX_WINDOW_MS} ms.
 *
 * <p>Immutable; any thread.
 *
 * @param latencyMs        onset to drum, in milliseconds of engine time
 * @param windowMs         samples after the onset that decide the class
 * @param learnExamples    hits {@code learn} records
 * @param inputBlockFrames frames per input read
 * @param ringSeconds      input kept (for the detector's slack and {@code captureLastSeconds})
 * @param onset            the detector's settings
 * @param classifier       which drum classifier names a hit ({@link Classifier})
 * @param autoLatency      whether listen mode measures this machine at start and chooses the
 *     latency itself ({@link LatencyCalibration}); {@code latencyMs} and {@code windowMs} are then
 *     provisional until it has
 */
public record ListenConfig(double latencyMs, double windowMs, int learnExamples, int inputBlockFrames,
                           double ringSeconds, StreamingOnsetDetector.Params onset, Classifier classifier,
                           boolean autoLatency) {
    /**
     * Which shipped classifier names a hit when no class has been learned.
     * {@link #SHORT}: {@code classifier_short.onnx} on its 10 ms after the onset; {@link #FULL}: the
     * full-clip classifier on the whole window (silence after it); {@link #BLEND}: both, their
     * probabilities averaged; {@link #AUTO}: the default, {@link ListenMode#classifierFor} says which.
     */
    public enum Classifier { AUTO, SHORT, FULL, BLEND }

    /** Listen mode's input and model rate. */
    public static final int INPUT_RATE_HZ = FeatureSpec.CURRENT.sampleRateHz();
    /**
     * Latency of {@link #defaults()}, and of {@code auto} until (or where) the machine could not be
     * measured: the smallest that held on the development machine (README).
     */
    public static final double DEFAULT_LATENCY_MS = 20.0;
    /** What {@code --listen-latency-ms} takes for a latency chosen at start. */
    public static final String AUTO = "auto";
    /**
     * Latency not spent listening: the input block, waking the listen thread, classifying, one
     * engine block, and the scheduling jitter of a loaded two-core machine (see the README).
     */
    public static final double RESERVE_MS = 10.0;
    /** Shortest classification window. */
    public static final double MIN_WINDOW_MS = 10.0;
    /** Longest classification window. */
    public static final double MAX_WINDOW_MS = 250.0;
    /** Smallest latency {@link #forLatency} accepts. */
    public static final double MIN_LATENCY_MS = MIN_WINDOW_MS + RESERVE_MS;
    public static final int DEFAULT_LEARN_EXAMPLES = 5;
    /**
     * Frames per input read: half the detector's hop, so the end of a hit's window is seen within
     * 0.7 ms of its capture, not 1.3 (perf-tests/RESULTS-LISTEN.md at L = 20 ms: decision latency
     * p50 11.09 against 11.51 ms, p95 15.42 against 15.53 ms).
     */
    public static final int DEFAULT_INPUT_BLOCK = 32;

    public ListenConfig {
        if (!(latencyMs > 0 && latencyMs <= 1000)) {
            throw new IllegalArgumentException("listen latency must be in (0, 1000] ms, got " + latencyMs);
        }
        if (!(windowMs >= MIN_WINDOW_MS && windowMs <= MAX_WINDOW_MS)) {
            throw new IllegalArgumentException("classification window must be " + MIN_WINDOW_MS + ".." + MAX_WINDOW_MS
                    + " ms, got " + windowMs);
        }
        if (learnExamples < 1 || learnExamples > 64) {
            throw new IllegalArgumentException("learn examples must be 1..64, got " + learnExamples);
        }
        if (inputBlockFrames < 16 || inputBlockFrames > 4096) {
            throw new IllegalArgumentException("input block must be 16..4096 frames, got " + inputBlockFrames);
        }
        if (classifier == null) {
            throw new IllegalArgumentException("classifier choice must be given (AUTO for the default)");
        }
        if (!(ringSeconds >= 1 && ringSeconds <= 600)) {
            throw new IllegalArgumentException("input ring must hold 1..600 s, got " + ringSeconds);
        }
    }

    /** The defaults with a fixed latency: {@value #DEFAULT_LATENCY_MS} ms. */
    public static ListenConfig defaults() {
        return forLatency(DEFAULT_LATENCY_MS);
    }

    /**
     * The defaults with the latency chosen at start ({@link LatencyCalibration}): provisionally
     * {@value #DEFAULT_LATENCY_MS} ms, until listen mode has measured what a decision costs here.
     */
    public static ListenConfig auto() {
        ListenConfig d = defaults();
        return new ListenConfig(d.latencyMs, d.windowMs, d.learnExamples, d.inputBlockFrames, d.ringSeconds, d.onset,
                d.classifier, true);
    }

    /**
     * {@code --listen-latency-ms}: {@value #AUTO} or a number of milliseconds.
     *
     * @throws IllegalArgumentException with a one-line reason for anything else
     */
    public static ListenConfig parseLatency(String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase(AUTO)) {
            return auto();
        }
        double ms;
        try {
            ms = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen-latency-ms must be auto or " + (int) MIN_LATENCY_MS
                    + "..1000 ms, got '" + value + "'");
        }
        return forLatency(ms);
    }

    /**
     * The window a latency leaves: {@code latency - RESERVE_MS}, within
     * {@link #MIN_WINDOW_MS}..{@link #MAX_WINDOW_MS} (below {@link #MIN_LATENCY_MS} the reserve is
     * what is left after the shortest window; {@link LatencyCalibration} checks that it suffices).
     */
    public static double windowFor(double latencyMs) {
        return Math.max(MIN_WINDOW_MS, Math.min(MAX_WINDOW_MS, latencyMs - RESERVE_MS));
    }

    /**
     * This configuration at a latency {@link LatencyCalibration} chose, with the window
     * {@link #windowFor} it leaves; no longer {@code auto}.
     */
    public ListenConfig chosen(double ms) {
        return new ListenConfig(ms, windowFor(ms), learnExamples, inputBlockFrames, ringSeconds, onset, classifier, false);
    }

    /**
     * The configuration for a latency, with the longest window it allows.
     *
     * @throws IllegalArgumentException with a one-line reason below {@link #MIN_LATENCY_MS}
     */
    public static ListenConfig forLatency(double latencyMs) {
        if (!(latencyMs >= MIN_LATENCY_MS && latencyMs <= 1000)) {
            throw new IllegalArgumentException("--listen-latency-ms must be " + (int) MIN_LATENCY_MS + "..1000 (a "
                    + (int) MIN_WINDOW_MS + " ms window plus " + (int) RESERVE_MS + " ms to decide and schedule), got "
                    + latencyMs);
        }
        double window = Math.min(MAX_WINDOW_MS, latencyMs - RESERVE_MS);
        return new ListenConfig(latencyMs, window, DEFAULT_LEARN_EXAMPLES, DEFAULT_INPUT_BLOCK, 30.0,
                StreamingOnsetDetector.Params.defaults(), Classifier.AUTO, false);
    }

    /** This configuration with another window (tests and benchmarks that set both). */
    public ListenConfig withWindowMs(double ms) {
        return new ListenConfig(latencyMs, ms, learnExamples, inputBlockFrames, ringSeconds, onset, classifier, autoLatency);
    }

    /** This configuration with another, fixed latency, keeping the window. */
    public ListenConfig withLatencyMs(double ms) {
        return new ListenConfig(ms, windowMs, learnExamples, inputBlockFrames, ringSeconds, onset, classifier, false);
    }

    /** This configuration with another learn count. */
    public ListenConfig withLearnExamples(int k) {
        return new ListenConfig(latencyMs, windowMs, k, inputBlockFrames, ringSeconds, onset, classifier, autoLatency);
    }

    /** This configuration with other detector settings. */
    public ListenConfig withOnset(StreamingOnsetDetector.Params params) {
        return new ListenConfig(latencyMs, windowMs, learnExamples, inputBlockFrames, ringSeconds, params, classifier, autoLatency);
    }

    /** This configuration with another input block (frames per read). */
    public ListenConfig withInputBlockFrames(int frames) {
        return new ListenConfig(latencyMs, windowMs, learnExamples, frames, ringSeconds, onset, classifier, autoLatency);
    }

    /** This configuration with another classifier choice. */
    public ListenConfig withClassifier(Classifier c) {
        return new ListenConfig(latencyMs, windowMs, learnExamples, inputBlockFrames, ringSeconds, onset, c, autoLatency);
    }

    /** Window in input frames. */
    public int windowFrames() {
        return (int) Math.round(windowMs * INPUT_RATE_HZ / 1000.0);
    }

    /** Latency in frames at {@code engineRateHz}. */
    public long latencyFrames(int engineRateHz) {
        return Math.round(latencyMs * engineRateHz / 1000.0);
    }
}
