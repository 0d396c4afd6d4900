package io.latentkit.listen;

import io.latentkit.listen.decide.Enrolment;
import io.latentkit.listen.decide.HitDecider;
import io.latentkit.listen.decide.ListenExamples;
import io.latentkit.listen.input.InputTimeline;
import io.latentkit.listen.input.SampleRing;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listen mode's controls, for the OSC namespace ({@code /listen ,i}, {@code /listen/threshold ,f},
 * {@code /listen/map ,si}, {@code /listen/learn ,s}, {@code /listen/forget ,s}), the preset (the
 * learned examples and the map) and telemetry ({@link #addHitListener}, for {@code /listen/hit}).
 *
 * <p>Threading: every method may be called from any thread and returns at once. Settings
 * (enabled, threshold, map) take effect from the next hop the listen agent reads; learn, forget
 * and restore run on the listen thread, and their futures complete there, with a one-line
 * summary or an exception whose message is the one-line reason.
 */
public final class ListenControls {
    private final boolean autoLatency;
    /** Replaced once when auto has chosen the latency ({@link #configured}). */
    private volatile ListenConfig config;
    private final SampleRing ring;
    private final InputTimeline timeline;
    private final ListenCounters counters;
    private final ClassMap map = new ClassMap();
    private final CopyOnWriteArrayList<ListenHitListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean enabled = true;
    private volatile boolean feedbackGuard = true;
    private volatile float threshold = StreamingOnsetDetector.DEFAULT_SENSITIVITY;
    private volatile double minGapMs;
    private volatile ListenExamples examples = ListenExamples.empty("none", ListenConfig.INPUT_RATE_HZ);
    private volatile List<String> learning = List.of();
    private volatile ListenAgent agent;
    private final InputRecorder recorder;
    /** A restore waiting for the models; listen thread only. */
    private ListenExamples pendingRestore;
    private CompletableFuture<String> pendingDone;

    ListenControls(ListenConfig config, SampleRing ring, InputTimeline timeline, ListenCounters counters) {
        this.config = config;
        this.autoLatency = config.autoLatency();
        this.ring = ring;
        this.timeline = timeline;
        this.counters = counters;
        this.minGapMs = config.onset().minGapMs();
        this.recorder = new InputRecorder(ring, ListenConfig.INPUT_RATE_HZ);
    }

    void agent(ListenAgent a) {
        this.agent = a;
    }

    /** Turns triggering on or off ({@code /listen ,i 1|0}); the detector keeps running either way. */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Turns the feedback guard on or off ({@code /listen/feedback ,i 1|0}; on by default): with it
     * on, onsets that are our own drums heard again through the input are dropped and counted
     * ({@link FeedbackGuard}); an input that is itself machine-tight (a drum machine) wants it off.
     */
    public void feedbackGuard(boolean on) {
        this.feedbackGuard = on;
    }

    public boolean feedbackGuard() {
        return feedbackGuard;
    }

    /**
     * Sets the onset threshold ({@code /listen/threshold ,f}): how far the spectral flux must rise
     * above its recent median, in units of its running mean; default
     * {@value StreamingOnsetDetector#DEFAULT_SENSITIVITY}, range 0..100; higher finds fewer, louder hits.
     *
     * @throws IllegalArgumentException out of range
     */
    public void threshold(float value) {
        if (!(value >= 0f && value <= 100f)) {
            throw new IllegalArgumentException("/listen/threshold must be 0..100, got " + value);
        }
        this.threshold = value;
    }

    public float threshold() {
        return threshold;
    }

    /**
     * Sets the closest two onsets may be, in milliseconds (0..2000; default
     * {@link ListenConfig#onset()}'s 50, for drums). A beatboxer wants about 120: a "b" or a "psh"
     * rises twice within one sound.
     *
     * @throws IllegalArgumentException out of range
     */
    public void minGapMs(double ms) {
        if (!(ms >= 0 && ms <= 2000)) {
            throw new IllegalArgumentException("listen minimum gap must be 0..2000 ms, got " + ms);
        }
        this.minGapMs = ms;
    }

    public double minGapMs() {
        return minGapMs;
    }

    /**
     * Maps a class (a drum class such as {@code snare}, or a learned one) to a pad 0..11, or to -1:
     * hits of that class are reported but play nothing ({@code /listen/map ,si}). A drum class is
     * mapped to its own pad until mapped otherwise; a learned class with another name plays
     * nothing until mapped.
     *
     * @throws IllegalArgumentException for a bad name or pad
     */
    public void map(String className, int pad) {
        map.map(className, pad);
    }

    /** The pad a class plays now. Any thread. */
    public int padFor(String className) {
        return map.padFor(className);
    }

    /** The class-to-pad map (for the preset: {@link ClassMap#mapping()} and its setter). */
    public ClassMap classMap() {
        return map;
    }

    /**
     * Records the next {@link ListenConfig#learnExamples()} hits as examples of {@code className}
     * ({@code /listen/learn ,s}), replacing its earlier examples; completes once they are recorded.
     * From then on the learned classes decide every hit. Each example also plays its class's pad,
     * so the performer hears it.
     */
    public CompletableFuture<String> learn(String className) {
        CompletableFuture<String> done = new CompletableFuture<>();
        String name;
        try {
            name = Enrolment.checkName(className);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        int k = config.learnExamples();
        return submit(done, a -> {
            HitDecider d = a.decider();
            if (d == null) {
                done.completeExceptionally(new IllegalStateException("listen mode's models are not loaded"));
                return;
            }
            d.learn(name, k, done);
            examplesChanged(d);
        });
    }

    /** Forgets one learned class, or every one with {@code all} ({@code /listen/forget ,s}). */
    public CompletableFuture<String> forget(String classNameOrAll) {
        CompletableFuture<String> done = new CompletableFuture<>();
        String n = classNameOrAll == null ? "" : classNameOrAll.trim().toLowerCase(Locale.ROOT);
        if (!n.equals("all")) {
            try {
                n = Enrolment.checkName(n);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        String name = n;
        return submit(done, a -> {
            HitDecider d = a.decider();
            if (d == null) {
                done.completeExceptionally(new IllegalStateException("listen mode's models are not loaded"));
                return;
            }
            String reply;
            try {
                reply = d.forget(name);
            } catch (IllegalArgumentException e) {
                done.completeExceptionally(e);
                return;
            }
            examplesChanged(d); // published before the reply, so whoever hears it sees the change
            done.complete(reply);
        });
    }

    /**
     * Replaces the learned classes with saved ones (a preset load); completes once in place, or,
     * while listen mode's models are still loading, once they have loaded.
     */
    public CompletableFuture<String> restore(ListenExamples saved) {
        CompletableFuture<String> done = new CompletableFuture<>();
        return submit(done, a -> {
            HitDecider d = a.decider();
            if (d == null) {
                pendingRestore = saved;
                pendingDone = done;
                return;
            }
            restoreNow(d, saved, done);
        });
    }

    /** The models have loaded: a restore that waited for them runs now. Listen thread. */
    void modelsLoaded(HitDecider d) {
        if (pendingRestore != null) {
            restoreNow(d, pendingRestore, pendingDone);
            pendingRestore = null;
            pendingDone = null;
        }
    }

    private void restoreNow(HitDecider d, ListenExamples saved, CompletableFuture<String> done) {
        String reply;
        try {
            reply = d.restore(saved);
        } catch (Exception e) {
            examplesChanged(d);
            done.completeExceptionally(e);
            return;
        }
        examplesChanged(d); // published before the reply, so whoever hears it sees the change
        done.complete(reply);
    }

    private CompletableFuture<String> submit(CompletableFuture<String> done, ListenAgent.Command c) {
        ListenAgent a = agent;
        if (a == null || !a.post(c)) {
            return CompletableFuture.failedFuture(new IllegalStateException(a == null ? "listen mode is not running"
                    : "listen mode is busy (too many queued controls)"));
        }
        return done;
    }

    /** The learned examples as last published by the listen thread: serialisable, for the preset. */
    public ListenExamples examples() {
        return examples;
    }

    /** The classes learned so far, and then the one being learned, if any, marked with '*'. */
    public List<String> learnedClasses() {
        return learning;
    }

    void examplesChanged(HitDecider d) {
        examples = d.snapshot();
        List<String> names = new ArrayList<>(d.learnedClasses());
        if (d.learning() != null) {
            names.remove(d.learning());
            names.add(d.learning() + "*");
        }
        learning = List.copyOf(names);
    }

    /** Subscribes to every decided hit (telemetry). */
    public void addHitListener(ListenHitListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    public void removeHitListener(ListenHitListener l) {
        listeners.remove(l);
    }

    List<ListenHitListener> listeners() {
        return listeners;
    }

    /** The last input, for saving as a recording ({@code /listen/capture/last ,f seconds}). */
    public record CapturedInput(float[] mono, int sampleRateHz, long firstInputFrame, long firstEngineFrame) {
    }

    /**
     * Copies the last {@code seconds} of input (at most what the ring holds,
     * {@link ListenConfig#ringSeconds()}): mono at {@link ListenConfig#INPUT_RATE_HZ}, with where it
     * starts on the input and engine clocks. Allocates the copy; never waits for the listen thread.
     */
    public CapturedInput captureLastSeconds(double seconds) {
        if (!(seconds > 0 && seconds <= config.ringSeconds())) {
            throw new IllegalArgumentException("capture 0.." + config.ringSeconds() + " s, not " + seconds);
        }
        for (int attempt = 0; ; attempt++) {
            long end = ring.written();
            long want = Math.round(seconds * ListenConfig.INPUT_RATE_HZ);
            // Leave a second of slack at the old end, so the writer cannot lap the copy.
            long start = Math.max(Math.max(0L, end - ring.capacity() + ListenConfig.INPUT_RATE_HZ), end - want);
            float[] x = new float[(int) (end - start)];
            if (ring.copy(start, x, 0, x.length) || attempt == 3) {
                return new CapturedInput(x, ListenConfig.INPUT_RATE_HZ, start, timeline.toEngineFrame(start));
            }
        }
    }

    /**
     * Saves the last {@code seconds} of input ({@code /listen/capture/last}, an exhibit's "keep
     * what I just played") into {@code wav}: a 16-bit mono WAV at {@link ListenConfig#INPUT_RATE_HZ},
     * written beside it, forced to disk and linked into place, so it appears whole and never
     * replaces a file. The input is copied at once; the writing runs on a thread of its own. The
     * future completes with a one-line summary, or fails with why the file could not be written
     * (nothing is left behind).
     *
     * @throws IllegalArgumentException for {@code seconds} outside 0..{@link ListenConfig#ringSeconds()},
     *     a {@code wav} that exists, or a folder that does not
     */
    public CompletableFuture<String> saveLastSeconds(double seconds, Path wav) {
        Path dir = wav.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no folder " + dir + " to record into");
        }
        if (Files.exists(wav)) {
            throw new IllegalArgumentException(wav.getFileName() + " exists already; choose another name");
        }
        CapturedInput last = captureLastSeconds(seconds);
        CompletableFuture<String> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                WavOnce.write(wav, last.mono(), last.sampleRateHz());
                done.complete(String.format(Locale.ROOT, "%s: %.1f s", wav.getFileName(),
                        last.mono().length / (double) last.sampleRateHz()));
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(new IllegalStateException("cannot write " + wav + ": "
                        + (e.getMessage() == null ? e.toString() : e.getMessage())));
            }
        }, "latentkit-listen-save");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /**
     * Starts recording the input from now into {@code wav} ({@code /listen/capture}): a 16-bit mono
     * WAV at {@link ListenConfig#INPUT_RATE_HZ}, written beside it and moved into place by
     * {@link #stopCapture}. Returns a one-line summary.
     *
     * @throws IllegalArgumentException when {@code wav} exists or its folder does not, or cannot be written
     * @throws IllegalStateException while a recording runs
     */
    public String startCapture(Path wav) {
        return recorder.start(wav);
    }

    /**
     * Stops the recording ({@code /listen/capture/stop}); completes with a one-line summary once
     * the file is in place, or fails with why it could not be written (nothing is left behind).
     */
    public CompletableFuture<String> stopCapture() {
        return recorder.stop();
    }

    /** Whether the input is being recorded. */
    public boolean capturing() {
        return recorder.recording();
    }

    /** Counters, for {@code /status}. */
    public ListenCounters counters() {
        return counters;
    }

    /** The configuration in force from now on (auto chose its latency). Any thread. */
    void configured(ListenConfig chosen) {
        this.config = chosen;
    }

    /** Whether the latency is (being) chosen at start rather than fixed. */
    public boolean autoLatency() {
        return autoLatency;
    }

    /** The fixed latency, in milliseconds. */
    public double latencyMs() {
        return config.latencyMs();
    }

    /** The classification window, in milliseconds. */
    public double windowMs() {
        return config.windowMs();
    }
}
