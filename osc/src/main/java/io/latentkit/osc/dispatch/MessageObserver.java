package io.latentkit.osc.dispatch;

import io.latentkit.core.namespace.Node;

/**
 * Sees every message the dispatcher routed to a node, whichever transport it came on: what OSCQuery's
 * {@code LISTEN} streams to WebSocket clients for nodes that have no readable value (hits, commands).
 *
 * <p>Threading: called on the OSC receiver thread, after the node's handler ran. It must return at
 * once and must not keep {@code message}: the bytes are the receiver's buffer, valid only during the
 * call (copy them if needed).
 */
public interface MessageObserver {
    /**
     * A message was routed to the node at {@code nodeIndex}.
     *
     * @param message the bytes of one whole OSC message (not a bundle): {@code length} bytes of
     *     {@code buffer} from {@code offset}
     */
    void onMessage(int nodeIndex, Node node, byte[] buffer, int offset, int length);
}
