package io.latentkit.web.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.control.ControlThreads;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.osc.codec.OscMessageWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams current values to LISTENers from a snapshot taken at most every {@code intervalNanos}
 * (about 30 Hz), on a thread of its own ({@code latentkit-web-values}): never on the render thread,
 * which only publishes to the value board. Each cycle it reads the board's change count; when it
 * moved (or a followed node's value comes from a supplier), it reads every followed node's value and
 * sends those that differ from what it last sent, as one binary OSC message each. A session that
 * just LISTENed is sent the current value at once, so a new console starts in sync. When the
 * namespace it is given changes, every session is told with the proposal's {@code PATH_ADDED} and
 * {@code PATH_REMOVED}, and follows of removed methods end.
 *
 * <p>Threading: its own thread; {@link #close()} from any thread.
 */
public final class ValuePump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValuePump.class);

    private final Listeners listeners;
    private final Supplier<Namespace> namespace;
    private final long intervalNanos;
    private final OscMessageWriter writer = new OscMessageWriter(8 * 1024);
    private final Map<String, List<Object>> lastSent = new HashMap<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private Namespace current;
    private long lastChanges = -1;

    /** @param controlThreads restarts the pump's loop if something no guard expects escapes it (the engine's) */
    public ValuePump(Listeners listeners, Supplier<Namespace> namespace, long intervalNanos,
            ControlThreads controlThreads) {
        this.listeners = listeners;
        this.namespace = namespace;
        this.intervalNanos = intervalNanos;
        this.current = listeners.namespace();
        Runnable loop = controlThreads.supervised("latentkit-web-values", this::loop, () -> !running);
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } finally {
                stopped.countDown();
            }
        }, "latentkit-web-values");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                cycle();
            } catch (RuntimeException e) {
                LOG.warn("web value pump (continuing): {}", e.toString());
            }
            LockSupport.parkNanos(intervalNanos);
        }
    }

    /** One snapshot: namespace changes, values owed to new listeners, changed values. Pump thread. */
    void cycle() {
        Namespace ns = namespace.get();
        if (ns != current) {
            pathsChanged(current, ns);
            current = ns;
            lastChanges = -1;
        }
        Listeners.Fresh f;
        while ((f = listeners.pollFresh()) != null) {
            Node n = ns.find(f.address());
            if (n != null && n.hasValue()) {
                List<Object> v = n.value();
                if (!v.isEmpty()) {
                    byte[] packet = encode(n, v);
                    if (packet != null) {
                        f.session().peer().sendOwned(packet);
                    }
                }
            }
        }
        long changes = ns.board().changes();
        boolean boardMoved = changes != lastChanges;
        lastChanges = changes;
        for (String address : listeners.followedAddresses()) {
            Node n = ns.find(address);
            if (n == null || !n.hasValue() || n.slot() >= 0 && !boardMoved) {
                continue;
            }
            List<Object> v = n.value();
            if (v.isEmpty() || v.equals(lastSent.get(address))) {
                continue;
            }
            lastSent.put(address, v);
            byte[] packet = encode(n, v);
            if (packet == null) {
                continue;
            }
            for (OscQuerySession s : listeners.following(address)) {
                WsPeer p = s.peer();
                if (p != null) {
                    p.sendOwned(packet);
                }
            }
        }
    }

    /** The value as one OSC message to the node's address, or {@code null} if a value has no OSC type. */
    byte[] encode(Node n, List<Object> values) {
        StringBuilder tags = new StringBuilder();
        for (Object v : values) {
            char t = v instanceof Float || v instanceof Double ? 'f' : v instanceof Integer ? 'i'
                    : v instanceof Long ? 'h' : v instanceof String ? 's'
                    : v instanceof Boolean ? ((Boolean) v ? 'T' : 'F') : 0;
            if (t == 0) {
                return null;
            }
            tags.append(t);
        }
        writer.begin(n.address(), tags.toString());
        for (Object v : values) {
            if (v instanceof Float || v instanceof Double) {
                writer.putFloat(((Number) v).floatValue());
            } else if (v instanceof Integer) {
                writer.putInt((Integer) v);
            } else if (v instanceof Long) {
                writer.putLong((Long) v);
            } else if (v instanceof String) {
                writer.putString((String) v);
            }
        }
        return writer.toByteArray();
    }

    private void pathsChanged(Namespace before, Namespace after) {
        Set<String> was = addresses(before);
        Set<String> now = addresses(after);
        List<String> messages = new ArrayList<>();
        for (String a : was) {
            if (!now.contains(a)) {
                messages.add(command("PATH_REMOVED", a));
                lastSent.remove(a);
            }
        }
        for (String a : now) {
            if (!was.contains(a)) {
                messages.add(command("PATH_ADDED", a));
            }
        }
        listeners.namespace(after);
        for (OscQuerySession s : listeners.sessions()) {
            WsPeer p = s.peer();
            if (p != null) {
                for (String m : messages) {
                    p.sendText(m);
                }
            }
        }
    }

    private static Set<String> addresses(Namespace ns) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : ns.nodes()) {
            if (n.kind() != NodeKind.OUTPUT) {
                out.add(n.address());
            }
        }
        return out;
    }

    private static String command(String command, String data) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("COMMAND", command);
        o.put("DATA", data);
        return o.toString();
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            return;
        }
        LockSupport.unpark(thread);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
