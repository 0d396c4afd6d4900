package io.latentkit.engine.render;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.AppliedLog;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.core.namespace.ValueBoard;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.ControlRing;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.EngineValues;
import io.latentkit.engine.control.FrameCounter;
import io.latentkit.engine.control.LiveClock;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.Telemetry;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.engine.sequence.SequencerProxy;

/**
 * Warms the JIT up before a show: renders a dense synthetic session through a throwaway render
 * agent (the same classes as the live one, with its own ring, kits and telemetry) as fast as the
 * CPU allows. Without it the live render thread, which runs only at real-time pace, reaches the
 * optimising compiler after several seconds and then goes through de-optimisations, each a latency
 * spike (and the source of the only bytes the render thread was ever seen to allocate).
 *
 * <p>The session exercises every render path: immediate, timed and late triggers with and without
 * tags, every pad parameter, pitched and unpitched mono and stereo voices (pitched ones both
 * interpolating and from ready pre-pitched copies), velocity layers and
 * round robin, layered strikes (several voices per hit), random alternatives, symmetric and
 * directional choke groups, voice stealing, kit swaps, staged commands, tempo changes, stop-all,
 * syncs, state snapshots, and a scheduler of varying depth.
 *
 * <p>Threading: called by the thread that starts the engine; the session runs on a short-lived
 * thread of its own (an {@link AgentRunner}, like the live render thread) and touches no live
 * engine state.
 */
public final class RenderWarmup {
    /** Blocks rendered by default: well past the optimising compiler's thresholds. */
    public static final int DEFAULT_BLOCKS = 30_000;

    private RenderWarmup() {
    }

    /** Renders {@code blocks} blocks of a synthetic session with {@code config}'s sizes. */
    public static void run(EngineConfig config, int blocks) {
        // Before any render-path compilation: the render thread must find every string constant
        // of its classes already interned (see ConstantStrings).
        ConstantStrings.pinRenderPath();
        int sr = config.sampleRateHz();
        ControlRing ring = new ControlRing(config.ringSize());
        Telemetry telemetry = new Telemetry(1 << 16);
        // The live engine's clock class, so that call sites are profiled with the type they will
        // see live; both branches of its model (smooth and re-anchor) are exercised first.
        LiveClock clock = new LiveClock(sr);
        long blockNanos = config.blockNanos();
        for (int i = 0; i < 20_000; i++) {
            long jitter = (i % 7 == 0) ? LiveClock.RESET_NANOS * 2 : (i % 5) * 1_000L;
            clock.advance((long) i * config.blockFrames(), i * blockNanos + jitter);
        }
        OneToOneConcurrentArrayQueue<Kit> returns = new OneToOneConcurrentArrayQueue<>(128);
        OneToOneConcurrentArrayQueue<Stage> applied = new OneToOneConcurrentArrayQueue<>(256);
        EngineCounters counters = new EngineCounters(sr, ring::ringFullDrops);
        Kit a = kit("warmup-a", sr, 0.3f);
        Kit b = kit("warmup-b", sr, 0.2f);
        // Replaced live pad samples (latent pads) come back through a ring, as in the live engine.
        OneToOneConcurrentArrayQueue<Sample> sampleReturns = new OneToOneConcurrentArrayQueue<>(512);
        RenderAgent agent = new RenderAgent(config, ring, a, telemetry, (FrameCounter) clock, returns, counters,
                new EngineValues(new ValueBoard(DrumClass.COUNT * PadParam.values().length + 1)),
                applied, sampleReturns);
        // An unpaced null sink (its buffer never fills), so that the agent's own doWork and the
        // sink's write are compiled too, driven by a real AgentRunner as the live thread is.
        NullSink unpaced = new NullSink(1 << 30);
        unpaced.open(sr, config.blockFrames());
        agent.sink(unpaced);
        // The applied-event log of serve --record-control, drained every block as the conductor does.
        AppliedLog log = new AppliedLog(1 << 14);
        agent.appliedLog(log);
        Driver driver = new Driver(agent, ring.proxy(), telemetry, returns, applied, config, blocks, a, b, log,
                sampleReturns);
        AgentRunner runner = new AgentRunner(NoOpIdleStrategy.INSTANCE, RenderWarmup::onError, null, driver);
        Thread thread = AgentRunner.startOnThread(runner);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner.close();
        }
    }

    private static void onError(Throwable t) {
        // The driver ends the run by throwing AgentTerminationException, which Agrona reports here.
        if (!(t instanceof AgentTerminationException)) {
            throw new IllegalStateException("render warm-up failed", t);
        }
    }

    /** Publishes the synthetic session's events, then renders one block through the agent. */
    private static final class Driver implements Agent {
        private final RenderAgent agent;
        private final EngineProxy p;
        private final Telemetry telemetry;
        private final OneToOneConcurrentArrayQueue<Kit> returns;
        private final OneToOneConcurrentArrayQueue<Stage> applied;
        private final int blockFrames;
        private final int blocks;
        private final Kit a;
        private final Kit b;
        private final PadParam[] params = PadParam.values();
        private final TelemetryHandler ignore = new TelemetryHandler() {
        };
        private int block;
        private long n;
        private final AppliedLog log;
        private final SequencerProxy seq;
        private final Pattern pattern = densePattern();
        private final OneToOneConcurrentArrayQueue<Sample> sampleReturns;

        Driver(RenderAgent agent, EngineProxy p, Telemetry telemetry, OneToOneConcurrentArrayQueue<Kit> returns,
                OneToOneConcurrentArrayQueue<Stage> applied, EngineConfig config, int blocks, Kit a, Kit b, AppliedLog log,
                OneToOneConcurrentArrayQueue<Sample> sampleReturns) {
            this.sampleReturns = sampleReturns;
            this.log = log;
            this.applied = applied;
            this.agent = agent;
            this.p = p;
            this.telemetry = telemetry;
            this.returns = returns;
            this.blockFrames = config.blockFrames();
            this.blocks = blocks;
            this.a = a;
            this.b = b;
            this.seq = new SequencerProxy(p);
        }

        @Override
        public int doWork() {
            if (block++ >= blocks) {
                throw new AgentTerminationException();
            }
            long now = agent.frame();
            // A varying number of events per block, so loops see every trip count.
            int events = (block * 7) % 13;
            for (int i = 0; i < events; i++, n++) {
                int pad = (int) (n % DrumClass.COUNT);
                switch ((int) (n % 11)) {
                    case 0, 1 -> p.trigger(pad, 0.2f + (n % 9) / 10f, EngineProxy.ASAP);
                    case 2 -> p.trigger(pad, 0.9f, now + (n * 37) % 3_000, n);
                    case 3 -> p.trigger(pad, 0.6f, now - 10, 0L);
                    case 4 -> p.trigger(pad, 0.7f, now + (n * 13) % blockFrames);
                    case 5 -> {
                        PadParam param = params[(int) (n % params.length)];
                        float value = param == PadParam.GAIN ? 1f : param == PadParam.MUTE ? 0f
                                : param.min() + (param.max() - param.min()) * ((n % 5) / 8f);
                        p.setPadParam(pad, param, value, now + n % 500);
                    }
                    case 6 -> p.setTempo(90f + n % 90, now + n % 200);
                    case 7 -> {
                        if (n % 3 == 0) {
                            p.sync(n);
                        } else {
                            warmSequencer(now);
                        }
                    }
                    case 8 -> p.trigger(DrumClass.HIHAT_CLOSED.pad(), 0.8f, EngineProxy.ASAP);
                    case 9 -> p.trigger(DrumClass.HIHAT_OPEN.pad(), 0.8f, EngineProxy.ASAP, n, 1 + (int) (n % 3));
                    default -> {
                        if (n % 97 == 10) {
                            p.swapKit(agent.kit() == a ? b : a, EngineProxy.ASAP);
                        } else if (n % 193 == 21) {
                            p.stopAll(now + 64);
                        } else if (n % 151 == 32) {
                            p.releaseSource(1 + (int) (n % 3), now + 32);
                        } else if (n % 89 == 44) {
                            // A staged command: a kit and a tempo in one event, now or a little later.
                            p.stage(new Stage(null).kit(agent.kit() == a ? b : a).tempo(100f + n % 40),
                                    n % 2 == 0 ? EngineProxy.ASAP : now + n % 700);
                        } else if (n % 61 == 40) {
                            // A latent pad's new sound (or back to the kit's), as the latent agent stages it.
                            Sample live = n % 3 == 0 ? null : (n % 2 == 0 ? a : b).pad(pad).layer(0).sample(0);
                            p.stage(new Stage(null).padSample(pad, live), EngineProxy.ASAP);
                        } else if (n % 389 == 54) {
                            p.snapshot(new EngineSnapshot());
                        } else {
                            p.trigger(pad, 1f, EngineProxy.ASAP, n);
                        }
                    }
                }
            }
            int work = agent.doWork();
            // Tuned pads' copies, built here between blocks (the copier thread's work live), so
            // that hits from a ready copy are compiled as well as hits that interpolate.
            agent.pitchedCopies().doWork();
            log.drain(e -> { });
            telemetry.poll(ignore, 1_000);
            returns.clear();
            applied.clear();
            sampleReturns.clear();
            return work;
        }

        /** The sequencer's controls: transport, clock, song position, edits, swing and loads. */
        private void warmSequencer(long now) {
            switch ((int) ((n / 3) % 12)) {
                case 0 -> seq.play(now + n % 300);
                case 1 -> seq.cell((int) (n % DrumClass.COUNT), (int) (n % 256), (n % 4) / 3f, EngineProxy.ASAP);
                case 2 -> seq.swing((n % 5) / 4f, EngineProxy.ASAP);
                case 3 -> seq.clock(n % 500, now + n % 64);
                case 4 -> seq.mute((int) (n % DrumClass.COUNT), n % 2 == 0, EngineProxy.ASAP);
                case 5 -> seq.songPosition(n % 1000, EngineProxy.ASAP);
                case 6 -> seq.bars(1 + (int) (n % 3), EngineProxy.ASAP);
                case 7 -> p.stage(new Stage(null).pattern(pattern).swing(0.2f), EngineProxy.ASAP);
                case 8 -> p.stage(new Stage(null).patternBar((int) (n % 2), pattern), EngineProxy.ASAP);
                case 9 -> seq.cue(n % 2 == 0, EngineProxy.ASAP);
                case 10 -> seq.resume(now + 10);
                default -> {
                    if (n % 7 == 0) {
                        seq.stop(now + 20);
                    } else {
                        seq.clear(EngineProxy.ASAP);
                    }
                }
            }
        }

        @Override
        public String roleName() {
            return "latentkit-warmup";
        }
    }

    /** A two-bar pattern with a step on some pad every third tick. */
    private static Pattern densePattern() {
        Pattern pattern = new Pattern().bars(2);
        for (int t = 0; t < pattern.lengthTicks(); t += 3) {
            pattern.set(t % DrumClass.COUNT, t, 0.7f);
        }
        return pattern;
    }

    /** A kit of short mono and stereo sounds: two velocity layers, round robin, random, layered. */
    private static Kit kit(String name, int sr, float level) {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            int frames = sr / 20 + i * 300;
            float[] l = new float[frames];
            float[] r = new float[frames];
            for (int f = 0; f < frames; f++) {
                l[f] = (float) (level * Math.sin(0.05 * f * (i + 1)) * (1.0 - (double) f / frames));
                r[f] = -l[f];
            }
            Sample mono = Sample.mono(name + "/" + i, l, sr);
            Sample stereo = Sample.stereo(name + "/" + i + "s", l.clone(), r, sr);
            // Layered strikes (several voices per hit) in the loud layer of every other pad,
            // and random alternatives in the soft layer of every third.
            Strike layered = new Strike(new Sample[] {mono, stereo}, new float[] {-0.5f, 0.5f});
            VelocityLayer soft = i % 3 == 0
                    ? VelocityLayer.random(0f, 0.5f, new float[] {1f, 3f}, Strike.of(mono), Strike.of(stereo))
                    : new VelocityLayer(0f, 0.5f, mono, stereo);
            VelocityLayer loud = i % 2 == 0 ? VelocityLayer.cycling(0.5f, 1f, layered, Strike.of(mono))
                    : new VelocityLayer(0.5f, 1f, stereo, mono);
            pads[i] = new Pad(DrumClass.ofPad(i), soft, loud);
        }
        // A symmetric choke (closed hat and clap) and a directional one (the open hat is turned off
        // by the closed hat's group without choking it or itself).
        pads[DrumClass.HIHAT_CLOSED.pad()].set(PadParam.CHOKE, 1);
        pads[DrumClass.CLAP.pad()].set(PadParam.CHOKE, 1);
        pads[DrumClass.HIHAT_OPEN.pad()].set(PadParam.CHOKE, 2);
        pads[DrumClass.HIHAT_OPEN.pad()].offBy(1);
        return new Kit(name, sr, pads);
    }
}
