package io.latentkit.models.latent;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.ValueBoard;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.ModelException;
import io.latentkit.models.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The latent pads of a server: any pad may hold a point of the VAE's latent space instead of a
 * fixed sample, and move through the space while it plays. Requests arrive from any control thread
 * (OSC, MIDI learn, the console) into each pad's {@link LatentSlot}; the model runs only on the
 * {@link InferenceWorker}'s thread, in short units (one decode each), so that other model work
 * interleaves; finished sounds reach the render thread as staged pad samples at a block boundary.
 * Decoding never runs on the render thread, and a hit plays the sound that was live at its note-on.
 *
 * <p>A move is served, in order of preference, from the cache of exact decodes (a position visited
 * before), from the pad's pre-decoded grid (an equal-power blend of the four grid sounds around it,
 * refined by the exact decode unless a newer move comes first), or by an exact decode. A pad whose
 * decode fails, or whose model is missing, keeps its last good sound and the sender gets the reason.
 *
 * <p>Threading: every public method from any thread, returning at once, except
 * {@link #prepareRestore}, which waits for the worker (the loader thread's preset load).
 */
public final class LatentAgent implements AutoCloseable {
    private final EngineProxy proxy;
    private final StagedCommands commands;
    private final int engineRateHz;
    private final LatentConfig config;
    private final LatentLibrary library;
    private final LatentStats stats = new LatentStats();
    private final LatentSlot[] slots = new LatentSlot[DrumClass.COUNT];
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile InferenceWorker worker;
    private volatile int latentSize = -1;
    private volatile String unavailable = "models loading";
    private volatile boolean closed;
    /** Created on the worker thread at its first task; the worker's only. */
    private volatile LatentWork work;
    private volatile ValueBoard board;
    private volatile int valueBase = -1;
    private volatile StageWatcher watcher;
    private volatile LatentTrace trace;
    private volatile BiConsumer<String, Object[]> subscribers;
    private int roundRobin;

    /** @param library the sounds folder, or {@code null} for none (library names fail) */
    public LatentAgent(EngineProxy proxy, StagedCommands commands, int engineRateHz, LatentConfig config,
            LatentLibrary library) {
        this.proxy = proxy;
        this.commands = commands;
        this.engineRateHz = engineRateHz;
        this.config = config;
        this.library = library;
        AtomicLong seqs = new AtomicLong();
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new LatentSlot(i, seqs);
        }
    }

    /** The models are loaded: requests are served from now on (or fail with their reason). */
    public void attach(InferenceWorker w) {
        Models m = w.models();
        if (!m.isAvailable()) {
            unavailable = m.unavailableReason().orElse("unknown");
            return;
        }
        try {
            latentSize = m.vae().latentSize();
        } catch (ModelException e) {
            unavailable = e.getMessage();
            return;
        }
        ensureWatcher();
        this.worker = w;
        unavailable = null;
        signal();
    }

    /** Starts the pads' stage watcher once, when models are there to decode with. */
    private synchronized void ensureWatcher() {
        if (config.promptReplies() && watcher == null && !closed) {
            watcher = new StageWatcher(commands);
        }
    }

    /**
     * Worker thread only, inside the task that put {@code m} into {@code w} ({@link InferenceWorker#replace}):
     * from the next unit on the pads decode with {@code m}; the old model's cached decodes and grids
     * are dropped, each pad's point, corners and playing sound are kept (issue 20).
     */
    public void modelsReplaced(InferenceWorker w, Models m) throws ModelException {
        VaeLatentSpace space = new VaeLatentSpace(m.vae());
        LatentWork lw = work;
        if (lw != null) {
            lw.replaceSpace(space);
        }
        latentSize = space.size();
        ensureWatcher();
        worker = w;
        unavailable = null;
        signal();
    }

    /** The models could not be loaded: every request fails with {@code reason}. */
    public void unavailable(String reason) {
        this.unavailable = reason;
    }

    /** Why requests fail at once, or empty when the models are there. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable == null ? null : "models unavailable: " + unavailable);
    }

    /** Numbers in a latent point of the loaded model, or -1 before it is loaded. */
    public int latentSize() {
        return latentSize;
    }

    public LatentConfig config() {
        return config;
    }

    public LatentStats stats() {
        return stats;
    }

    public LatentLibrary library() {
        return library;
    }

    /**
     * The slots of the position value nodes: x of pad {@code p} at {@code base + 2p}, y at
     * {@code base + 2p + 1}; published by the worker. Build time only.
     */
    public void bindValues(ValueBoard valueBoard, int base) {
        this.valueBase = base;
        this.board = valueBoard;
    }

    /** Times every hop of every request from now on ({@code null} stops); for the benchmark. Any thread. */
    public void trace(LatentTrace t) {
        this.trace = t;
    }

    /**
     * Where {@code /notify} subscribers hear each new sound of a latent pad going live, from any
     * source (OSC, MIDI learn, the console): {@code /latent/pos ,iff pad x y} and
     * {@code /latent/ready ,iih pad id frame}, with the id of the request it answers or -1 (e.g. the
     * OSC server's {@code notifySubscribers}); {@code null} for none. Any thread.
     */
    public void subscribers(BiConsumer<String, Object[]> notify) {
        this.subscribers = notify;
    }

    // ---- requests ----

    /** A move to {@code (x, y)} (0..1, checked by the caller); {@code call} hears of failure, and of readiness with an id. */
    public void move(int pad, float x, float y, String address, Call call, boolean hasId, int id) {
        LatentSlot s = slots[pad];
        long seq = s.awaitReply(address, hasId, id, call);
        LatentTrace t = trace;
        if (t != null) {
            t.hop(seq, LatentTrace.RECEIVED, System.nanoTime(), hasId ? id : -1);
        }
        put(s, new LatentSlot.Move(seq, LatentSlot.XY, x, y, true, true, -1, 0f, null));
    }

    /** A value node moved x alone (MIDI learn, the console): no reply, merges with a waiting y. */
    public boolean setX(int pad, float x) {
        return partial(pad, x, 0f, true, false);
    }

    /** A value node moved y alone. */
    public boolean setY(int pad, float y) {
        return partial(pad, 0f, y, false, true);
    }

    private boolean partial(int pad, float x, float y, boolean withX, boolean withY) {
        if (worker == null || closed) {
            return false;
        }
        stats.moves.incrementAndGet();
        if (slots[pad].putPartial(x, y, withX, withY)) {
            stats.superseded.incrementAndGet();
        }
        signal();
        return true;
    }

    /** From the pad's sound towards pad {@code target}'s, {@code t} of the way (0..1). */
    public void morph(int pad, int target, float t, String address, Call call, boolean hasId, int id) {
        LatentSlot s = slots[pad];
        long seq = s.awaitReply(address, hasId, id, call);
        put(s, new LatentSlot.Move(seq, LatentSlot.MORPH, 0f, 0f, false, false, target, t, null));
    }

    /** The whole vector, for clients that run their own mapping. */
    public void z(int pad, float[] z, String address, Call call, boolean hasId, int id) {
        LatentSlot s = slots[pad];
        long seq = s.awaitReply(address, hasId, id, call);
        put(s, new LatentSlot.Move(seq, LatentSlot.Z, 0f, 0f, false, false, -1, 0f, z.clone()));
    }

    private void put(LatentSlot s, LatentSlot.Move m) {
        stats.moves.incrementAndGet();
        if (s.put(m)) {
            stats.superseded.incrementAndGet();
        }
        signal();
    }

    /** Sets corner 0..3 to a sound; {@code /done} once the pad plays its new position. */
    public void anchor(int pad, int corner, String sound, Call call) {
        command(pad, "/latent/anchor", corner, sound, Float.NaN, call);
    }

    /** A random point ({@code variance} NaN) or one around the pad's point. */
    public void generate(int pad, float variance, Call call, boolean hasId, int id) {
        LatentSlot s = slots[pad];
        long seq = s.awaitReply("/latent/generate", hasId, id, call);
        s.command(new LatentSlot.Command(seq, "/latent/generate", -1, null, variance, null));
        signal();
    }

    /** Back to the kit's sample. */
    public void revert(int pad, Call call) {
        command(pad, "/latent/revert", -1, null, Float.NaN, call);
    }

    /** Freezes the pad's sound as sound {@code name} of the library. */
    public void commit(int pad, String name, Call call) {
        command(pad, "/latent/commit", -1, name, Float.NaN, call);
    }

    private void command(int pad, String address, int corner, String sound, float variance, Call call) {
        LatentSlot s = slots[pad];
        s.command(new LatentSlot.Command(s.nextSeq(), address, corner, sound, variance, call));
        signal();
    }

    // ---- the worker's duty ----

    private void signal() {
        InferenceWorker w = worker;
        if (w != null && !closed && scheduled.compareAndSet(false, true)) {
            w.submit(models -> {
                pump();
                return null;
            });
        }
    }

    /** One unit of work (a request, a refinement or a grid point), then again if more is waiting. */
    private void pump() {
        try {
            ensureWork(worker.models());
            step();
        } catch (ModelException | RuntimeException e) {
            // The VAE itself is missing: every waiting request hears why.
            unavailable = LatentWork.reason(e);
            failAll(unavailable);
        } finally {
            scheduled.set(false);
            if (hasWork()) {
                signal();
            }
        }
    }

    /** Worker thread: the VAE's side of the pads, made at the first task. */
    private void ensureWork(Models models) throws ModelException {
        if (work == null) {
            work = new LatentWork(new VaeLatentSpace(models.vae()), proxy, commands, engineRateHz, config, stats, slots,
                    library);
        }
        // The namespace may bind the value slots after the worker's first task (attach before build).
        ValueBoard b = board;
        if (b != null) {
            work.bindValues(b, valueBase);
        }
        work.observe(watcher, trace, subscribers);
    }

    private boolean hasWork() {
        for (LatentSlot s : slots) {
            if (s.hasRequests() || work != null && work.refinePending(s.pad)) {
                return true;
            }
        }
        return work != null && work.gridsPending();
    }

    private void step() {
        for (int k = 0; k < slots.length; k++) {
            LatentSlot s = slots[(roundRobin + k) % slots.length];
            Object next = s.take();
            if (next != null) {
                roundRobin = (s.pad + 1) % slots.length;
                if (next instanceof LatentSlot.Move m) {
                    work.serve(s, m);
                } else {
                    LatentCommands.run(work, s, (LatentSlot.Command) next, stats, library, commands);
                }
                return;
            }
        }
        for (LatentSlot s : slots) {
            if (work.refine(s)) {
                return;
            }
        }
        if (!work.buildGridStep() && work.refineWaiting()) {
            // Only refinements of moving pads are owed: look again in half a millisecond.
            LockSupport.parkNanos(500_000L);
        }
    }

    private void failAll(String reason) {
        for (LatentSlot s : slots) {
            for (Object o; (o = s.take()) != null;) {
                if (o instanceof LatentSlot.Command c && c.call() != null) {
                    c.call().fail(c.address(), "pad " + s.pad, "models unavailable: " + reason);
                } else {
                    s.fail(o instanceof LatentSlot.Move m ? m.seq() : ((LatentSlot.Command) o).seq(),
                            "models unavailable: " + reason);
                }
            }
        }
    }

    // ---- presets ----

    /** Every latent pad's state, as presets and the autosave keep it. */
    public List<LatentPadState> states() {
        List<LatentPadState> out = new ArrayList<>();
        for (LatentSlot s : slots) {
            LatentPadState st = s.published;
            if (st != null) {
                out.add(st);
            }
        }
        return out;
    }

    /** The model the points belong to, or "" before the models are loaded. */
    public String modelId() {
        LatentWork w = work;
        return w == null ? "" : w.space.modelId();
    }

    /** Sounds decoded for a preset's latent pads, ready for its stage. */
    public record Restore(List<LatentPadState> states, Sample[] samples, long[] digests, List<String> mismatches) {
        /** Sets every pad of {@code stage}: the preset's latent pads their sounds, the others back to the kit. */
        public void applyTo(Stage stage) {
            for (int p = 0; p < samples.length; p++) {
                stage.padSample(p, samples[p]);
            }
        }
    }

    /**
     * Decodes a preset's latent pads on the worker and waits (at most {@code timeoutMs}); on the
     * loader thread. No latent pads need no model.
     *
     * @throws IllegalStateException with the reason when the models are missing or a decode fails
     */
    public Restore prepareRestore(List<LatentPadState> states, long timeoutMs) {
        Sample[] samples = new Sample[DrumClass.COUNT];
        long[] digests = new long[DrumClass.COUNT];
        if (states.isEmpty()) {
            return new Restore(List.of(), samples, digests, List.of());
        }
        InferenceWorker w = worker;
        if (w == null) {
            throw new IllegalStateException("it has latent pads and the models are unavailable: " + unavailable);
        }
        List<String> mismatches = new ArrayList<>();
        try {
            w.submit(models -> {
                ensureWork(models);
                LatentSpace space = work.space;
                for (LatentPadState st : states) {
                    if (st.z().length != space.size()) {
                        throw new IllegalArgumentException("latent pad " + st.pad() + " has " + st.z().length
                                + " numbers; this model's points have " + space.size());
                    }
                    float[] pcm = new float[space.clipSamples()];
                    space.decode(st.z(), pcm);
                    long d = SoundCache.digest(pcm);
                    if (st.digest() >= 0 && st.digest() != d) {
                        mismatches.add("pad " + st.pad());
                    }
                    digests[st.pad()] = d;
                    samples[st.pad()] = work.toSample(pcm);
                }
                return null;
            }).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a latent pad cannot be decoded: " + LatentWork.reason(e.getCause()), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the latent pads were not decoded within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return new Restore(List.copyOf(states), samples, digests, List.copyOf(mismatches));
    }

    /** After the preset's stage was applied: the pads take the preset's state (others are not latent). */
    public void adopt(Restore r) {
        InferenceWorker w = worker;
        Runnable apply = () -> {
            boolean[] latent = new boolean[DrumClass.COUNT];
            for (LatentPadState st : r.states()) {
                latent[st.pad()] = true;
                if (work != null) {
                    work.pad(st.pad()).adopt(st, r.digests()[st.pad()]);
                    slots[st.pad()].published = work.pad(st.pad()).state();
                }
            }
            for (int p = 0; p < DrumClass.COUNT; p++) {
                if (!latent[p]) {
                    if (work != null) {
                        work.pad(p).clear();
                    }
                    slots[p].published = null;
                }
            }
        };
        if (w == null) {
            for (LatentSlot s : slots) {
                s.published = null;
            }
            return;
        }
        w.submit(models -> {
            ensureWork(models);
            apply.run();
            work.publishValues();
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
    }
}
