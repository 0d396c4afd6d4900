package io.latentkit.listen;

import io.latentkit.engine.control.TelemetryHandler;

/**
 * Tells the server's own drums, heard again through the input (a speaker into the exhibit's
 * microphone), from the performer's hits, so listen mode does not trigger itself without end
 * (issue 20).
 *
 * <p>The engine says what it played and when: every voice start reaches this guard through the
 * telemetry stream, on the engine's frame clock, which is also where input onsets are placed. A
 * feedback path is a fixed delay (the output buffer, the air, the input buffer), so every drum of
 * ours that the microphone hears is followed by an onset at one lag, to within the clock model's
 * and the detector's jitter. At each onset the guard takes the lag to each of our voice starts in
 * the {@value #MAX_LAG_MS} ms before it, and asks of each lag: of our last
 * {@value #CHECKED_VOICES} voice starts whose echo at that lag would have arrived by now, how many
 * were followed by an onset at that lag, within ±{@value #MATCH_MS} ms? When {@value #MIN_MATCHES}
 * or more, and at least {@value #MATCH_SHARE} of them, were, that lag is the feedback path. From
 * then on an onset that follows any of our voice starts at that lag, within ±{@value #TOLERANCE_MS}
 * ms, is an echo: {@link #isEcho} says so, and the caller drops and counts it. The path is checked
 * again at every onset the same way and forgotten when fewer than a quarter of our last
 * {@value #CHECKED_VOICES} voices are followed at its lag (the speaker was turned away, the gain
 * turned down); an echo the performer's own sound masks is not heard, so not every voice of ours
 * is followed even while the path is there.
 *
 * <p>Timing alone is the evidence, and it costs two things. Until the path is found the first
 * echoes trigger again (a loop runs {@value #MIN_MATCHES} rounds; the echo that completes the
 * evidence is itself dropped). And timing cannot tell an echo from a hit that lands at the echo's
 * lag after our drum to within a quarter of a millisecond, again and again: a steady groove does
 * that now and then (a drum two steps after another falls at two steps less L after its drum). In
 * FeedbackGuardTest's grooves at 120 BPM with each hit up to 4 ms off the grid, about 1 hit in
 * 700 is dropped; a machine-tight input (a drum machine into the microphone, within 1 ms) loses
 * about 1 in 10, and should run with the guard off ({@code /listen/feedback 0}).
 *
 * <p>Not thread-safe: the listen thread only (it polls the telemetry reader with this handler and
 * asks about onsets). Allocation-free after construction.
 */
final class FeedbackGuard implements TelemetryHandler {
    static final int MAX_LAG_MS = 300;
    /** Shortest lag taken for a path: below it a sound cannot have left the speaker and come back. */
    static final int MIN_LAG_MS = 2;
    static final double TOLERANCE_MS = 1.0;
    static final double MATCH_MS = 0.25;
    static final int CHECKED_VOICES = 8;
    /** Voices older than this are not checked (the onsets kept reach back further). */
    static final int HORIZON_SECONDS = 4;
    static final int MIN_MATCHES = 4;
    static final double MATCH_SHARE = 0.5;
    /**
     * Paths kept at once: the lag at which an echo is found depends a little on the sound and on
     * what it lands on (an echo on a ringing tail is found a few milliseconds late), so one
     * speaker can make two or three.
     */
    static final int MAX_PATHS = 4;
    /** A path is forgotten when fewer than 1 in this many of our last voices are followed at its lag. */
    static final int UNLOCK_SHARE_INVERSE = 4;
    private static final int VOICES = 256;
    /** Onsets kept: at 25 a second (a drum roll), the horizon and more. */
    private static final int ONSETS = 128;

    private final long minLagFrames;
    private final long maxLagFrames;
    private final long toleranceFrames;
    private final long matchFrames;
    private final long horizonFrames;
    private final long[] voices = new long[VOICES];
    private final long[] onsets = new long[ONSETS];
    private int voiceHead;
    private int voiceCount;
    private int onsetHead;
    private int onsetCount;
    private long lastVoiceFrame = Long.MIN_VALUE;
    /** The paths found: their lags in engine frames. */
    private final long[] lags = new long[MAX_PATHS];
    private int pathCount;
    private long paths;
    /** Set by {@link #rate}: voices checked and voices followed at the lag. */
    private int due;
    private int matched;
    private long offsetSum;

    FeedbackGuard(int engineRateHz) {
        this.minLagFrames = (long) MIN_LAG_MS * engineRateHz / 1000;
        this.maxLagFrames = (long) MAX_LAG_MS * engineRateHz / 1000;
        this.toleranceFrames = Math.round(TOLERANCE_MS * engineRateHz / 1000.0);
        this.matchFrames = Math.round(MATCH_MS * engineRateHz / 1000.0);
        this.horizonFrames = (long) HORIZON_SECONDS * engineRateHz;
    }

    @Override
    public void onVoiceStarted(long tag, int pad, long frame) {
        voiceStarted(frame);
    }

    /** One of our voices started at engine frame {@code frame}. */
    void voiceStarted(long frame) {
        if (frame == lastVoiceFrame) {
            return; // a chord of pads at one frame is one sound to the microphone
        }
        lastVoiceFrame = frame;
        voices[(voiceHead + voiceCount) % VOICES] = frame;
        if (voiceCount < VOICES) {
            voiceCount++;
        } else {
            voiceHead = (voiceHead + 1) % VOICES;
        }
    }

    private long voice(int i) {
        return voices[(voiceHead + i) % VOICES];
    }

    /**
     * Takes note of the onset at engine frame {@code onsetFrame} and says whether it is an echo of
     * one of our voices over the feedback path (found now or before).
     */
    boolean isEcho(long onsetFrame) {
        onsets[(onsetHead + onsetCount) % ONSETS] = onsetFrame;
        if (onsetCount < ONSETS) {
            onsetCount++;
        } else {
            onsetHead = (onsetHead + 1) % ONSETS;
        }
        for (int p = 0; p < pathCount; p++) {
            rate(lags[p], onsetFrame);
            if (due >= CHECKED_VOICES && matched * UNLOCK_SHARE_INVERSE < due) {
                lags[p] = lags[--pathCount];
                p--;
            }
        }
        for (int i = voiceCount - 1; i >= 0 && pathCount < MAX_PATHS; i--) {
            long lag = onsetFrame - voice(i);
            if (lag > maxLagFrames) {
                break;
            }
            if (lag < minLagFrames || known(lag)) {
                continue;
            }
            rate(lag, onsetFrame);
            if (matched >= MIN_MATCHES && matched >= MATCH_SHARE * due) {
                lags[pathCount++] = lag + Math.round(offsetSum / (double) matched);
                paths++;
            }
        }
        for (int i = voiceCount - 1; i >= 0 && pathCount > 0; i--) {
            long lag = onsetFrame - voice(i);
            if (lag > maxLagFrames + toleranceFrames) {
                return false;
            }
            if (known(lag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code lag} is within the tolerance of a path found. */
    private boolean known(long lag) {
        for (int p = 0; p < pathCount; p++) {
            if (Math.abs(lag - lags[p]) <= toleranceFrames) {
                return true;
            }
        }
        return false;
    }

    /**
     * Of our last {@value #CHECKED_VOICES} voice starts whose echo at {@code lag} is due by
     * {@code now}, how many have an onset at that lag: sets {@link #due}, {@link #matched} and the
     * matched onsets' summed offset from the lag.
     */
    private void rate(long lag, long now) {
        due = 0;
        matched = 0;
        offsetSum = 0;
        for (int i = voiceCount - 1; i >= 0 && due < CHECKED_VOICES; i--) {
            long expected = voice(i) + lag;
            if (expected > now) {
                continue;
            }
            if (now - expected > horizonFrames) {
                break;
            }
            due++;
            for (int k = onsetCount - 1; k >= 0; k--) {
                long d = onsets[(onsetHead + k) % ONSETS] - expected;
                if (d < -matchFrames) {
                    break;
                }
                if (d <= matchFrames) {
                    matched++;
                    offsetSum += d;
                    break;
                }
            }
        }
    }

    /** Whether a feedback path is known now. */
    boolean locked() {
        return pathCount > 0;
    }

    /** The shortest known path's lag in engine frames, or -1 when none is known. */
    long lagFrames() {
        long min = -1;
        for (int p = 0; p < pathCount; p++) {
            min = min < 0 ? lags[p] : Math.min(min, lags[p]);
        }
        return min;
    }

    /** Feedback paths known now. */
    int pathsNow() {
        return pathCount;
    }

    /** Feedback paths found so far (a path lost and found again counts twice). */
    long paths() {
        return paths;
    }
}
