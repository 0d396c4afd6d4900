package io.latentkit.perf.patterns;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.render.RenderAgent;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.engine.sequence.SequencerProxy;
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
import org.openjdk.jmh.annotations.Warmup;
import java.util.Arrays;

/**
 * The sequencer's cost per 64-frame block at 48 kHz, through the engine's own render agent: the
 * same block with the sequencer stopped (the peer every other mode is a ratio against), playing an
 * empty pattern (the tick walk alone), and playing a pattern with a hit on every row at every tick
 * (12 steps per tick, the densest a pattern can be) at 120 and 400 BPM. The pads are muted, so a
 * step costs its lookup and trigger dispatch but starts no voice: what is measured is the
 * sequencer, not the voices it would start (RenderBenchmark measures those).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SequencerBenchmark {
    static final int SR = 48_000;

    @Param({"stopped", "empty", "dense"})
    public String mode;

    @Param({"120", "400"})
    public float bpm;

    private RenderAgent agent;

    @Setup(Level.Trial)
    public void start() {
        Engine engine = Engine.create(EngineConfig.defaults(), mutedKit());
        EngineProxy proxy = engine.proxy();
        proxy.setTempo(bpm, EngineProxy.ASAP);
        Pattern p = new Pattern().bars(16);
        if (mode.equals("dense")) {
            for (int r = 0; r < Pattern.ROWS; r++) {
                for (int t = 0; t < p.lengthTicks(); t++) {
                    p.set(r, t, 0.8f);
                }
            }
        }
        proxy.stage(new Stage(null).pattern(p).swing(0.3f), EngineProxy.ASAP);
        if (!mode.equals("stopped")) {
            new SequencerProxy(proxy).play(EngineProxy.ASAP);
        }
        agent = engine.agent();
        agent.renderBlock();
    }

    @Benchmark
    public float[] block() {
        return agent.renderBlock();
    }

    private static Kit mutedKit() {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            float[] x = new float[480];
            Arrays.fill(x, 0.1f);
            pads[i] = new Pad(DrumClass.ofPad(i), new VelocityLayer(0f, 1f, Sample.mono("b" + i, x, SR)));
            pads[i].set(PadParam.MUTE, 1);
        }
        return new Kit("bench", SR, pads);
    }
}
