package io.latentkit.perf.engine;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.render.RenderAgent;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Render cost of one 64-frame block at 48 kHz against the number of sounding voices, through the
 * engine's own render agent (ring drain, scheduler, voices, output guard, counters): exactly the
 * code the render thread runs. Each measured batch renders {@value #BATCH_BLOCKS} blocks (20 s of
 * audio) after the voices were started afresh; every sample is 30 s long, so the voice count stays
 * constant through the batch, and a check after the batch proves it.
 *
 * <p>Modes: {@code mono} (mono samples at unit pitch, the common case), {@code stereo} (stereo
 * samples at unit pitch), {@code stereo-pitched} (stereo samples with 4-point Lagrange interpolation at a
 * non-unit pitch, the most expensive path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, batchSize = RenderBenchmark.BATCH_BLOCKS)
@Measurement(iterations = 5, batchSize = RenderBenchmark.BATCH_BLOCKS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RenderBenchmark {
    static final int SR = 48_000;
    static final int BLOCK = 64;
    /** Blocks per measured batch: 20 s of audio, inside the 30 s samples even at the pitch used. */
    static final int BATCH_BLOCKS = 15_000;

    @Param({"16", "64", "256", "1024"})
    public int voices;

    @Param({"mono", "stereo", "stereo-pitched"})
    public String mode;

    private RenderAgent agent;
    private Engine engine;
    private Kit kit;

    @Setup(Level.Trial)
    public void buildKit() {
        kit = kit(mode);
    }

    @Setup(Level.Iteration)
    public void startVoices() {
        EngineConfig config = EngineConfig.defaults().withVoices(voices);
        engine = Engine.create(config, kit);
        EngineProxy proxy = engine.proxy();
        for (int i = 0; i < voices; i++) {
            proxy.trigger(i % DrumClass.COUNT, 0.8f, EngineProxy.ASAP);
            if ((i + 1) % 256 == 0) {
                engine.agent().renderBlock(); // drain: at most 512 events per block
            }
        }
        agent = engine.agent();
        agent.renderBlock();
        if (engine.counters().activeVoices() != voices) {
            throw new IllegalStateException("expected " + voices + " voices, got " + engine.counters().activeVoices());
        }
    }

    @TearDown(Level.Iteration)
    public void checkVoicesStillSounding() {
        if (engine.counters().activeVoices() != voices) {
            throw new IllegalStateException("voices ended during the batch: " + engine.counters().activeVoices()
                    + " of " + voices);
        }
    }

    @Benchmark
    public float[] renderBlock() {
        return agent.renderBlock();
    }

    static Kit kit(String mode) {
        boolean stereo = !mode.equals("mono");
        boolean pitched = mode.equals("stereo-pitched");
        int frames = 30 * SR;
        SplittableRandom rnd = new SplittableRandom(7);
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int p = 0; p < pads.length; p++) {
            float[] l = new float[frames];
            float[] r = new float[frames];
            for (int i = 0; i < frames; i++) {
                l[i] = (float) (rnd.nextDouble() * 2 - 1) * 0.01f;
                r[i] = (float) (rnd.nextDouble() * 2 - 1) * 0.01f;
            }
            Sample s = stereo ? Sample.stereo("bench-" + p, l, r, SR) : Sample.mono("bench-" + p, l, SR);
            pads[p] = new Pad(DrumClass.ofPad(p), VelocityLayer.of(s));
            if (pitched) {
                pads[p].set(PadParam.PITCH, -0.5f); // below unit pitch: 30 s of source outlast a batch
            }
        }
        return new Kit("bench-" + mode, SR, pads);
    }
}
