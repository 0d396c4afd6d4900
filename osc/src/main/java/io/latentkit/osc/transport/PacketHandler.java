package io.latentkit.osc.transport;

/**
 * Receives every admitted packet (a datagram or a stream frame that passed the allowlist, the rate
 * limit and the size cap) for decoding and dispatch.
 *
 * <p>Threading: called on the receiver thread only; the bytes are valid only during the call.
 */
public interface PacketHandler {
    /**
     * One packet from {@code from}, received at {@code receiveNanos} ({@link System#nanoTime()} scale).
     * Exceptions thrown here are caught, counted as internal errors, and the receiver carries on.
     */
    void onPacket(byte[] buffer, int offset, int length, OscPeer from, long receiveNanos);
}
