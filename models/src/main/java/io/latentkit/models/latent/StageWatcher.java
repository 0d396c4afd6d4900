package io.latentkit.models.latent;

import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Completes the latent pads' published stages promptly: while one is in flight, polls
 * {@link StagedCommands#completeApplied()} every {@link #POLL_NANOS}, so that a pad's
 * {@code /latent/ready} leaves within a fraction of a millisecond of the block that made its sound
 * live. Without it the engine's housekeeping completes them: in {@code serve} on the conductor,
 * which parks up to 1 ms between duty cycles (measured in {@code LatentMorphBenchmark}: 1.3 ms at
 * the median from the control ring to the completed future, against 0.8-1.0 ms with the watcher,
 * most of which is the wait for the next block); an engine's own housekeeping thread sleeps up to
 * 20 ms (11 ms at the median). Parks when nothing is in flight, so an idle server pays nothing.
 *
 * <p>Threading: {@link #watch} from the inference worker (any thread); the poll runs on its own
 * daemon thread, {@code latentkit-latent-replies}, which sends the replies the completed futures
 * trigger. It never touches the render thread.
 */
final class StageWatcher implements AutoCloseable {
    /** Between two polls while a stage is in flight: a fifth of a 64-frame block at 48 kHz. */
    static final long POLL_NANOS = 250_000L;
    /** Longest park with nothing in flight (a watch unparks it at once). */
    private static final long IDLE_NANOS = 100_000_000L;

    private final StagedCommands commands;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    StageWatcher(StagedCommands commands) {
        this.commands = commands;
        this.thread = new Thread(commands.controlThreads().supervised("latentkit-latent-replies", this::run, () -> closed),
                "latentkit-latent-replies");
        thread.setDaemon(true);
        thread.start();
    }

    /** Publishes {@code stage} at the next block, watched by {@code watcher} unless it is {@code null}. */
    static CompletableFuture<Stage> publish(StageWatcher watcher, StagedCommands commands, Stage stage) {
        if (watcher != null) {
            watcher.expect();
        }
        CompletableFuture<Stage> f = commands.publish(() -> stage, EngineProxy.ASAP);
        if (watcher != null) {
            watcher.watch(f);
        }
        return f;
    }

    /** Call just before publishing; {@code published} is what the publish returned. */
    void watch(CompletableFuture<?> published) {
        published.whenComplete((s, e) -> inFlight.decrementAndGet());
        LockSupport.unpark(thread);
    }

    /** Call just before publishing a stage that {@link #watch} will be given. */
    void expect() {
        inFlight.incrementAndGet();
    }

    private void run() {
        while (!closed) {
            if (inFlight.get() <= 0) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            } else {
                commands.completeApplied();
                if (inFlight.get() > 0) {
                    LockSupport.parkNanos(this, POLL_NANOS);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
