package io.latentkit.perf.compare;

import com.lmax.disruptor.EventPoller;
import io.latentkit.engine.control.ControlEvent;
import io.latentkit.engine.control.ControlRing;
import io.latentkit.engine.control.EngineProxy;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Child program of part 4 (handoff latency and bytes per event): one producer publishes a
 * trigger every {@code intervalNs} (busy-paced) stamped with {@code System.nanoTime()}; one
 * consumer thread takes it and records the handoff latency in an HdrHistogram. A producer that
 * falls more than 100 intervals behind (descheduled) resumes from the current time rather than
 * publishing the missed events in a burst. Queues: the
 * engine's Disruptor {@link ControlRing} (through {@link EngineProxy}, drained with its poller, as
 * the render thread does), {@link ArrayBlockingQueue} drained by spinning {@code poll()} and by
 * blocking {@code take()}, and {@link ConcurrentLinkedQueue} drained by spinning {@code poll()}.
 * Bytes per event are each thread's allocated bytes ({@code ThreadMXBean}) over the events.
 *
 * <p>Usage: {@code RingHandoff events=N intervalNs=NS}.
 */
public final class RingHandoff {
    private RingHandoff() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Child.args(argv);
        int events = Integer.parseInt(a.getOrDefault("events", "100000"));
        long interval = Long.parseLong(a.getOrDefault("intervalNs", "10000"));
        Map<String, Object> r = new LinkedHashMap<>();
        for (String q : new String[] {"disruptor", "abq_poll", "abq_take", "clq_poll"}) {
            // Warm-up, discarded: long enough (at least 0.5 s of events) for the JIT to have compiled
            // both sides before the measured pass, whatever the event count asked for.
            run(q, Math.max(events / 5, 50_000), interval, new LinkedHashMap<>());
            run(q, events, interval, r);
        }
        Child.result(r);
    }

    private static void run(String kind, int events, long interval, Map<String, Object> r) throws Exception {
        Histogram h = new Histogram(1, 60_000_000_000L, 3); // fixed range: recording never allocates
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong consumed = new AtomicLong();
        AtomicLong consumerAlloc = new AtomicLong();
        ControlRing ring = new ControlRing(8192);
        EngineProxy proxy = ring.proxy();
        ArrayBlockingQueue<HandoffMessage> abq = new ArrayBlockingQueue<>(8192);
        ConcurrentLinkedQueue<HandoffMessage> clq = new ConcurrentLinkedQueue<>();
        Thread consumer = new Thread(() -> {
            long id = Thread.currentThread().getId();
            long a0 = Child.allocatedBytes(id);
            long n = 0;
            EventPoller.Handler<ControlEvent> handler = (e, seq, end) -> {
                h.recordValue(Math.max(0, System.nanoTime() - e.tag));
                return true;
            };
            while (n < events && !done.get()) {
                switch (kind) {
                    case "disruptor" -> {
                        long before = h.getTotalCount();
                        ring.poll(handler);
                        n += h.getTotalCount() - before;
                    }
                    case "abq_poll" -> {
                        HandoffMessage m = abq.poll();
                        if (m != null) {
                            h.recordValue(Math.max(0, System.nanoTime() - m.tag()));
                            n++;
                        }
                    }
                    case "abq_take" -> {
                        try {
                            HandoffMessage m = abq.take();
                            h.recordValue(Math.max(0, System.nanoTime() - m.tag()));
                            n++;
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    default -> {
                        HandoffMessage m = clq.poll();
                        if (m != null) {
                            h.recordValue(Math.max(0, System.nanoTime() - m.tag()));
                            n++;
                        }
                    }
                }
            }
            consumerAlloc.set(Child.allocatedBytes(id) - a0);
            consumed.set(n);
        }, "handoff-consumer");
        consumer.start();
        Thread.sleep(50);
        long self = Thread.currentThread().getId();
        long a0 = Child.allocatedBytes(self);
        long dropped = 0;
        long next = System.nanoTime();
        for (int i = 0; i < events; i++) {
            next += interval;
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            long now = System.nanoTime();
            if (now - next > 100 * interval) {
                // The producer was descheduled: resume the schedule from now instead of catching up
                // in a burst, which would measure queueing behind the burst rather than handoff.
                next = now;
            }
            boolean ok = switch (kind) {
                case "disruptor" -> proxy.trigger(0, 1f, EngineProxy.ASAP, now);
                case "abq_poll", "abq_take" -> abq.offer(new HandoffMessage(1, 0, 1f, EngineProxy.ASAP, now));
                default -> clq.offer(new HandoffMessage(1, 0, 1f, EngineProxy.ASAP, now));
            };
            if (!ok) {
                dropped++;
            }
        }
        long producerAlloc = Child.allocatedBytes(self) - a0;
        consumer.join(5000);
        done.set(true);
        consumer.interrupt();
        consumer.join(1000);
        r.put(kind + "_p50_ns", h.getValueAtPercentile(50));
        r.put(kind + "_p99_ns", h.getValueAtPercentile(99));
        r.put(kind + "_p9999_ns", h.getValueAtPercentile(99.99));
        r.put(kind + "_max_ns", h.getMaxValue());
        r.put(kind + "_events", consumed.get());
        r.put(kind + "_dropped", dropped);
        r.put(kind + "_producer_bytes_per_event", String.format(Locale.ROOT, "%.1f",
                producerAlloc / (double) events));
        r.put(kind + "_consumer_bytes_per_event", String.format(Locale.ROOT, "%.1f",
                consumerAlloc.get() / (double) Math.max(1, consumed.get())));
    }
}
