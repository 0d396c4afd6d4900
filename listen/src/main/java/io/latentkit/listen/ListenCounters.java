package io.latentkit.listen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What listen mode counts instead of logging: each expected failure (a late decision, a stalled or
 * vanished input, a model that failed on one window) is a number here, for {@code /status}.
 *
 * <p>Threading: each counter has one writer (the input agent or the listen agent) and any number
 * of readers.
 */
public final class ListenCounters {
    final AtomicLong onsets = new AtomicLong();
    final AtomicLong hits = new AtomicLong();
    final AtomicLong triggered = new AtomicLong();
    final AtomicLong missedSlots = new AtomicLong();
    final AtomicLong undecided = new AtomicLong();
    final AtomicLong modelErrors = new AtomicLong();
    final AtomicLong listenerErrors = new AtomicLong();
    final AtomicLong framesRead = new AtomicLong();
    final AtomicLong inputLost = new AtomicLong();
    final AtomicLong inputOpened = new AtomicLong();
    final AtomicLong openFailures = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final AtomicLong overruns = new AtomicLong();
    final AtomicLong feedbackSuppressed = new AtomicLong();
    final AtomicLong feedbackPaths = new AtomicLong();
    final AtomicLong feedbackLagMicros = new AtomicLong(-1);

    /** Onsets the detector found (while enabled). */
    public long onsets() {
        return onsets.get();
    }

    /** Hits decided and reported to listeners. */
    public long hits() {
        return hits.get();
    }

    /** Hits that played a pad. */
    public long triggered() {
        return triggered.get();
    }

    /** Hits whose decision came too late for onset + L and played at once. */
    public long missedSlots() {
        return missedSlots.get();
    }

    /** Onsets dropped because the models were not (yet) available. */
    public long undecided() {
        return undecided.get();
    }

    /** Onsets dropped because a model failed on their window. */
    public long modelErrors() {
        return modelErrors.get();
    }

    /** Hit listeners that threw. */
    public long listenerErrors() {
        return listenerErrors.get();
    }

    /** Input frames read. */
    public long framesRead() {
        return framesRead.get();
    }

    /** Times the input stopped delivering (device gone, line closed) and was closed to be reopened. */
    public long inputLost() {
        return inputLost.get();
    }

    /** Times the input was opened (the first time included). */
    public long inputOpened() {
        return inputOpened.get();
    }

    /** Attempts to open the input that failed. */
    public long openFailures() {
        return openFailures.get();
    }

    /** Times the input delivered nothing for longer than the stall limit while open. */
    public long stalls() {
        return stalls.get();
    }

    /** Times the listen agent fell a whole ring behind the input and skipped ahead. */
    public long overruns() {
        return overruns.get();
    }

    /** Onsets dropped as our own drums heard again through the input (a feedback path, {@link FeedbackGuard}). */
    public long feedbackSuppressed() {
        return feedbackSuppressed.get();
    }

    /** Feedback paths found (output reaching the input at a fixed lag). */
    public long feedbackPaths() {
        return feedbackPaths.get();
    }

    /** The feedback path's lag now, in microseconds, or -1 when none is known (a gauge, not a count). */
    public long feedbackLagMicros() {
        return feedbackLagMicros.get();
    }

    /** Every counter by name, in a fixed order (for {@code /status}). */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("onsets", onsets());
        m.put("hits", hits());
        m.put("triggered", triggered());
        m.put("missed_slots", missedSlots());
        m.put("undecided", undecided());
        m.put("model_errors", modelErrors());
        m.put("listener_errors", listenerErrors());
        m.put("frames_read", framesRead());
        m.put("input_lost", inputLost());
        m.put("input_opened", inputOpened());
        m.put("open_failures", openFailures());
        m.put("stalls", stalls());
        m.put("overruns", overruns());
        m.put("feedback_suppressed", feedbackSuppressed());
        m.put("feedback_paths", feedbackPaths());
        m.put("feedback_lag_us", feedbackLagMicros());
        return m;
    }
}
