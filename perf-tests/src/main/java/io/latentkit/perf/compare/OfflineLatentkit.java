package io.latentkit.perf.compare;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.WavFileSink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child program of part 1: latentkit renders the {@link Score} offline on this thread and reports
 * the render's wall and CPU time, the thread's allocated bytes and the range of sounding voices.
 *
 * <p>Usage: {@code OfflineLatentkit voices=N seconds=S length=L [pitch=SEMITONES] [prepitch=0|1] [wav=FILE]}.
 * Every pad plays at {@code pitch} semitones (0: the unit-pitch loop; otherwise from the pads'
 * pre-pitched copies, built within the timed render, or with {@code prepitch=0} the interpolating loop). The score is fed into
 * the control ring one step ({@code L/8}) ahead of the render, as a sequencer would, by the same
 * thread; publishing allocates nothing.
 */
public final class OfflineLatentkit {
    private static final double WARMUP_SECONDS = 2.0;

    private OfflineLatentkit() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Child.args(argv);
        int voices = Integer.parseInt(a.get("voices"));
        double seconds = Double.parseDouble(a.get("seconds"));
        double length = Double.parseDouble(a.get("length"));
        double pitch = Double.parseDouble(a.getOrDefault("pitch", "0"));
        boolean prePitch = !"0".equals(a.getOrDefault("prepitch", "1"));
        // Warm-up: the same score for the first 2 s on a fresh instance in
        // this JVM, discarded, so the timed render measures compiled code as the peers' native code is.
        run(voices, Math.min(WARMUP_SECONDS, seconds), length, pitch, prePitch, null);
        Child.result(run(voices, seconds, length, pitch, prePitch, a.get("wav")));
    }

    private static Map<String, Object> run(int voices, double seconds, double length, double pitch, boolean prePitch,
            String wav) throws Exception {
        Fixtures fx = Fixtures.defaultKit(length);
        Score score = new Score(voices, Math.round(seconds * Fixtures.RATE_HZ),
                Score.playedFrames(fx.frames(), pitch));
        // A few spare voices: a slot's old voice and its next one may overlap inside one block.
        EngineConfig cfg = EngineConfig.defaults().withVoices(voices + Math.max(16, voices / 16)).withRingSize(16_384);
        Engine engine = Engine.create(cfg, fx.kit(pitch), EngineClock.fixed(0L, Fixtures.RATE_HZ));
        engine.prePitch(prePitch);
        AudioSink sink = wav != null ? new WavFileSink(Path.of(wav)) : new DiscardSink();
        EngineProxy proxy = engine.proxy();
        long step = Math.max(cfg.blockFrames(), score.lengthFrames() / 8 / cfg.blockFrames() * cfg.blockFrames());
        int slots = score.slots();
        long[] next = new long[slots];
        for (int s = 0; s < slots; s++) {
            next[s] = score.offset(s);
        }
        int minVoices = Integer.MAX_VALUE;
        int maxVoices = 0;
        long refused = 0;
        long self = Thread.currentThread().getId();
        long alloc0 = Child.allocatedBytes(self);
        long cpu0 = Child.cpuNanos();
        long t0 = System.nanoTime();
        long fed = 0;
        for (long pos = 0; pos < score.frames(); pos += step) {
            // Publish every note that starts before the end of the next step (one step ahead).
            long until = Math.min(score.frames(), pos + 2 * step);
            for (; fed < until; fed += step) {
                long end = Math.min(until, fed + step);
                for (int s = 0; s < slots; s++) {
                    while (next[s] < end) {
                        for (int j = 0; j < 4; j++) {
                            if (!proxy.trigger(Score.sound(s, j), 1f, next[s])) {
                                refused++;
                            }
                        }
                        next[s] += score.lengthFrames();
                    }
                }
            }
            engine.renderOffline(sink, Math.min(step, score.frames() - pos));
            if (pos >= score.lengthFrames()) {
                int v = engine.counters().activeVoices();
                minVoices = Math.min(minVoices, v);
                maxVoices = Math.max(maxVoices, v);
            }
        }
        long wall = System.nanoTime() - t0;
        long cpu = Child.cpuNanos() - cpu0;
        long alloc = Child.allocatedBytes(self) - alloc0;
        sink.close();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("wall_ns", wall);
        r.put("cpu_ns", cpu);
        r.put("render_thread_alloc_bytes", alloc);
        r.put("min_voices", minVoices == Integer.MAX_VALUE ? -1 : minVoices);
        r.put("max_voices", maxVoices);
        r.put("refused", refused);
        r.put("late", engine.counters().lateEvents());
        r.put("stolen", engine.counters().voicesStolen());
        r.put("copies_built", engine.agent().pitchedCopies().copiesBuilt());
        r.put("copies_used", engine.agent().pitchedCopies().copiesUsed());
        engine.close();
        return r;
    }
}
