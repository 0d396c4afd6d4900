package io.latentkit.models;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns the ONNX sessions. Other threads (OSC receivers, the live-input
 * listener, the loader) submit tasks and get a future; the render thread never submits or waits:
 * finished sounds reach it as fully built sample buffers through the control ring.
 *
 * <p>The models can be replaced while the server runs ({@link #replace}): the swap is itself a task,
 * so it falls between two units of work (never inside a decode), every later task gets the new
 * models, and the old ones are closed on the worker thread right after.
 *
 * <p>{@link #submit} and {@link #replace} are any-thread; tasks run one at a time on the worker
 * thread, in order.
 */
public final class InferenceWorker implements AutoCloseable {
    /** A unit of model work, run on the worker thread with exclusive use of the models. */
    @FunctionalInterface
    public interface Task<T> {
        T run(Models models) throws Exception;
    }

    private volatile Models models;
    private final ExecutorService executor;
    private volatile Thread thread;

    public InferenceWorker(Models models) {
        this.models = models;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "latentkit-inference");
            t.setDaemon(true);
            // Below the render thread: inference may wait, the audio may not.
            t.setPriority(Thread.NORM_PRIORITY - 1);
            thread = t;
            return t;
        });
    }

    public Models models() {
        return models;
    }

    /** Whether the caller is the worker thread. */
    public boolean isWorkerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Replaces the models between two tasks: on the worker thread, puts {@code next} in, runs
     * {@code adopt} with it (the users of the old models let go of them there), then closes the old
     * ones. If {@code adopt} throws, the old models stay and {@code next} is closed.
     *
     * @return completes once the old models are closed, or with what {@code adopt} threw
     */
    public CompletableFuture<Void> replace(Models next, Task<?> adopt) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        executor.execute(() -> {
            Models old = models;
            models = next;
            try {
                adopt.run(next);
            } catch (Exception | Error e) {
                models = old;
                next.close();
                f.completeExceptionally(e);
                return;
            }
            old.close();
            f.complete(null);
        });
        return f;
    }

    /** Queues a task; the future completes on the worker thread with its result or its exception. */
    public <T> CompletableFuture<T> submit(Task<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                f.complete(task.run(models));
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Stops accepting work, lets queued tasks finish (up to 5 s), then closes the models. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        models.close();
    }
}
