package io.latentkit.web.ws;

import io.latentkit.core.namespace.Node;
import io.latentkit.osc.dispatch.MessageObserver;
import io.latentkit.osc.transport.TokenBucket;
import io.latentkit.web.WebCounters;
import io.latentkit.web.WebCounters.Count;
import java.util.function.LongSupplier;

/**
 * The other half of LISTEN: messages sent to a followed method that has no readable value (a hit, a
 * command such as {@code /pattern/cell}), from any transport, are passed on to the sessions that
 * follow it, as the proposal has it, addressed to the method (a message that reached it through a
 * pattern such as {@code /hit/*} is re-addressed). Values are not forwarded here: the value pump
 * sends what they became. At most {@value #PER_NODE_PER_SECOND} messages a second per method are
 * passed on; the rest are counted, so a flood on OSC cannot flood the consoles.
 *
 * <p>Threading: the OSC receiver thread only (it is the dispatcher's observer). Allocation-free
 * unless someone follows the node.
 */
public final class MessageForwarder implements MessageObserver {
    static final int PER_NODE_PER_SECOND = 200;

    private final Listeners listeners;
    private final WebCounters counters;
    private final LongSupplier nanoClock;
    private TokenBucket[] buckets = new TokenBucket[0];

    public MessageForwarder(Listeners listeners, WebCounters counters, LongSupplier nanoClock) {
        this.listeners = listeners;
        this.counters = counters;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onMessage(int nodeIndex, Node node, byte[] buffer, int offset, int length) {
        if (!listeners.followed(nodeIndex) || node.hasValue()) {
            return;
        }
        if (nodeIndex >= buckets.length) {
            TokenBucket[] b = new TokenBucket[Math.max(nodeIndex + 1, buckets.length * 2)];
            System.arraycopy(buckets, 0, b, 0, buckets.length);
            buckets = b;
        }
        long now = nanoClock.getAsLong();
        if (buckets[nodeIndex] == null) {
            buckets[nodeIndex] = new TokenBucket(PER_NODE_PER_SECOND, PER_NODE_PER_SECOND / 4.0, now);
        }
        if (!buckets[nodeIndex].tryTake(now)) {
            counters.count(Count.FORWARDS_DROPPED);
            return;
        }
        byte[] packet = readdress(node.addressBytes(), buffer, offset, length);
        if (packet == null) {
            return;
        }
        for (OscQuerySession s : listeners.following(node.address())) {
            WsPeer p = s.peer();
            if (p != null) {
                p.sendOwned(packet);
            }
        }
    }

    /** The message with its address replaced by {@code address}, or {@code null} if malformed. */
    static byte[] readdress(byte[] address, byte[] buffer, int offset, int length) {
        int end = offset;
        int limit = offset + length;
        while (end < limit && buffer[end] != 0) {
            end++;
        }
        if (end >= limit) {
            return null;
        }
        int rest = offset + pad4(end - offset + 1);
        if (rest > limit) {
            return null;
        }
        int head = pad4(address.length + 1);
        byte[] out = new byte[head + (limit - rest)];
        System.arraycopy(address, 0, out, 0, address.length);
        System.arraycopy(buffer, rest, out, head, limit - rest);
        return out;
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }
}
