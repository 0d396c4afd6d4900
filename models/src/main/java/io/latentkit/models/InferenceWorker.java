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
 * <p>{@link #submit} is any-thread; tasks run one at a time on the worker thread, in order.
 */
public final class InferenceWorker implements AutoCloseable {
    /** A unit of model work, run on the worker thread with exclusive use of the models. */
    @FunctionalInterface
    public interface Task<T> {
        T run(Models models) throws Exception;
    }

    private final Models models;
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
