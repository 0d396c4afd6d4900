package io.latentkit.perf.compare;

import com.lmax.disruptor.EventPoller;
import io.latentkit.engine.control.ControlEvent;
import io.latentkit.engine.control.ControlRing;
import io.latentkit.engine.control.EngineProxy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Part 4, publish cost (JMH): the producer's cost of handing one trigger to a consumer thread
 * that drains continuously: the Disruptor {@link ControlRing} through {@link EngineProxy} against
 * {@link ArrayBlockingQueue#offer} and {@link ConcurrentLinkedQueue#offer} of a freshly allocated
 * {@link HandoffMessage}. Run with {@code -prof gc} for bytes per event on the producer side.
 * A publish refused because the ring or queue is full still counts as one operation; the
 * orchestrator runs this with a consumer fast enough that it rarely happens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RingPublishBenchmark {
    @Param({"disruptor", "abq", "clq"})
    public String queue;

    private ControlRing ring;
    private EngineProxy proxy;
    private ArrayBlockingQueue<HandoffMessage> abq;
    private ConcurrentLinkedQueue<HandoffMessage> clq;
    private Thread consumer;
    private volatile boolean running;
    private volatile long sink;

    @Setup(Level.Trial)
    public void start() {
        ring = new ControlRing(8192);
        proxy = ring.proxy();
        abq = new ArrayBlockingQueue<>(8192);
        clq = new ConcurrentLinkedQueue<>();
        running = true;
        EventPoller.Handler<ControlEvent> handler = (e, seq, end) -> {
            sink += e.tag;
            return true;
        };
        consumer = new Thread(() -> {
            while (running) {
                switch (queue) {
                    case "disruptor" -> ring.poll(handler);
                    case "abq" -> {
                        HandoffMessage m = abq.poll();
                        if (m != null) {
                            sink += m.tag();
                        }
                    }
                    default -> {
                        HandoffMessage m = clq.poll();
                        if (m != null) {
                            sink += m.tag();
                        }
                    }
                }
            }
        }, "publish-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        consumer.join(1000);
    }

    @Benchmark
    public boolean publish() {
        long now = System.nanoTime();
        return switch (queue) {
            case "disruptor" -> proxy.trigger(0, 1f, EngineProxy.ASAP, now);
            case "abq" -> abq.offer(new HandoffMessage(1, 0, 1f, EngineProxy.ASAP, now));
            default -> clq.offer(new HandoffMessage(1, 0, 1f, EngineProxy.ASAP, now));
        };
    }
}
