package io.latentkit.models.latent;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.Resampler;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.core.namespace.ValueBoard;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import io.latentkit.models.LatentOps;
import io.latentkit.models.ModelException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The inference worker's side of the latent pads: turns each request into a point, finds its sound
 * (the cache, the grid, or an exact decode), and hands it to the render thread as a staged pad
 * sample; keeps every pad's {@link LatentPad} state and builds grids when idle.
 *
 * <p>Not thread-safe: the inference worker only (the one thread that runs the model).
 */
final class LatentWork {
    /** How long the worker waits for the render thread's snapshot of the kit (a block or two). */
    static final long SNAPSHOT_TIMEOUT_MS = 2_000;
    /**
     * How long a pad served from its grid must rest before the exact decode replaces the blend: a
     * decode started mid-gesture would hold up the next move by one decode (measured: grid-served
     * moves then answered in a decode's time, not at once).
     */
    static final long REFINE_AFTER_NANOS = 40_000_000L;

    /** Replaced only by {@link #replaceSpace} (a model reload); read by other threads for its id. */
    volatile LatentSpace space;
    private final EngineProxy proxy;
    private final StagedCommands commands;
    private final int engineRateHz;
    private final LatentConfig config;
    private final LatentStats stats;
    private final LatentSlot[] slots;
    private final LatentPad[] pads = new LatentPad[DrumClass.COUNT];
    private final SoundCache cache;
    private final Random rng;
    private final LatentLibrary library;
    private final float[] scratchA;
    private final float[] scratchB;
    private ValueBoard board;
    private int valueBase = -1;
    private StageWatcher watcher;
    private LatentTrace trace;
    private BiConsumer<String, Object[]> subscribers;

    LatentWork(LatentSpace space, EngineProxy proxy, StagedCommands commands, int engineRateHz, LatentConfig config,
            LatentStats stats, LatentSlot[] slots, LatentLibrary library) {
        this.library = library;
        this.space = space;
        this.proxy = proxy;
        this.commands = commands;
        this.engineRateHz = engineRateHz;
        this.config = config;
        this.stats = stats;
        this.slots = slots;
        for (int i = 0; i < pads.length; i++) {
            pads[i] = new LatentPad(i);
        }
        this.cache = new SoundCache(config.cacheEntries());
        this.rng = new Random(config.seed());
        this.scratchA = new float[space.size()];
        this.scratchB = new float[space.size()];
    }

    /** A reloaded model (same latent size): drops what the old one decoded, keeps the pads' points. */
    void replaceSpace(LatentSpace next) {
        space = next;
        cache.clear();
        for (LatentPad p : pads) {
            p.grid = null;
            p.refineKey = 0;
        }
    }

    void bindValues(ValueBoard valueBoard, int base) {
        this.board = valueBoard;
        this.valueBase = base;
    }

    /** The agent's prompt completer, hop trace and {@code /notify} subscribers; each may be {@code null}. */
    void observe(StageWatcher stageWatcher, LatentTrace latentTrace, BiConsumer<String, Object[]> notify) {
        this.watcher = stageWatcher;
        this.trace = latentTrace;
        this.subscribers = notify;
    }

    private void hop(long seq, int hop, long arg) {
        LatentTrace t = trace;
        if (t != null) {
            t.hop(seq, hop, System.nanoTime(), arg);
        }
    }

    LatentPad pad(int i) {
        return pads[i];
    }

    // ---- moves ----

    void serve(LatentSlot slot, LatentSlot.Move m) {
        LatentPad p = pads[slot.pad];
        boolean wasLatent = p.latent;
        hop(m.seq(), LatentTrace.TAKEN, 0);
        try {
            ensureLatent(p);
            switch (m.kind()) {
                case LatentSlot.XY -> serveXy(slot, p, m);
                case LatentSlot.MORPH -> serveMorph(slot, p, m);
                default -> serveZ(slot, p, m.z(), LatentPadState.Z, m.seq());
            }
        } catch (ModelException | RuntimeException e) {
            stats.failures.incrementAndGet();
            if (!wasLatent) {
                p.clear(); // it keeps playing its sample: nothing changed
            }
            slot.fail(m.seq(), reason(e));
        }
    }

    private CompletableFuture<Stage> serveXy(LatentSlot slot, LatentPad p, LatentSlot.Move m) throws ModelException {
        int steps = config.positionSteps();
        float x = LatentMath.quantise(m.hasX() ? m.x() : p.x, steps);
        float y = LatentMath.quantise(m.hasY() ? m.y() : p.y, steps);
        long key = SoundCache.key(p.pad, 0, p.generation, Math.round(x * steps), Math.round(y * steps));
        float[] z = new float[space.size()];
        LatentMath.bilinear(p.anchors, x, y, z, scratchA, scratchB);
        SoundCache.Entry hit = cache.get(key);
        if (hit != null) {
            stats.cacheHits.incrementAndGet();
            commitXy(p, x, y);
            hop(m.seq(), LatentTrace.SOUND, 1);
            return install(slot, p, hit.sample(), z, hit.digest(), m.seq());
        }
        LatentGrid g = p.grid;
        if (g != null && g.complete() && g.generation() == p.generation) {
            float[] blend = new float[space.clipSamples()];
            g.blend(x, y, blend);
            stats.gridHits.incrementAndGet();
            commitXy(p, x, y);
            hop(m.seq(), LatentTrace.SOUND, 2);
            CompletableFuture<Stage> f = install(slot, p, toSample(blend), z, -1, m.seq());
            // The exact decode follows unless a newer move comes first.
            p.refineKey = key;
            p.refineZ = z;
            p.refineSeq = m.seq();
            p.gridServedNanos = System.nanoTime();
            return f;
        }
        SoundCache.Entry e = decodeExact(z);
        cache.put(key, e);
        stats.exactDecodes.incrementAndGet();
        commitXy(p, x, y);
        hop(m.seq(), LatentTrace.SOUND, 0);
        return install(slot, p, e.sample(), z, e.digest(), m.seq());
    }

    private void commitXy(LatentPad p, float x, float y) {
        p.x = x;
        p.y = y;
        p.mode = LatentPadState.XY;
        p.morphTarget = -1;
        p.refineKey = 0;
        if (board != null) {
            board.publish(valueBase + 2 * p.pad, x);
            board.publish(valueBase + 2 * p.pad + 1, y);
        }
    }

    /** Serves the exact decode owed after a grid blend; true if there was one. */
    boolean refine(LatentSlot slot) {
        LatentPad p = pads[slot.pad];
        if (p.refineKey == 0 || System.nanoTime() - p.gridServedNanos < REFINE_AFTER_NANOS) {
            return false;
        }
        long key = p.refineKey;
        p.refineKey = 0;
        try {
            SoundCache.Entry e = decodeExact(p.refineZ);
            cache.put(key, e);
            stats.refinements.incrementAndGet();
            install(slot, p, e.sample(), p.refineZ, e.digest(), p.refineSeq);
        } catch (ModelException | RuntimeException e) {
            // The blend stays: it is a good sound, only not the exact one.
            stats.failures.incrementAndGet();
        }
        return true;
    }

    private void serveMorph(LatentSlot slot, LatentPad p, LatentSlot.Move m) throws ModelException {
        if (!LatentPadState.MORPH.equals(p.mode) || p.morphTarget != m.target()) {
            // A new morph starts from the pad's sound as it is now, towards the target's.
            p.morphFrom = p.z;
            p.morphTo = pointOf(m.target());
            p.morphTarget = m.target();
            p.morphGeneration++;
        }
        int steps = config.positionSteps();
        float t = LatentMath.quantise(m.t(), steps);
        long key = SoundCache.key(p.pad, 1, p.morphGeneration, Math.round(t * steps), m.target());
        float[] z = new float[space.size()];
        LatentMath.slerp(p.morphFrom, p.morphTo, t, z);
        SoundCache.Entry e = cache.get(key);
        if (e != null) {
            stats.cacheHits.incrementAndGet();
        } else {
            e = decodeExact(z);
            cache.put(key, e);
            stats.exactDecodes.incrementAndGet();
        }
        p.mode = LatentPadState.MORPH;
        p.refineKey = 0;
        install(slot, p, e.sample(), z, e.digest(), m.seq());
    }

    void serveZ(LatentSlot slot, LatentPad p, float[] z, String mode, long seq) throws ModelException {
        if (z.length != space.size()) {
            throw new IllegalArgumentException("the model's latent vector has " + space.size() + " numbers, not " + z.length);
        }
        SoundCache.Entry e = decodeExact(z);
        stats.exactDecodes.incrementAndGet();
        p.mode = mode;
        p.morphTarget = -1;
        p.refineKey = 0;
        install(slot, p, e.sample(), z, e.digest(), seq);
    }

    // ---- commands ----

    /** Sets a corner and serves the position again; throws with the reason, changing nothing. */
    CompletableFuture<Stage> anchor(LatentSlot slot, int corner, String sound, long seq) throws ModelException {
        LatentPad p = pads[slot.pad];
        float[] point = resolve(sound);
        boolean wasLatent = p.latent;
        String oldName = p.anchorNames[corner];
        float[] oldPoint = p.anchors[corner];
        try {
            ensureLatent(p);
            p.setAnchor(corner, sound, point);
            return serveXy(slot, p, new LatentSlot.Move(seq, LatentSlot.XY, p.x, p.y, true, true, -1, 0f, null));
        } catch (ModelException | RuntimeException e) {
            if (!wasLatent) {
                p.clear();
            } else {
                p.setAnchor(corner, oldName, oldPoint);
            }
            throw e;
        }
    }

    /** A new point: from the prior ({@code variance} NaN), or around the pad's point. */
    void generate(LatentSlot slot, float variance, long seq) throws ModelException {
        LatentPad p = pads[slot.pad];
        boolean wasLatent = p.latent;
        try {
            ensureLatent(p);
            float[] z = variance != variance ? LatentOps.random(space.size(), rng) : LatentOps.vary(p.z, variance, rng);
            serveZ(slot, p, z, LatentPadState.Z, seq);
        } catch (ModelException | RuntimeException e) {
            if (!wasLatent) {
                p.clear();
            }
            throw e;
        }
    }

    /** Hands the pad back to its kit's sample. */
    CompletableFuture<Stage> revert(LatentSlot slot) {
        LatentPad p = pads[slot.pad];
        p.clear();
        slot.published = null;
        Stage stage = new Stage(null).padSample(slot.pad, null);
        return commands.publish(() -> stage, EngineProxy.ASAP);
    }

    /** The exact decode of the pad's point, for a commit. */
    SoundCache.Entry exactSound(LatentPad p) throws ModelException {
        if (!p.latent) {
            throw new IllegalArgumentException("pad " + p.pad + " is not latent");
        }
        return decodeExact(p.z);
    }

    // ---- grids ----

    /** Decodes one grid point of a pad that needs one; false when every grid is complete. */
    boolean buildGridStep() {
        if (config.gridSize() == 0) {
            return false;
        }
        for (LatentPad p : pads) {
            if (!p.latent || !LatentPadState.XY.equals(p.mode)) {
                continue;
            }
            if (p.grid == null || p.grid.generation() != p.generation) {
                p.grid = new LatentGrid(config.gridSize(), config.positionSteps(), p.generation);
            }
            LatentGrid g = p.grid;
            if (g.complete()) {
                continue;
            }
            int i = g.next();
            float[] z = new float[space.size()];
            LatentMath.bilinear(p.anchors, g.x(i), g.y(i), z, scratchA, scratchB);
            long t0 = System.nanoTime();
            float[] pcm = new float[space.clipSamples()];
            try {
                space.decode(z, pcm);
            } catch (ModelException | RuntimeException e) {
                stats.failures.incrementAndGet();
                p.grid = null; // tried again from scratch at the next idle moment
                return true;
            }
            g.add(pcm, System.nanoTime() - t0);
            if (g.complete()) {
                // The figures first: a reader that sees the count go up must see them.
                stats.lastGridBuildNanos.set(g.buildNanos());
                stats.lastGridDecodeNanos.set(g.decodeNanos());
                stats.lastGridBytes.set(g.bytes(space.clipSamples()));
                stats.gridsBuilt.incrementAndGet();
            }
            return true;
        }
        return false;
    }

    boolean gridsPending() {
        if (config.gridSize() == 0) {
            return false;
        }
        for (LatentPad p : pads) {
            if (p.latent && LatentPadState.XY.equals(p.mode)
                    && (p.grid == null || p.grid.generation() != p.generation || !p.grid.complete())) {
                return true;
            }
        }
        return false;
    }

    boolean refinePending(int pad) {
        return pads[pad].refineKey != 0;
    }

    /** Whether a refinement waits for its pad to rest (the worker then pauses briefly rather than spin). */
    boolean refineWaiting() {
        for (LatentPad p : pads) {
            if (p.refineKey != 0) {
                return true;
            }
        }
        return false;
    }

    // ---- sounds ----

    /** Hands {@code sample} to the render thread as the pad's sound; replies once it is live. */
    private CompletableFuture<Stage> install(LatentSlot slot, LatentPad p, Sample sample, float[] z, long digest,
            long seq) {
        p.z = z;
        p.digest = digest;
        slot.published = p.state();
        Stage stage = new Stage(null).padSample(p.pad, sample);
        float x = p.x;
        float y = p.y;
        BiConsumer<String, Object[]> notify = subscribers;
        CompletableFuture<Stage> f = StageWatcher.publish(watcher, commands, stage);
        hop(seq, LatentTrace.PUBLISHED, 0);
        f.whenComplete((applied, error) -> {
            if (error != null) {
                stats.failures.incrementAndGet();
                slot.fail(seq, reason(error));
            } else {
                hop(seq, LatentTrace.COMPLETED, applied.appliedFrame());
                slot.ready(seq, x, y, applied.appliedFrame(), notify);
            }
        });
        return f;
    }

    /** Publishes every pad's position on the value board (after a preset). */
    void publishValues() {
        if (board != null) {
            for (LatentPad p : pads) {
                board.publish(valueBase + 2 * p.pad, p.x);
                board.publish(valueBase + 2 * p.pad + 1, p.y);
            }
        }
    }

    SoundCache.Entry decodeExact(float[] z) throws ModelException {
        float[] pcm = new float[space.clipSamples()];
        space.decode(z, pcm);
        return new SoundCache.Entry(pcm, toSample(pcm), z, SoundCache.digest(pcm));
    }

    /** A decode (at the model's rate) as a sample at the engine's rate. */
    Sample toSample(float[] pcm) {
        float[] at = engineRateHz == space.rateHz() ? pcm : Resampler.resample(pcm, space.rateHz(), engineRateHz);
        return Sample.mono("latent", at, engineRateHz);
    }

    /** A pad that is not latent yet becomes latent at the encoding of its own sample. */
    private void ensureLatent(LatentPad p) throws ModelException {
        if (!p.latent) {
            float[] home = encodePadSample(p.pad);
            p.becomeLatent("pad:" + p.pad, home);
        }
    }

    /** The point of a pad's current sound: its point if latent, else the encoding of its sample. */
    float[] pointOf(int pad) throws ModelException {
        LatentPad p = pads[pad];
        return p.latent ? p.z : encodePadSample(pad);
    }

    /** {@code random}, {@code pad:N} or a sound of the library. */
    float[] resolve(String sound) throws ModelException {
        if ("random".equals(sound)) {
            return LatentOps.random(space.size(), rng);
        }
        if (sound.startsWith("pad:")) {
            return pointOf(LatentSounds.padOf(sound));
        }
        if (library == null) {
            throw new IllegalArgumentException("no sound library: '" + sound + "' is unknown");
        }
        return library.latentOf(sound, space);
    }

    private float[] encodePadSample(int pad) throws ModelException {
        Sample s = padSample(snapshotKit().pad(pad));
        if (s == null) {
            // An empty pad starts at the prior's centre.
            return new float[space.size()];
        }
        float[] mono = new float[s.frames()];
        float[] l = s.left();
        float[] r = s.right();
        for (int i = 0; i < mono.length; i++) {
            mono[i] = s.isStereo() ? 0.5f * (l[i] + r[i]) : l[i];
        }
        if (s.sampleRateHz() != space.rateHz()) {
            mono = Resampler.resample(mono, s.sampleRateHz(), space.rateHz());
        }
        return space.encode(mono);
    }

    /** What a pad plays: its live sample, else the first sample of its loudest layer. */
    static Sample padSample(Pad pad) {
        if (pad.liveSample() != null) {
            return pad.liveSample();
        }
        VelocityLayer best = null;
        for (int i = 0; i < pad.layerCount(); i++) {
            if (best == null || pad.layer(i).maxVelocity() >= best.maxVelocity()) {
                best = pad.layer(i);
            }
        }
        return best == null ? null : best.sample(0);
    }

    /** The kit the render thread plays now (its samples are immutable and may be read here). */
    private Kit snapshotKit() {
        EngineSnapshot s = new EngineSnapshot();
        if (!proxy.snapshot(s)) {
            throw new IllegalStateException("engine busy (control ring full); try again");
        }
        try {
            if (!s.await(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the engine did not answer within " + SNAPSHOT_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return s.kit();
    }

    static String reason(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }
}
