package io.latentkit.engine.control;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Slow work done the way scsynth does its sequenced commands: <b>prepare</b> off the render thread
 * (here, on the engine's loader thread: decode, build, configure), <b>apply</b> as one
 * {@link Stage} event at a block boundary, <b>retire</b> what it replaced off the render thread,
 * then <b>reply</b>: the returned future completes with the applied stage, or fails with a one-line
 * reason. Kit loads, preset loads, latent decodes, extractions and pattern loads all go through
 * here.
 *
 * <p>The loader's queue is bounded: a request beyond it fails at once with {@link BusyException}
 * (counted), and a request whose key equals one still waiting in the queue joins it instead of
 * queueing twice (a flood of {@code /kit/load x} costs one load).
 *
 * <p>Threading: {@link #submit} and {@link #publish} from any thread; they return at once. The
 * loader is one daemon thread ({@code latentkit-loader}), started on first use. Applied stages are
 * completed by whichever of the loader and the engine's housekeeping thread gets there first.
 */
public final class StagedCommands implements AutoCloseable {
    /** How long a published stage may take to come back before its request fails. */
    static final long APPLY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The request was refused because the loader's queue is full. */
    public static final class BusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BusyException(String message) {
            super(message, null, false, false);
        }
    }

    private final EngineProxy proxy;
    private final Consumer<Consumer<Stage>> appliedSource;
    private final int capacity;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Map<String, Job> queuedByKey = new HashMap<>();
    private final Map<Job, Long> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong refusedBusy = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final ControlThreads controlThreads;
    private Thread loader;
    private boolean closed;

    /**
     * @param appliedSource drains the engine's applied stages into the consumer it is given
     * @param capacity requests that may wait for the loader
     * @param controlThreads restarts the loader thread if something escapes it, and says so
     */
    public StagedCommands(EngineProxy proxy, Consumer<Consumer<Stage>> appliedSource, int capacity,
            ControlThreads controlThreads) {
        this.controlThreads = Objects.requireNonNull(controlThreads, "controlThreads");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.appliedSource = Objects.requireNonNull(appliedSource, "appliedSource");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Queues {@code prepare} for the loader thread; the stage it returns is applied at the next
     * block boundary. {@code key} names the request for coalescing (e.g. {@code "/kit/load 808"}):
     * while a request with the same key waits, this one shares its result.
     *
     * @return completes with the applied stage; fails with the exception {@code prepare} threw (its
     *     message is the reason), {@link BusyException}, or an {@link IllegalStateException} when the
     *     engine refused the stage or did not apply it in time
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<Stage> submit(String key, Supplier<Stage> prepare) {
        Objects.requireNonNull(prepare, "prepare");
        CompletableFuture<Object> f = enqueue(key, new Job(key, prepare, null));
        return (CompletableFuture<Stage>) (CompletableFuture<?>) f;
    }

    private CompletableFuture<Object> enqueue(String key, Job job) {
        Objects.requireNonNull(key, "key");
        synchronized (queue) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("server is stopping"));
            }
            Job waiting = queuedByKey.get(key);
            if (waiting != null) {
                coalesced.incrementAndGet();
                return waiting.result;
            }
            if (queue.size() >= capacity) {
                refusedBusy.incrementAndGet();
                return CompletableFuture.failedFuture(new BusyException("busy: " + capacity
                        + " requests already wait for the loader; try again"));
            }
            queue.addLast(job);
            queuedByKey.put(key, job);
            if (loader == null) {
                loader = new Thread(controlThreads.supervised("latentkit-loader", this::runLoader, this::isClosed),
                        "latentkit-loader");
                loader.setDaemon(true);
                loader.start();
            }
            queue.notifyAll();
            return job.result;
        }
    }

    /**
     * Queues plain work for the loader thread (a library listing, a file write) under the same
     * bound and coalescing as {@link #submit}; nothing reaches the render thread.
     *
     * @return completes with what {@code work} returned, or fails with what it threw or
     *     {@link BusyException}
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> run(String key, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        CompletableFuture<Object> f = enqueue(key, new Job(key, null, work::get));
        return (CompletableFuture<T>) (CompletableFuture<?>) f;
    }

    /**
     * Applies an already prepared stage (from an inference or other preparing thread) at
     * {@code atFrame}, on the calling thread. The stage's token is replaced by the request's own.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<Stage> publish(Supplier<Stage> prepared, long atFrame) {
        Job job = new Job("publish", prepared, null);
        apply(job, atFrame);
        return (CompletableFuture<Stage>) (CompletableFuture<?>) job.result;
    }

    /** The engine's control-thread supervisor, for threads that complete these commands. Any thread. */
    public ControlThreads controlThreads() {
        return controlThreads;
    }

    /** Requests refused because the queue was full. Any thread. */
    public long refusedBusy() {
        return refusedBusy.get();
    }

    /** Requests that joined an identical waiting one. Any thread. */
    public long coalesced() {
        return coalesced.get();
    }

    /** Requests waiting for the loader now. Any thread. */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /**
     * Completes every request whose stage the render thread has handed back, and fails those that
     * did not come back in time. Any thread off the render thread; returns how many it completed.
     */
    public synchronized int completeApplied() {
        int[] n = {0};
        appliedSource.accept(stage -> {
            if (stage.token() instanceof Job job && inFlight.remove(job) != null) {
                n[0]++;
                if (stage.wasRejected()) {
                    job.result.completeExceptionally(new IllegalStateException(
                            "the engine refused it (a kit at another sample rate, or beyond the scheduling horizon)"));
                } else {
                    job.result.complete(stage);
                }
            }
        });
        if (!inFlight.isEmpty()) {
            long now = System.nanoTime();
            for (Iterator<Map.Entry<Job, Long>> it = inFlight.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Job, Long> e = it.next();
                if (now - e.getValue() > APPLY_TIMEOUT_NANOS) {
                    it.remove();
                    e.getKey().result.completeExceptionally(new IllegalStateException(
                            "the engine did not apply it within " + TimeUnit.NANOSECONDS.toSeconds(APPLY_TIMEOUT_NANOS) + " s"));
                }
            }
        }
        return n[0];
    }

    private void runLoader() {
        while (true) {
            Job job;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    if (inFlight.isEmpty()) {
                        waitQuietly(100);
                    } else {
                        break;
                    }
                }
                if (closed && queue.isEmpty()) {
                    return;
                }
                job = queue.pollFirst();
                if (job != null) {
                    queuedByKey.remove(job.key, job);
                }
            }
            if (job != null && job.work != null) {
                try {
                    job.result.complete(job.work.get());
                } catch (RuntimeException e) {
                    job.result.completeExceptionally(e);
                } catch (Error e) {
                    failed(job, e);
                }
            } else if (job != null) {
                apply(job, EngineProxy.ASAP);
            } else {
                // Something is in flight: check for its return about every millisecond.
                parkMillis();
            }
            completeApplied();
        }
    }

    /**
     * An {@link Error} in a request's work: its sender hears why, and the loader thread is
     * restarted by its supervisor (the Error may have left this thread's state broken).
     */
    private static void failed(Job job, Error e) {
        job.result.completeExceptionally(new IllegalStateException("the loader failed (" + e + "); it was restarted", e));
        throw e;
    }

    private boolean isClosed() {
        synchronized (queue) {
            return closed;
        }
    }

    private void waitQuietly(long millis) {
        try {
            queue.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static void parkMillis() {
        LockSupport.parkNanos(1_000_000L);
    }

    private void apply(Job job, long atFrame) {
        Stage stage;
        try {
            stage = job.prepare.get();
        } catch (RuntimeException e) {
            job.result.completeExceptionally(e);
            return;
        } catch (Error e) {
            failed(job, e);
            return;
        }
        if (stage == null) {
            job.result.completeExceptionally(new IllegalStateException("nothing to apply"));
            return;
        }
        stage.bind(job);
        inFlight.put(job, System.nanoTime());
        if (!proxy.stage(stage, atFrame)) {
            inFlight.remove(job);
            job.result.completeExceptionally(new IllegalStateException("engine busy (control ring full); try again"));
        }
    }

    /** Stops the loader; waiting requests fail. Any thread. */
    @Override
    public void close() {
        Thread t;
        synchronized (queue) {
            closed = true;
            for (Job j : queue) {
                j.result.completeExceptionally(new IllegalStateException("server is stopping"));
            }
            queue.clear();
            queuedByKey.clear();
            queue.notifyAll();
            t = loader;
        }
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One request: a stage to prepare or plain work, and the future its issuer waits on. */
    private static final class Job {
        final String key;
        final Supplier<Stage> prepare;
        final Supplier<Object> work;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Job(String key, Supplier<Stage> prepare, Supplier<Object> work) {
            this.key = key;
            this.prepare = prepare;
            this.work = work;
        }
    }
}
