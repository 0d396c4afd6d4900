package io.latentkit.web.ws;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Who LISTENs to what: the open sessions, and for each address of the namespace the sessions that
 * follow it. A LISTEN names one method exactly (the proposal: {@code /foo} is not {@code /foo/bar});
 * a session follows at most {@value #MAX_PER_SESSION} methods. A flag per namespace node tells the OSC
 * receiver's forwarder, without a lookup, whether anyone follows it.
 *
 * <p>Threading: any thread (Jetty's for LISTEN and IGNORE, the value pump and the OSC receiver read).
 */
public final class Listeners {
    /** Methods one session may follow at once (the whole namespace today is a few hundred). */
    static final int MAX_PER_SESSION = 4_096;

    /** A session that LISTENed to a method and is owed its current value. */
    record Fresh(OscQuerySession session, String address) {
    }

    private final Set<OscQuerySession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<OscQuerySession>> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Fresh> fresh = new ConcurrentLinkedQueue<>();
    private volatile Namespace namespace;
    private volatile boolean[] followed;

    public Listeners(Namespace namespace) {
        this.namespace = namespace;
        this.followed = new boolean[namespace.count()];
    }

    void open(OscQuerySession s) {
        sessions.add(s);
    }

    void close(OscQuerySession s) {
        sessions.remove(s);
        for (String a : s.listening()) {
            Set<OscQuerySession> set = byAddress.get(a);
            if (set != null) {
                set.remove(s);
            }
        }
        refreshFlags();
    }

    /** Starts following {@code address} for {@code s}; false for an unknown address or a full table. */
    boolean listen(OscQuerySession s, String address) {
        Node n = namespace.find(address);
        if (n == null || n.kind() == NodeKind.OUTPUT) {
            return false;
        }
        if (!s.listening().contains(address)) {
            if (s.listening().size() >= MAX_PER_SESSION) {
                return false;
            }
            s.listening().add(address);
            byAddress.computeIfAbsent(address, a -> new CopyOnWriteArraySet<>()).add(s);
            refreshFlags();
        }
        if (n.hasValue()) {
            fresh.add(new Fresh(s, address));
        }
        return true;
    }

    /** Stops following {@code address} for {@code s}; false when it did not follow it. */
    boolean ignore(OscQuerySession s, String address) {
        if (!s.listening().remove(address)) {
            return false;
        }
        Set<OscQuerySession> set = byAddress.get(address);
        if (set != null) {
            set.remove(s);
        }
        refreshFlags();
        return true;
    }

    /** Sessions following {@code address}, or an empty set. */
    Set<OscQuerySession> following(String address) {
        Set<OscQuerySession> set = byAddress.get(address);
        return set == null ? Set.of() : set;
    }

    /** Addresses someone follows now. */
    List<String> followedAddresses() {
        List<String> out = new ArrayList<>();
        byAddress.forEach((a, set) -> {
            if (!set.isEmpty()) {
                out.add(a);
            }
        });
        return out;
    }

    /** Whether anyone follows the node at {@code index} of the current namespace. Allocation-free. */
    boolean followed(int index) {
        boolean[] f = followed;
        return index < f.length && f[index];
    }

    Set<OscQuerySession> sessions() {
        return sessions;
    }

    Fresh pollFresh() {
        return fresh.poll();
    }

    Namespace namespace() {
        return namespace;
    }

    /** The namespace changed: follows of vanished methods end. */
    void namespace(Namespace ns) {
        this.namespace = ns;
        for (OscQuerySession s : sessions) {
            for (String a : List.copyOf(s.listening())) {
                if (ns.find(a) == null) {
                    ignore(s, a);
                }
            }
        }
        refreshFlags();
    }

    private synchronized void refreshFlags() {
        Namespace ns = namespace;
        boolean[] f = new boolean[ns.count()];
        byAddress.forEach((a, set) -> {
            if (!set.isEmpty()) {
                int i = ns.indexOf(a);
                if (i >= 0) {
                    f[i] = true;
                }
            }
        });
        followed = f;
    }
}
