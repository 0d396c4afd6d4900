package io.latentkit.osc;

import io.latentkit.core.namespace.Args;
import io.latentkit.osc.transport.Cidr;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Who may send the commands that load or write files ({@code /kit/load}, {@code /preset/*},
 * {@code /latent/commit}, {@code /kit/extract}: the nodes marked as touching files): when the
 * server is opened to a network, an installation may limit them to some hosts
 * ({@code --osc-file-allow}) or to senders that know a shared secret ({@code --osc-secret}, given
 * as one more string argument after the command's own), compared in constant time. The machine
 * itself (127.0.0.1, ::1) may always send them. Without either option nothing is limited.
 *
 * <p>Immutable; any thread.
 */
public final class FileCommandPolicy {
    /** No limit: every admitted sender may send file commands. */
    public static final FileCommandPolicy OPEN = new FileCommandPolicy(List.of(), null);

    private final List<Cidr> allow;
    private final byte[] secret;

    /**
     * @param allow hosts that may send file commands without the secret
     * @param secret the shared secret, or {@code null} for none
     */
    public FileCommandPolicy(List<Cidr> allow, String secret) {
        this.allow = List.copyOf(allow);
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether anything is limited. */
    public boolean limits() {
        return !allow.isEmpty() || secret != null;
    }

    /**
     * Whether {@code from} may send a file command whose own arguments are the first
     * {@code declaredArgs} of {@code args}.
     */
    public boolean admits(InetAddress from, Args args, int declaredArgs) {
        if (!limits()) {
            return true;
        }
        if (from.getHostAddress().equals("127.0.0.1") || from.getHostAddress().equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        for (Cidr c : allow) {
            if (c.contains(from)) {
                return true;
            }
        }
        if (secret == null) {
            return false;
        }
        for (int i = declaredArgs; i < args.count(); i++) {
            if (args.isString(i) && MessageDigest.isEqual(secret, args.string(i).getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }
}
