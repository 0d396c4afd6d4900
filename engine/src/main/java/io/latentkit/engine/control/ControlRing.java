package io.latentkit.engine.control;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one multi-producer Disruptor ring that carries control to the render thread, with the
 * render thread's non-blocking poller.
 *
 * <p>Threading: {@link #proxy()} is for any thread; {@link #poll(EventPoller.Handler)} for the
 * render thread only.
 */
public final class ControlRing {
    private final RingBuffer<ControlEvent> ring;
    private final EventPoller<ControlEvent> poller;
    private final AtomicLong ringFullDrops = new AtomicLong();
    private final EngineProxy proxy;

    public ControlRing(int size) {
        // The wait strategy is never used to wait: producers call tryNext and the consumer polls.
        this.ring = RingBuffer.createMultiProducer(ControlEvent::new, size, new YieldingWaitStrategy());
        this.poller = ring.newPoller();
        // Gating on the poller's sequence is what stops a producer from overwriting a slot the
        // render thread has not copied out yet.
        ring.addGatingSequences(poller.getSequence());
        this.proxy = new EngineProxy(ring, ringFullDrops);
    }

    public EngineProxy proxy() {
        return proxy;
    }

    /**
     * Drains published events into {@code handler} until it returns {@code false} (its per-block
     * bound) or the ring is empty. Render thread only; allocation-free.
     */
    public void poll(EventPoller.Handler<ControlEvent> handler) {
        try {
            poller.poll(handler);
        } catch (Exception e) {
            // The render thread's handler throws nothing; this only satisfies the signature.
            throw new IllegalStateException(e);
        }
    }

    public long ringFullDrops() {
        return ringFullDrops.get();
    }

    public int size() {
        return ring.getBufferSize();
    }
}
