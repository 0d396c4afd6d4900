package io.latentkit.perf.osc;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.OscNodes;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.dispatch.OscDispatcher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU cost of the receive path after the socket: decode, route and publish one {@code /hit ,if} into
 * the real engine's control ring, with the engine rendering one block every 256 messages on the same
 * thread to drain the ring (its cost is included, amortised; the sound is one frame long, so no voice
 * is ever stolen and the engine side stays cheap). No sockets, no thread handoff: this is
 * the per-message work the OSC receiver thread does, measured without scheduler noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class OscDispatchBenchmark {
    private Engine engine;
    private OscDispatcher dispatcher;
    private byte[] hit;
    private int sinceRender;
    private final AudioSink sink = new AudioSink() {
        @Override
        public void open(int sampleRateHz, int blockFrames) {
        }

        @Override
        public void write(float[] interleaved, int frames) {
        }

        @Override
        public long deadlineMisses() {
            return 0;
        }

        @Override
        public String describe() {
            return "discard";
        }

        @Override
        public void close() {
        }
    };

    @Setup
    public void setUp() {
        EngineConfig ec = EngineConfig.defaults();
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(Sample.mono("click", new float[1], ec.sampleRateHz())));
            pads[i].set(PadParam.CURVE, 0f);
        }
        engine = Engine.create(ec, new Kit("bench", ec.sampleRateHz(), pads), EngineClock.fixed(0L, ec.sampleRateHz()));
        OscServerConfig c = OscServerConfig.defaults();
        dispatcher = new OscDispatcher(new OscDispatcher.Settings(c.limits(), c.horizonNanos(), c.notifyLeaseNanos(),
                c.maxSubscribers(), c.telemetryIntervalNanos(), "bench"), OscNodes.standard(engine, null, () -> null),
                engine.proxy(), engine.clock(), engine.counters(), engine.telemetry().newReader(), new OscCounters(),
                System::nanoTime);
        hit = new OscMessageWriter(64).begin("/hit", "if").putInt(3).putFloat(0.8f).toByteArray();
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public void decodeRouteAndPublishHit() throws AudioSinkException {
        // /hit is a performance message: it never replies, so no peer is needed.
        dispatcher.onPacket(hit, 0, hit.length, null, 1L);
        if (++sinceRender == 256) {
            sinceRender = 0;
            engine.renderOffline(sink, 64);
        }
    }
}
