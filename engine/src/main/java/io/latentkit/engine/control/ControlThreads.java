package io.latentkit.engine.control;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an engine's control threads alive: the OSC receiver, the loader, housekeeping, the
 * conductor, listen mode's agents. Each has its own guard for what it expects (a bad packet, a
 * kit that fails to load); this is the guard for what nobody expects: an {@link Error} (the heap
 * running out, a class that fails to link, a stack overflow) or a bug escaping the loop. Such a
 * failure used to end the thread, and the process stayed up deaf. Here the loop is entered again
 * on the same thread, after a backoff, and the failure is logged with its stack trace and counted
 * ({@link #restarts()}, {@code control_restarts} in {@code /status.reply}).
 *
 * <p>Backoff: none after a loop that had run for {@value #HEALTHY_MILLIS} ms or more (one failure
 * in a long run costs nothing); otherwise 10 ms, doubling up to 1 s while the loop keeps failing
 * at once, so a failure that repeats (a heap that stays full) cannot spin a core.
 *
 * <p>Agrona's {@code AgentRunner} hands an agent's exceptions to its error handler and goes on, but
 * rethrows an {@link Error} after it, which ends the thread: {@link #agent} wraps an agent so an
 * Error is handled here the same way, and the runner never sees it.
 *
 * <p>Threading: every method from any thread; a supervised loop runs on the thread that runs it.
 */
public final class ControlThreads {
    private static final Logger LOG = LoggerFactory.getLogger(ControlThreads.class);
    /** A loop that ran this long before failing is restarted at once. */
    static final long HEALTHY_MILLIS = 10_000;
    static final long FIRST_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 1_000;

    private final AtomicLong restarts = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    /**
     * {@code loop} run until {@code stopping} says so; whatever escapes it while not stopping is
     * reported and the loop entered again. A loop that returns normally ends the thread.
     */
    public Runnable supervised(String name, Runnable loop, BooleanSupplier stopping) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(stopping, "stopping");
        return () -> {
            Backoff backoff = new Backoff();
            while (true) {
                long entered = System.nanoTime();
                try {
                    loop.run();
                    return;
                } catch (Throwable t) {
                    if (stopping.getAsBoolean()) {
                        return;
                    }
                    long pause = backoff.next(entered);
                    report(name, t, pause);
                    if (!sleep(pause, stopping)) {
                        return;
                    }
                }
            }
        };
    }

    /**
     * {@code agent} with every {@link Error} from its duty cycle reported here, and the duty cycle
     * carried on after the backoff, instead of ending the runner's thread. Exceptions go to the
     * runner's error handler as before; {@link AgentTerminationException} still stops the runner.
     */
    public Agent agent(String name, Agent agent) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(agent, "agent");
        return new Agent() {
            private final Backoff backoff = new Backoff();
            private long healthySince = System.nanoTime();

            @Override
            public void onStart() {
                agent.onStart();
            }

            @Override
            public int doWork() throws Exception {
                try {
                    return agent.doWork();
                } catch (Error e) {
                    long pause = backoff.next(healthySince);
                    report(name, e, pause);
                    sleep(pause, () -> Thread.currentThread().isInterrupted());
                    healthySince = System.nanoTime();
                    return 0;
                }
            }

            @Override
            public void onClose() {
                agent.onClose();
            }

            @Override
            public String roleName() {
                return agent.roleName();
            }
        };
    }

    /** Control loops restarted so far. */
    public long restarts() {
        return restarts.get();
    }

    /** {@code "thread: cause"} of the latest restart, or {@code null} when there was none. */
    public String lastFailure() {
        return lastFailure.get();
    }

    private void report(String name, Throwable t, long pauseMillis) {
        long n = restarts.incrementAndGet();
        lastFailure.set(name + ": " + t);
        try {
            LOG.error("control thread {} died of {}; restarted after {} ms (restart {} of these control threads)",
                    name, t, pauseMillis, n, t);
        } catch (Throwable logFailed) {
            // The logger itself may fail when the heap is full; the count above still says it.
        }
    }

    /** Sleeps {@code millis}, in short steps so a stop is noticed; false when stopping. */
    private static boolean sleep(long millis, BooleanSupplier stopping) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }

    /** The pause before a restart: 0 after a healthy run, else doubling from 10 ms to 1 s. */
    static final class Backoff {
        private long next = FIRST_BACKOFF_MILLIS;

        long next(long enteredNanos) {
            if (System.nanoTime() - enteredNanos >= TimeUnit.MILLISECONDS.toNanos(HEALTHY_MILLIS)) {
                next = FIRST_BACKOFF_MILLIS;
                return 0;
            }
            long pause = next;
            next = Math.min(MAX_BACKOFF_MILLIS, next * 2);
            return pause;
        }
    }
}
