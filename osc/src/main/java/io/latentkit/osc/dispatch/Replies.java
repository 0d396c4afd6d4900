package io.latentkit.osc.dispatch;

import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.transport.OscPeer;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Writes the server's replies ({@code /done}, {@code /fail}, query answers) into one reused
 * message writer and sends them to a peer.
 *
 * <p>Threading: receiver thread only (the writer and the peers are its own).
 */
final class Replies {
    /** Bytes of string arguments one list reply carries at most (it is one packet). */
    private static final int LIST_BUDGET_BYTES = 4096;

    private final OscMessageWriter writer = new OscMessageWriter(8192);

    OscMessageWriter writer() {
        return writer;
    }

    /** Sends what the writer holds. */
    void send(OscPeer to) {
        to.send(writer.buffer(), 0, writer.length());
    }

    void done(OscPeer to, String address) {
        writer.begin("/done", "s").putString(address);
        send(to);
    }

    void done(OscPeer to, String address, String detail) {
        writer.begin("/done", "ss").putString(address).putString(detail);
        send(to);
    }

    void fail(OscPeer to, String address, String reason) {
        writer.begin("/fail", "ss").putString(address).putString(reason);
        send(to);
    }

    void fail(OscPeer to, String address, String subject, String reason) {
        writer.begin("/fail", "sss").putString(address).putString(subject).putString(reason);
        send(to);
    }

    /**
     * Any reply: each argument a String, Integer, Long or Float. String arguments beyond one
     * packet's budget are left off (a list reply is one packet).
     */
    void message(OscPeer to, String address, List<Object> arguments) {
        StringBuilder tags = new StringBuilder();
        int budget = LIST_BUDGET_BYTES;
        int n = 0;
        for (Object a : arguments) {
            if (a instanceof String s) {
                budget -= s.length() + 8;
                if (budget < 0) {
                    break;
                }
                tags.append('s');
            } else if (a instanceof Integer) {
                tags.append('i');
            } else if (a instanceof Long) {
                tags.append('h');
            } else if (a instanceof Float) {
                tags.append('f');
            } else {
                throw new IllegalArgumentException("cannot send a " + a.getClass().getSimpleName() + " over OSC");
            }
            n++;
        }
        writer.begin(address, tags.toString());
        for (int i = 0; i < n; i++) {
            Object a = arguments.get(i);
            if (a instanceof String s) {
                writer.putString(s);
            } else if (a instanceof Integer v) {
                writer.putInt(v);
            } else if (a instanceof Long v) {
                writer.putLong(v);
            } else {
                writer.putFloat((Float) a);
            }
        }
        send(to);
    }

    /** The one-line reason of a failed stage. */
    static String reason(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }

    static int saturate(long v) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, v));
    }
}
