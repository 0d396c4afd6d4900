package io.latentkit.osc.codec;

/**
 * Size caps applied to every incoming packet before anything acts on it. Each cap bounds the work
 * and memory one packet can cost, so a hostile or broken sender cannot stall the receiver.
 *
 * <p>Immutable; any thread.
 *
 * @param maxPacketBytes largest datagram or SLIP frame accepted (64 KiB by default)
 * @param maxBundleDepth deepest nesting of bundles (a bundle inside a bundle is depth 2)
 * @param maxArguments most arguments in one message
 * @param maxAddressBytes longest address or address pattern
 * @param maxMessagesPerPacket most messages in one packet, counting those in every nested bundle
 */
public record OscLimits(int maxPacketBytes, int maxBundleDepth, int maxArguments, int maxAddressBytes,
                        int maxMessagesPerPacket) {

    public OscLimits {
        if (maxPacketBytes < 16 || maxBundleDepth < 1 || maxArguments < 1 || maxAddressBytes < 4
                || maxMessagesPerPacket < 1) {
            throw new IllegalArgumentException("limits too small: " + maxPacketBytes + "/" + maxBundleDepth + "/"
                    + maxArguments + "/" + maxAddressBytes + "/" + maxMessagesPerPacket);
        }
    }

    /**
     * 64 KiB packets, bundle depth 8, 128 arguments (a pad, a whole 64-d latent vector for
     * {@code /latent/z}, and a reply id fit with room for a larger model), 256-byte addresses, 1024
     * messages per packet.
     */
    public static OscLimits defaults() {
        return new OscLimits(64 * 1024, 8, 128, 256, 1024);
    }
}
