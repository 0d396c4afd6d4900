package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The feedback guard on onsets and voice starts placed by hand (engine frames at 48 kHz). */
class FeedbackGuardTest {
    private static final int SR = 48_000;
    private static final long LAG = 1024 + 25 * 48; // an output buffer plus 25 ms of air and input buffer
    private static final long L = 20 * 48;

    @Test
    void aLoopOfOurOwnDrumsIsFoundOnItsThirdEchoAndItsEchoesAreDroppedFromThen() {
        FeedbackGuard g = new FeedbackGuard(SR);
        long onset = SR;
        int passed = 0;
        for (int round = 0; round < 20; round++) {
            // Each onset that passes plays a drum at onset + L, which the microphone hears LAG later.
            if (g.isEcho(onset + (round * 7L % 10) - 5)) { // a tenth of a millisecond of jitter
                break;
            }
            passed++;
            g.voiceStarted(onset + L);
            onset += L + LAG;
        }
        assertEquals(4, passed, "the performer's hit and three echoes pass; the fourth echo finds the path");
        assertTrue(g.locked());
        assertEquals(LAG, g.lagFrames(), 48, "the path's lag");
        assertEquals(1, g.paths());
    }

    @Test
    void aPerformersHitsAfterThePathIsFoundStillPassWhileTheirEchoesDoNot() {
        FeedbackGuard g = new FeedbackGuard(SR);
        Random rng = new Random(3);
        long t = SR;
        int realPassed = 0;
        int echoesPassed = 0;
        for (int hit = 0; hit < 30; hit++) {
            if (!g.isEcho(t)) {
                realPassed++;
                g.voiceStarted(t + L);
            }
            // Its echo, with a millisecond of detector and clock jitter.
            long echo = t + L + LAG + rng.nextInt(11) - 5; // a tenth of a millisecond of jitter
            if (!g.isEcho(echo)) {
                echoesPassed++;
                g.voiceStarted(echo + L);
                if (!g.isEcho(echo + L + LAG)) {
                    echoesPassed++;
                }
            }
            t += 300 * 48 + rng.nextInt(200 * 48);
        }
        assertEquals(30, realPassed, "every performer's hit passes");
        assertTrue(echoesPassed <= 4, "only the echoes before the path was found pass: " + echoesPassed);
    }

    @Test
    void aPerformerPlayingAlongWithAPatternIsNotTakenForFeedback() {
        FeedbackGuard g = new FeedbackGuard(SR);
        Random rng = new Random(5);
        long step = SR * 60 / 120 / 4; // sixteenths at 120 BPM
        int dropped = 0;
        for (int s = 0; s < 400; s++) {
            long beat = SR + s * step;
            g.voiceStarted(beat); // the pattern's hat
            if (s % 2 == 0) {
                // The drummer on the eighths, a human's ±5 ms around the pattern, 5 ms behind it on average.
                long hit = beat + 5 * 48 + Math.round(rng.nextGaussian() * 5 * 48);
                if (g.isEcho(hit)) {
                    dropped++;
                } else {
                    g.voiceStarted(hit + L);
                }
            }
        }
        assertFalse(g.locked() && dropped > 10, "a performer in time with the pattern lost " + dropped + " of 200 hits");
        assertTrue(dropped <= 4, dropped + " of 200 hits dropped");
    }

    @Test
    void aSteadyGrooveWithAHumansTimingLosesAlmostNoHits() {
        // The listen benchmark's grooves: eighths and some sixteenths at 120 BPM, each hit up to
        // 4 ms early or late, every hit playing a drum at onset + L, and no speaker at all. A groove
        // this steady makes the lag from our drum to the hit two steps later nearly constant.
        int total = 0;
        int dropped = 0;
        for (int seed = 0; seed < 20; seed++) {
            FeedbackGuard g = new FeedbackGuard(SR);
            Random rng = new Random(seed);
            long step = SR * 60 / 120 / 4;
            for (int s = 0; s < 400; s++) {
                if (s % 2 != 0 && rng.nextDouble() > 0.3 || rng.nextDouble() > 0.9) {
                    continue;
                }
                long hit = SR + s * step + Math.round((rng.nextDouble() * 2 - 1) * 4 * 48);
                total++;
                if (g.isEcho(hit)) {
                    dropped++;
                } else {
                    g.voiceStarted(hit + L);
                }
            }
        }
        assertTrue(dropped <= total / 200, dropped + " of " + total + " hits taken for echoes");
    }

    @Test
    void aPathIsForgottenOnceItsEchoesStop() {
        FeedbackGuard g = new FeedbackGuard(SR);
        long onset = SR;
        for (int round = 0; round < 5; round++) {
            g.isEcho(onset);
            g.voiceStarted(onset + L);
            onset += L + LAG;
        }
        assertTrue(g.locked());
        Random rng = new Random(9);
        for (int i = 0; i < 12 && g.locked(); i++) {
            onset += SR / 3 + rng.nextInt(SR / 5);
            // The speaker was turned away: the performer's hits still play drums, no echo follows.
            assertFalse(g.isEcho(onset));
            g.voiceStarted(onset + L);
        }
        assertFalse(g.locked());
        assertEquals(-1, g.lagFrames());
    }
}
