package io.latentkit.midi;

import io.latentkit.engine.control.ControlThreads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Transmitter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input devices: opens those {@link MidiConfig#accepts} when they appear, routes each one's
 * messages to the {@link DeviceConnection.Handler}, closes those that vanish (handing the ones
 * that held notes to the release callback) and reconnects a device that comes back under the same
 * name. Each device has its own receiver and its own state, so one device coming and going never
 * touches the others' connections.
 *
 * <p>Hot-plug: {@link #startScanner} runs an agent that rescans every
 * {@link MidiConfig#rescanIntervalMs}; {@link #rescanNow} does one scan on the calling thread.
 *
 * <p>Threading: every method from any thread; scans and the device table share one lock. The
 * handler runs on the devices' own delivery threads, outside that lock.
 */
final class MidiDevices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MidiInput.class);

    private final MidiConfig config;
    private final ControlThreads controlThreads;
    private final MidiCounters counters;
    private final DeviceConnection.Handler handler;
    private final Consumer<DeviceConnection> releaseHeldNotes;

    private final Object lock = new Object();
    /** Every device seen, by unique name. Guarded by {@link #lock}. */
    private final Map<String, DeviceConnection> connections = new LinkedHashMap<>();
    private int nextDeviceId = 1;
    private boolean closed;
    private AgentRunner scanner;

    MidiDevices(MidiConfig config, MidiCounters counters, DeviceConnection.Handler handler,
            Consumer<DeviceConnection> releaseHeldNotes, ControlThreads controlThreads) {
        this.controlThreads = controlThreads;
        this.config = config;
        this.counters = counters;
        this.handler = handler;
        this.releaseHeldNotes = releaseHeldNotes;
    }

    /** Starts the hot-plug scanner thread (a daemon), rescanning every {@link MidiConfig#rescanIntervalMs}. */
    void startScanner() {
        long interval = config.rescanIntervalMs();
        AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(Math.min(interval, 50L)),
                t -> counters.bug("scan:" + t.getClass().getName(), "MIDI rescan failed (counted; logged once)", t),
                null, controlThreads.agent("latentkit-midi-scan", new Scanner(interval)));
        synchronized (lock) {
            if (closed) {
                return;
            }
            scanner = runner;
        }
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
    }

    /** Lists the devices now and connects, reconnects and releases as needed. */
    void rescanNow() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            Map<String, MidiDevice> present = new LinkedHashMap<>();
            try {
                for (MidiPorts.Found f : MidiPorts.inputs()) {
                    present.put(f.name(), f.device());
                }
            } catch (RuntimeException e) {
                // A provider failed to list its devices: keep what is connected, try again next scan.
                counters.error("list:" + e.getClass().getName(), "MIDI in: listing devices failed (retried every rescan)", e);
                return;
            }
            for (DeviceConnection c : connections.values()) {
                if (c.state() != DeviceConnection.State.CONNECTED) {
                    continue;
                }
                MidiDevice now = present.get(c.name);
                // Gone, or replaced by another device object of the same name while ours closed.
                if (now == null || (now != c.device() && !c.device().isOpen())) {
                    unplugged(c);
                }
            }
            for (Map.Entry<String, MidiDevice> e : present.entrySet()) {
                String name = e.getKey();
                DeviceConnection c = connections.computeIfAbsent(name,
                        n -> new DeviceConnection(n, config.channelFor(n), nextDeviceId++));
                if (!config.accepts(name)) {
                    c.state(DeviceConnection.State.IGNORED);
                } else if (c.state() != DeviceConnection.State.CONNECTED) {
                    connect(c, e.getValue());
                }
            }
            for (DeviceConnection c : connections.values()) {
                if (!present.containsKey(c.name) && c.state() != DeviceConnection.State.CONNECTED) {
                    c.state(DeviceConnection.State.UNPLUGGED);
                }
            }
        }
    }

    private void connect(DeviceConnection c, MidiDevice device) {
        boolean openedHere = false;
        try {
            if (!device.isOpen()) {
                device.open();
                openedHere = true;
            }
            Transmitter t = device.getTransmitter();
            c.attach(handler, device, t);
            LOG.info("MIDI in: '{}' connected (channel {})", c.name, c.channel == 0 ? "omni" : c.channel);
        } catch (MidiUnavailableException | RuntimeException e) {
            c.state(DeviceConnection.State.FAILED);
            counters.warnOnce("open:" + c.name, "MIDI in: cannot open '" + c.name + "' (retried every rescan)", e);
            if (openedHere) {
                try {
                    device.close();
                } catch (RuntimeException ignored) {
                    // Failed to open properly; nothing more to release.
                }
            }
        }
    }

    private void unplugged(DeviceConnection c) {
        int held = c.detach(DeviceConnection.State.UNPLUGGED);
        if (held > 0) {
            releaseHeldNotes.accept(c);
        }
        LOG.info("MIDI in: '{}' unplugged ({} held notes released)", c.name, held);
    }

    /** Every device seen since start and its state, for {@code /status}. */
    List<MidiDeviceStatus> statuses() {
        synchronized (lock) {
            List<MidiDeviceStatus> out = new ArrayList<>(connections.size());
            for (DeviceConnection c : connections.values()) {
                out.add(c.status());
            }
            return out;
        }
    }

    /** The device of this name, or {@code null}. */
    DeviceConnection connection(String name) {
        synchronized (lock) {
            return connections.get(name);
        }
    }

    /** Notes held now by the named device (0 if unknown). */
    int heldNotes(String name) {
        synchronized (lock) {
            DeviceConnection c = connections.get(name);
            return c == null ? 0 : c.heldNotes();
        }
    }

    /** Stops the scanner and closes every device. Held notes are left to ring out. */
    @Override
    public void close() {
        AgentRunner runner;
        synchronized (lock) {
            closed = true;
            runner = scanner;
        }
        if (runner != null) {
            runner.close(); // waits for a scan in progress, which takes the lock: not under it
        }
        synchronized (lock) {
            for (DeviceConnection c : connections.values()) {
                if (c.state() == DeviceConnection.State.CONNECTED) {
                    c.detach(DeviceConnection.State.UNPLUGGED);
                }
            }
        }
    }

    /** The hot-plug duty cycle: a rescan whenever the interval has passed. */
    private final class Scanner implements Agent {
        private final long intervalNanos;
        private long due;

        Scanner(long intervalMs) {
            this.intervalNanos = intervalMs * 1_000_000L;
            this.due = System.nanoTime() + intervalNanos;
        }

        @Override
        public int doWork() {
            long now = System.nanoTime();
            if (now - due < 0) {
                return 0;
            }
            due = now + intervalNanos;
            rescanNow();
            return 1;
        }

        @Override
        public String roleName() {
            return "latentkit-midi-scan";
        }
    }
}
