package io.latentkit.perf.listen;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenHit;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.input.FileSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The live part: the engine on its render thread (null output with the serve default 1024-frame
 * buffer), listen mode hearing a rendered groove played in at real-time pace (a {@link FileSource},
 * so the capture time of every frame is known exactly), the shipped models, and a telemetry
 * consumer that sees each voice start. Per latency: the decision latency from each true onset's
 * capture to its trigger being published, the hits that missed their slot, and where each voice
 * started against onset + L.
 *
 * <p>Runs on the calling thread plus the engine's and listen mode's own.
 */
final class LivePart {
    private LivePart() {
    }

    /** What the last run with {@code auto} measured and chose (the listen banner's line), or {@code null}. */
    static String lastCalibration;

    /**
     * One latency's run: Markdown row cells. {@code latencyMs} NaN: {@code --listen-latency-ms
     * auto}, the latency (and the window it leaves, not {@code windowMs}) that listen mode chooses
     * at start, as serve does.
     */
    static String run(DrumTakes.Take take, double latencyMs, double windowMs, int inputBlockFrames) throws Exception {
        boolean auto = Double.isNaN(latencyMs);
        lastCalibration = null;
        // Six seconds of silence first: the models load meanwhile, and onsets before they are in
        // are not scored.
        int lead = 6 * DrumTakes.RATE;
        float[] x = new float[lead + take.mono().length];
        System.arraycopy(take.mono(), 0, x, lead, take.mono().length);
        FileSource source = FileSource.of(x);
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(DrumTakes.RATE));
        Map<Long, Long> started = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        TelemetryHandler h = new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                started.put(tag, frame);
            }
        };
        Thread consumer = new Thread(() -> {
            while (running.get()) {
                engine.telemetry().poll(h, 1_000);
                LockSupport.parkNanos(1_000_000L);
            }
        }, "bench-telemetry");
        List<ListenHit> hits = new CopyOnWriteArrayList<>();
        engine.start(new NullSink(1024));
        consumer.start();
        ListenConfig config = auto ? ListenConfig.auto().withInputBlockFrames(inputBlockFrames)
                : ListenConfig.defaults().withLatencyMs(latencyMs).withWindowMs(windowMs)
                .withInputBlockFrames(inputBlockFrames);
        ListenMode mode = ListenMode.start(config, source, engine);
        long readyNanos;
        long echoes;
        try {
            mode.controls().addHitListener(hits::add);
            mode.ready().get(120, TimeUnit.SECONDS);
            readyNanos = System.nanoTime();
            config = mode.config(); // auto: the latency chosen
            if (auto) {
                lastCalibration = mode.calibration().map(c -> c.describe()).orElse("not measured");
                latencyMs = config.latencyMs();
                windowMs = config.windowMs();
            }
            long end = source.startNanoTime() + (long) (x.length * 1e9 / DrumTakes.RATE) + 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
        } finally {
            echoes = mode.counters().feedbackSuppressed();
            mode.close();
            running.set(false);
            consumer.join();
            engine.close();
        }
        long t0 = source.startNanoTime();
        List<Long> truth = new ArrayList<>();
        for (DrumTakes.Onset o : take.truth()) {
            long f = o.frame() + lead;
            if (t0 + (long) (f * 1e9 / DrumTakes.RATE) > readyNanos + 500_000_000L) {
                truth.add(f);
            }
        }
        long[] truthFrames = truth.stream().mapToLong(Long::longValue).toArray();
        List<ListenHit> scored = new ArrayList<>();
        for (ListenHit hit : hits) {
            if (hit.decidedNanos() > readyNanos + 500_000_000L) {
                scored.add(hit);
            }
        }
        long[] det = scored.stream().mapToLong(ListenHit::inputFrame).toArray();
        int[] match = new OnsetScore().add(truthFrames, det, 1200);
        Histogram decision = new Histogram(10_000_000L, 3);
        Histogram overhead = new Histogram(10_000_000L, 3);
        Histogram detect = new Histogram(10_000_000L, 3);
        Histogram model = new Histogram(10_000_000L, 3);
        long windowFrames = config.windowFrames();
        long latencyFrames = config.latencyFrames(DrumTakes.RATE);
        long missed = 0;
        long exact = 0;
        long inSlot = 0;
        long unseen = 0;
        List<Long> placement = new ArrayList<>();
        for (int i = 0; i < truthFrames.length; i++) {
            if (match[i] < 0) {
                continue;
            }
            ListenHit hit = scored.get(match[i]);
            long capturedNanos = t0 + Math.round(truthFrames[i] * 1e9 / DrumTakes.RATE);
            decision.recordValue(Math.max(0, (hit.decidedNanos() - capturedNanos) / 1000));
            long windowEndNanos = t0 + Math.round((hit.inputFrame() + windowFrames) * 1e9 / DrumTakes.RATE);
            overhead.recordValue(Math.max(0, (hit.decidedNanos() - windowEndNanos) / 1000));
            detect.recordValue(Math.max(0, (hit.detectedNanos() - capturedNanos) / 1000));
            model.recordValue(Math.max(0, hit.decideNanos() / 1000));
            if (hit.missedSlot()) {
                missed++;
                continue;
            }
            Long voice = started.get(hit.decidedNanos());
            if (voice == null) {
                unseen++;
                continue;
            }
            inSlot++;
            if (voice == hit.onsetFrame() + latencyFrames) {
                exact++;
            }
            // Against the true onset on the same mapping: the detector's placement error.
            placement.add(voice - (hit.onsetFrame() - (hit.inputFrame() - truthFrames[i]) + latencyFrames));
        }
        long[] p = placement.stream().mapToLong(Long::longValue).map(Math::abs).sorted().toArray();
        long matched = decision.getTotalCount();
        return String.format(Locale.ROOT,
                "| %s%.0f ms | %.0f ms | %d | %d / %d | %.2f / %.2f / %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f ms "
                        + "| %d (%.1f %%) | %d of %d | %s / %s samples | %d |%s",
                auto ? "auto: " : "", latencyMs, windowMs, inputBlockFrames, matched, truthFrames.length, decision.getValueAtPercentile(50) / 1000.0,
                decision.getValueAtPercentile(95) / 1000.0, decision.getValueAtPercentile(99) / 1000.0,
                decision.getMaxValue() / 1000.0, detect.getValueAtPercentile(50) / 1000.0,
                detect.getValueAtPercentile(95) / 1000.0, model.getValueAtPercentile(50) / 1000.0,
                model.getValueAtPercentile(95) / 1000.0, overhead.getValueAtPercentile(50) / 1000.0,
                overhead.getValueAtPercentile(95) / 1000.0, missed, 100.0 * missed / Math.max(1, matched), exact, inSlot,
                p.length == 0 ? "–" : Long.toString(p[p.length / 2]), p.length == 0 ? "–" : Long.toString(p[(int) (p.length * 0.95)]), echoes,
                unseen == 0 ? "" : " (" + unseen + " voice starts not seen)");
    }

    static String header() {
        return "| L | window | input block (frames) | hits scored / true onsets | decision latency p50 / p95 / p99 / max "
                + "| onset found, after the true onset p50 / p95 | classifying p50 / p95 "
                + "| published, after the window's end p50 / p95 | missed slots | voices at exactly onset + L "
                + "| \\|voice − (true onset + L)\\| median / p95 | onsets taken for echoes (no speaker here) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    /** Comma-separated numbers; {@code auto} reads as NaN (a latency chosen at start). */
    static double[] parse(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(v -> v.trim().equals("auto") ? Double.NaN : Double.parseDouble(v))
                .toArray();
    }
}
