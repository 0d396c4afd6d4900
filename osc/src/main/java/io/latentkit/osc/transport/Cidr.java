package io.latentkit.osc.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.168.1.0/24}, {@code ::1/128}); a bare address
 * means that one host. IPv4-mapped IPv6 sources match IPv4 networks.
 *
 * <p>Immutable; any thread.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixBits;
    private final String text;

    private Cidr(byte[] network, int prefixBits, String text) {
        this.network = network;
        this.prefixBits = prefixBits;
        this.text = text;
    }

    /**
     * Parses {@code address[/bits]}; the address must be a literal (no name lookups).
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static Cidr parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP address literal in CIDR '" + s + "'");
        }
        byte[] addr;
        try {
            addr = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address in CIDR '" + s + "'");
        }
        int bits = addr.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in CIDR '" + s + "'");
            }
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in CIDR '" + s + "'");
            }
        }
        byte[] masked = addr.clone();
        mask(masked, bits);
        return new Cidr(masked, bits, t);
    }

    private static void mask(byte[] a, int bits) {
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            a[i] &= (byte) (0xFF << (8 - keep));
        }
    }

    /** Whether {@code address} lies in this network. Allocates one small array (called once per new source). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        mask(a, prefixBits);
        return Arrays.equals(a, network);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override
    public String toString() {
        return text;
    }
}
