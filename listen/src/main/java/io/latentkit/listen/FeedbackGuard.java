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
 * again at every onset the same way and forgotten when fewer than half of our voices are followed
 * at its lag (the speaker was turned away, the gain turned down).
 *
 * <p>Timing alone is the evidence, and it costs two things. Until the path is found the first
 * echoes trigger again (a loop runs {@value #MIN_MATCHES} rounds; the echo that completes the
 * evidence is itself dropped). And a performer who doubles every one of our drums, each within a
 * millisecond of where its echo would be, is taken for feedback; one who plays along with a
 * pattern, on some of its steps, with a human's timing, is not (FeedbackGuardTest).
 *
 * <p>Not thread-safe: the listen thread only (it polls the telemetry reader with this handler and
 * asks about onsets). Allocation-free after construction.
 */
final class FeedbackGuard implements TelemetryHandler {
    static final int MAX_LAG_MS = 300;
    /** Shortest lag taken for a path: below it a sound cannot have left the speaker and come back. */
    static final int MIN_LAG_MS = 2;
    static final double TOLERANCE_MS = 3.0;
    static final double MATCH_MS = 1.5;
    static final int CHECKED_VOICES = 8;
    /** Voices older than this are not checked (the onsets kept reach back further). */
    static final int HORIZON_SECONDS = 4;
    static final int MIN_MATCHES = 3;
    static final double MATCH_SHARE = 0.75;
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
    private boolean locked;
    private long lagFrames;
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
        if (locked) {
            rate(lagFrames, onsetFrame);
            if (due >= MIN_MATCHES + 1 && matched * 2 < due) {
                locked = false;
            }
        }
        if (!locked) {
            for (int i = voiceCount - 1; i >= 0 && !locked; i--) {
                long lag = onsetFrame - voice(i);
                if (lag > maxLagFrames) {
                    break;
                }
                if (lag < minLagFrames) {
                    continue;
                }
                rate(lag, onsetFrame);
                if (matched >= MIN_MATCHES && matched >= MATCH_SHARE * due) {
                    locked = true;
                    paths++;
                    lagFrames = lag + Math.round(offsetSum / (double) matched);
                }
            }
        }
        if (!locked) {
            return false;
        }
        for (int i = voiceCount - 1; i >= 0; i--) {
            long lag = onsetFrame - voice(i);
            if (lag > lagFrames + toleranceFrames) {
                return false;
            }
            if (Math.abs(lag - lagFrames) <= toleranceFrames) {
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
        return locked;
    }

    /** The feedback path's lag in engine frames, or -1 when none is known. */
    long lagFrames() {
        return locked ? lagFrames : -1;
    }

    /** Feedback paths found so far (a path lost and found again counts twice). */
    long paths() {
        return paths;
    }
}
