package io.latentkit.listen.input;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input agent: reads blocks from the {@link AudioSource} (the read paces it, as the sound card
 * paces the render thread), appends them to the {@link SampleRing}, stamps each block's arrival on
 * the {@link InputTimeline}, and wakes the listen agent. A source that stops delivering is counted,
 * closed and reopened every {@link #RETRY_NANOS} until it comes back; serving never depends on it.
 *
 * <p>Threading: {@link #doWork} on the input thread only; the status accessors from any thread.
 */
public final class InputAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(InputAgent.class);
    /** Between attempts to open a missing or lost input. */
    public static final long RETRY_NANOS = 1_000_000_000L;

    /** Counters the agent writes (each has this agent as its only writer). */
    public record Counters(AtomicLong framesRead, AtomicLong lost, AtomicLong opened, AtomicLong openFailures) {
    }

    private final AudioSource source;
    private final int sampleRateHz;
    private final SampleRing ring;
    private final InputTimeline timeline;
    private final Counters counters;
    private final float[] block;
    private volatile Thread wake;
    private volatile boolean open;
    private volatile long lastBlockNanos;
    private long nextAttemptNanos;
    private boolean loggedLoss;
    private boolean loggedOpenFailure;

    /**
     * @param alreadyOpen whether the caller opened {@code source} before the agent starts (the
     *     first attempt is then not the agent's)
     */
    public InputAgent(AudioSource source, int sampleRateHz, int blockFrames, SampleRing ring, InputTimeline timeline,
                      Counters counters, boolean alreadyOpen) {
        this.source = source;
        this.sampleRateHz = sampleRateHz;
        this.ring = ring;
        this.timeline = timeline;
        this.counters = counters;
        this.block = new float[blockFrames];
        this.open = alreadyOpen;
        this.lastBlockNanos = System.nanoTime();
        this.nextAttemptNanos = System.nanoTime() + RETRY_NANOS;
        // The caller's failed first attempt was already reported; later ones are logged once.
        this.loggedOpenFailure = !alreadyOpen;
    }

    /** The thread to wake after each block (the listen agent's). Any thread. */
    public void wake(Thread thread) {
        this.wake = thread;
    }

    /** Whether the source is open and delivering. Any thread. */
    public boolean isOpen() {
        return open;
    }

    /** {@link System#nanoTime()} when the last block arrived (or the agent started). Any thread. */
    public long lastBlockNanos() {
        return lastBlockNanos;
    }

    @Override
    public int doWork() {
        if (!open) {
            return tryOpen();
        }
        final int frames = block.length;
        int got = source.read(block, frames);
        long arrival = System.nanoTime();
        if (got > 0) {
            ring.write(block, 0, got);
            timeline.observe(ring.written(), arrival);
            counters.framesRead().addAndGet(got);
            lastBlockNanos = arrival;
            Thread t = wake;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        if (got < frames) {
            counters.lost().incrementAndGet();
            open = false;
            source.close();
            nextAttemptNanos = arrival + RETRY_NANOS;
            if (!loggedLoss) {
                loggedLoss = true;
                LOG.warn("listen input {} stopped delivering; serving goes on, reopening every {} s (further losses"
                        + " are counted, not logged)", source.describe(), RETRY_NANOS / 1_000_000_000L);
            }
        }
        return 1;
    }

    private int tryOpen() {
        long now = System.nanoTime();
        if (now < nextAttemptNanos) {
            LockSupport.parkNanos(Math.min(nextAttemptNanos - now, 50_000_000L));
            return 0;
        }
        nextAttemptNanos = now + RETRY_NANOS;
        try {
            source.open(sampleRateHz);
            counters.opened().incrementAndGet();
            open = true;
            lastBlockNanos = System.nanoTime();
            if (loggedLoss || loggedOpenFailure) {
                LOG.info("listen input {} is back", source.describe());
            }
            return 1;
        } catch (AudioSourceException e) {
            counters.openFailures().incrementAndGet();
            if (!loggedOpenFailure) {
                loggedOpenFailure = true;
                LOG.warn("listen input unavailable: {} (retrying every {} s; further failures are counted)",
                        e.getMessage(), RETRY_NANOS / 1_000_000_000L);
            }
            return 0;
        }
    }

    @Override
    public void onClose() {
        source.close();
    }

    @Override
    public String roleName() {
        return "latentkit-listen-input";
    }
}
