package io.latentkit.midi;

import io.latentkit.core.kit.PadTarget;
import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Transmitter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MIDI input: opens every input device (or those {@code --midi-in} names), turns notes into pad
 * triggers through the General MIDI drum map ({@link DrumClass#padForGmNote}), control changes
 * into pad parameters through the {@link MidiMap}, clock into the engine tempo and transport
 * messages into {@link MidiTransportListener} calls; rescans devices for hot-plug.
 *
 * <p>Timing: a message's device timestamp (or its arrival, when it has none) is mapped onto
 * {@link System#nanoTime()} ({@link DeviceTimeline}), then onto an engine frame with
 * {@link EngineClock#frameAtNanoTime}, plus the fixed safety latency of {@link MidiConfig#latencyMs},
 * and sent with that frame, so that the note lands at its sample offset inside a block.
 *
 * <p>Hot-plug: a scanner agent lists the devices every {@link MidiConfig#rescanIntervalMs}. A
 * device that is gone is closed, and if it held notes they are released at once; a device that
 * comes back under the same name is reconnected. Each device has its own receiver and its own
 * state, so one device coming and going never touches the others' connections.
 *
 * <p>Threading: messages are translated on each device's own delivery thread and published
 * through {@link EngineProxy}, which never blocks; notes take no lock. Knob handling and learn
 * share one small lock (control changes are rare next to audio). Every public method may be
 * called from any thread. The engine state is never touched directly.
 */
public final class MidiInput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MidiInput.class);
    private static final int PARAMS = PadParam.values().length;

    private final MidiConfig config;
    private final EngineProxy proxy;
    private final EngineClock clock;
    private final long latencyFrames;
    private final ClockFollower clockFollower;

    private final Object scanLock = new Object();
    /** Every device seen, by unique name. Guarded by {@link #scanLock}. */
    private final Map<String, DeviceConnection> connections = new LinkedHashMap<>();
    private int nextDeviceId = 1;

    private final Object knobLock = new Object();
    /** Guarded by {@link #knobLock}, as are the arrays and rows below. */
    private MidiMap map = MidiMap.EMPTY;
    private Row[] rows = new Row[0];
    /** The last known value of every pad parameter, for pick-up. */
    private final float[] shadow = new float[DrumClass.COUNT * PARAMS];
    /** Bumped whenever a parameter changes, so pick-up rows know they lost their hold. */
    private final long[] generation = new long[DrumClass.COUNT * PARAMS];
    private PendingLearn pending;

    /** Pad per note where a preset overrides the General MIDI map, else -1; replaced whole, never mutated. */
    private volatile byte[] noteOverrides = noOverrides();

    private volatile Consumer<MidiMap> mappingListener = m -> { };
    private volatile MidiTransportListener transport = new MidiTransportListener() { };

    private final AtomicLong notes = new AtomicLong();
    private final AtomicLong unmappedNotes = new AtomicLong();
    private final AtomicLong otherChannelNotes = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicLong ignoredKnobMoves = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong tagSequence = new AtomicLong();
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;
    private AgentRunner scanner;

    private MidiInput(MidiConfig config, EngineProxy proxy, EngineClock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.latencyFrames = Math.round(config.latencyMs() * clock.sampleRateHz() / 1000.0);
        this.clockFollower = new ClockFollower(this::onClockTempo);
        for (int pad = 0; pad < DrumClass.COUNT; pad++) {
            // A fresh pad holds the defaults every kit starts from; presets and OSC report changes
            // through parameterValue.
            Pad fresh = new Pad(DrumClass.ofPad(pad));
            for (PadParam p : PadParam.values()) {
                shadow[slot(pad, p)] = fresh.get(p);
            }
        }
    }

    /**
     * Opens the matching input devices now and, unless the rescan interval is 0, starts the
     * hot-plug scanner thread. Close the result to stop.
     */
    public static MidiInput start(MidiConfig config, EngineProxy proxy, EngineClock clock) {
        MidiInput in = new MidiInput(config, proxy, clock);
        in.rescanNow();
        if (config.rescanIntervalMs() > 0) {
            in.startScanner();
        }
        return in;
    }

    /**
     * As {@link #start(MidiConfig, EngineProxy, EngineClock)} for {@code engine}, with the safety
     * latency raised to two engine blocks if it was set lower (one block is the most an event can
     * wait for the next drain of the control ring; the second absorbs render scheduling jitter).
     */
    public static MidiInput start(MidiConfig config, Engine engine) {
        double twoBlocksMs = 2000.0 * engine.config().blockFrames() / engine.config().sampleRateHz();
        MidiConfig c = config.latencyMs() < twoBlocksMs ? config.withLatencyMs(twoBlocksMs) : config;
        return start(c, engine.proxy(), engine.clock());
    }

    private void startScanner() {
        long interval = config.rescanIntervalMs();
        scanner = new AgentRunner(new SleepingMillisIdleStrategy(Math.min(interval, 50L)),
                t -> {
                    errors.incrementAndGet();
                    logOnce("scan:" + t.getClass().getName(), "MIDI rescan failed (counted; logged once)", t);
                }, null, new Scanner(interval));
        AgentRunner.startOnThread(scanner, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
    }

    /** The configuration in force (with the latency actually used). */
    public MidiConfig config() {
        return config;
    }

    /** The safety latency in frames added to every message's frame. */
    public long latencyFrames() {
        return latencyFrames;
    }

    // ---------------------------------------------------------------- hot-plug

    /** Lists the devices now and connects, reconnects and releases as needed. Any thread. */
    public void rescanNow() {
        synchronized (scanLock) {
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
                errors.incrementAndGet();
                logOnce("list:" + e.getClass().getName(), "MIDI in: listing devices failed (retried every rescan)", e);
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
            c.attach(this, device, t);
            LOG.info("MIDI in: '{}' connected (channel {})", c.name, c.channel == 0 ? "omni" : c.channel);
        } catch (MidiUnavailableException | RuntimeException e) {
            c.state(DeviceConnection.State.FAILED);
            logOnce("open:" + c.name, "MIDI in: cannot open '" + c.name + "' (retried every rescan)", e);
            if (openedHere) {
                try {
                    device.close();
                } catch (RuntimeException ignored) {
                    // Failed to open properly; nothing more to release.
                }
            }
        }
    }

    /** The engine source id of a device's voices: one per connection id, never 0 (no source). */
    private static int source(DeviceConnection c) {
        return 1 + c.id;
    }

    private void unplugged(DeviceConnection c) {
        int held = c.detach(DeviceConnection.State.UNPLUGGED);
        if (held > 0) {
            // One-shot drums have no note-off: the voices this device started are faded, one
            // frame after anything it sent; every other input's voices play on.
            long at = frameAt(System.nanoTime()) + 1;
            if (!proxy.releaseSource(source(c), at)) {
                droppedEvents.incrementAndGet();
            }
            c.releases.incrementAndGet();
        }
        LOG.info("MIDI in: '{}' unplugged ({} held notes released)", c.name, held);
    }

    /** Every device seen since start and its state, for {@code /status}. Any thread. */
    public List<MidiDeviceStatus> devices() {
        synchronized (scanLock) {
            List<MidiDeviceStatus> out = new ArrayList<>(connections.size());
            for (DeviceConnection c : connections.values()) {
                out.add(c.status());
            }
            return out;
        }
    }

    /** The device of this name, or {@code null} (tests feed it messages with exact timestamps). */
    DeviceConnection connection(String device) {
        synchronized (scanLock) {
            return connections.get(device);
        }
    }

    /** Notes held now by the named device (0 if unknown). */
    int heldNotes(String device) {
        synchronized (scanLock) {
            DeviceConnection c = connections.get(device);
            return c == null ? 0 : c.heldNotes();
        }
    }

    // ---------------------------------------------------------------- messages

    /**
     * Translates one message from device {@code c}; runs on the device's delivery thread.
     * Package-private so that tests can feed exact timestamps and arrival times.
     */
    void accept(DeviceConnection c, MidiMessage m, long timestampMicros, long arrivalNanos) {
        try {
            long eventNanos = c.timeline.eventNanos(timestampMicros, arrivalNanos);
            int status = m.getStatus();
            if (status >= 0xF0) {
                onSystem(c, m, status, eventNanos, timestampMicros < 0 ? eventNanos : timestampMicros * 1000L);
                return;
            }
            if (!(m instanceof ShortMessage)) {
                return;
            }
            ShortMessage s = (ShortMessage) m;
            int channel = s.getChannel() + 1;
            switch (s.getCommand()) {
                case ShortMessage.NOTE_ON -> {
                    if (s.getData2() == 0) {
                        onNoteOff(c, channel, s.getData1());
                    } else {
                        onNoteOn(c, channel, s.getData1(), s.getData2(), eventNanos);
                    }
                }
                case ShortMessage.NOTE_OFF -> onNoteOff(c, channel, s.getData1());
                case ShortMessage.CONTROL_CHANGE -> onControl(c, channel, s.getData1(), s.getData2(), eventNanos);
                default -> {
                    // Aftertouch, program change, pitch bend: nothing on a drum pad uses them.
                }
            }
        } catch (RuntimeException e) {
            // Never let our failure reach the provider's delivery thread: it would stop the device.
            errors.incrementAndGet();
            logOnce("msg:" + e.getClass().getName(), "MIDI in: message handling failed (counted; logged once)", e);
        }
    }

    private boolean listens(DeviceConnection c, int channel) {
        return c.channel == MidiConfig.OMNI || c.channel == channel;
    }

    private void onNoteOn(DeviceConnection c, int channel, int note, int velocity, long eventNanos) {
        if (!listens(c, channel)) {
            otherChannelNotes.incrementAndGet();
            return;
        }
        int pad = noteOverrides[note];
        if (pad < 0) {
            pad = DrumClass.padForGmNote(note);
        }
        if (pad < 0) {
            unmappedNotes.incrementAndGet();
            return;
        }
        c.noteOn(note);
        notes.incrementAndGet();
        long tag = config.tagTriggers() ? tag(c.id, note, tagSequence.incrementAndGet()) : 0L;
        if (!proxy.trigger(pad, config.velocityCurve().apply(velocity), frameAt(eventNanos), tag, source(c))) {
            droppedEvents.incrementAndGet();
        }
    }

    private void onNoteOff(DeviceConnection c, int channel, int note) {
        if (listens(c, channel)) {
            c.noteOff(note);
        }
    }

    private void onSystem(DeviceConnection c, MidiMessage m, int status, long eventNanos, long deviceNanos) {
        switch (status) {
            case ShortMessage.TIMING_CLOCK -> {
                if (config.clockIn()) {
                    clockFollower.pulse(c, eventNanos, deviceNanos);
                }
            }
            case ShortMessage.START -> {
                clockFollower.start();
                transport.onStart(frameAt(eventNanos));
            }
            case ShortMessage.CONTINUE -> {
                clockFollower.resume();
                transport.onContinue(frameAt(eventNanos));
            }
            case ShortMessage.STOP -> {
                clockFollower.stop();
                transport.onStop(frameAt(eventNanos));
            }
            case ShortMessage.SONG_POSITION_POINTER -> {
                byte[] b = m.getMessage();
                if (b.length >= 3) {
                    transport.onSongPosition((b[1] & 0x7f) | ((b[2] & 0x7f) << 7), frameAt(eventNanos));
                }
            }
            default -> {
                // Active sensing, system exclusive, reset and the rest are not for a drum pad.
            }
        }
    }

    private void onClockTempo(double bpm, long eventNanos) {
        if (bpm >= 20.0 && bpm <= 400.0) {
            if (!proxy.setTempo((float) bpm, frameAt(eventNanos))) {
                droppedEvents.incrementAndGet();
            }
        }
    }

    private void onControl(DeviceConnection c, int channel, int control, int value, long eventNanos) {
        if (control >= 120) {
            onChannelMode(c, channel, control, eventNanos);
            return;
        }
        CompletableFuture<MidiBinding> learned = null;
        MidiBinding binding = null;
        MidiMap changed = null;
        synchronized (knobLock) {
            if (pending != null) {
                binding = MidiBinding.fullRange(c.name, channel, control, pending.target, pending.takeover);
                learned = pending.future;
                pending = null;
                changed = map.with(binding, true);
                install(changed);
            } else {
                long frame = -1;
                for (Row r : rows) {
                    if (r.binding.matches(c.name, channel, control)) {
                        if (frame < 0) {
                            frame = frameAt(eventNanos);
                        }
                        move(r, value, frame);
                    }
                }
            }
        }
        if (learned != null) {
            LOG.info("MIDI learn: {} control {} on channel {} drives {} ({})", c.name, control, channel,
                    binding.target(), binding.takeover().jsonName());
            mappingListener.accept(changed);
            learned.complete(binding);
        }
    }

    private void onChannelMode(DeviceConnection c, int channel, int control, long eventNanos) {
        if (!listens(c, channel)) {
            return;
        }
        if (control == 120) {
            // All Sound Off: silence now.
            if (!proxy.stopAll(frameAt(eventNanos))) {
                droppedEvents.incrementAndGet();
            }
        } else if (control == 123) {
            // All Notes Off: drums are one-shots, so only the held-note bookkeeping changes.
            c.clearHeld();
        }
    }

    /** Applies one knob move to one row. Caller holds {@link #knobLock}. */
    private void move(Row r, int cc, long frame) {
        float v = r.param.clamp(r.binding.valueFor(cc));
        int t = r.slot;
        if (r.binding.takeover() == Takeover.PICKUP) {
            if (r.generation != generation[t]) {
                r.pickedUp = false; // the value moved under this knob since it last had hold
                r.generation = generation[t];
            }
            if (!r.pickedUp) {
                float cur = shadow[t];
                float halfStep = Math.abs(r.binding.max() - r.binding.min()) / 254f;
                boolean reached = Math.abs(v - cur) <= halfStep;
                boolean crossed = !Float.isNaN(r.lastValue) && (r.lastValue - cur) * (v - cur) < 0f;
                r.lastValue = v;
                if (!reached && !crossed) {
                    ignoredKnobMoves.incrementAndGet();
                    return;
                }
                r.pickedUp = true;
            }
        }
        r.lastValue = v;
        if (!proxy.setPadParam(r.pad, r.param, v, frame)) {
            droppedEvents.incrementAndGet();
            return;
        }
        shadow[t] = v;
        r.generation = ++generation[t];
    }

    // ---------------------------------------------------------------- note map

    /**
     * Replaces the notes that play another pad than the General MIDI map says (a preset's note
     * overrides): note 0..127 to pad 0..11. Notes not listed follow the GM map again.
     *
     * @throws IllegalArgumentException for a note or pad out of range (nothing changes)
     */
    public void noteOverrides(Map<Integer, Integer> noteToPad) {
        byte[] next = noOverrides();
        for (Map.Entry<Integer, Integer> e : noteToPad.entrySet()) {
            int note = e.getKey();
            int pad = e.getValue();
            if (note < 0 || note > 127) {
                throw new IllegalArgumentException("MIDI note must be 0..127, got " + note);
            }
            if (pad < 0 || pad >= DrumClass.COUNT) {
                throw new IllegalArgumentException("pad must be 0.." + (DrumClass.COUNT - 1) + ", got " + pad);
            }
            next[note] = (byte) pad;
        }
        noteOverrides = next; // volatile write publishes the filled array to the device threads
    }

    /** The pad a note plays now (override or GM map), or -1 for none. */
    public int padForNote(int note) {
        if (note < 0 || note > 127) {
            return -1;
        }
        int pad = noteOverrides[note];
        return pad >= 0 ? pad : DrumClass.padForGmNote(note);
    }

    private static byte[] noOverrides() {
        byte[] b = new byte[128];
        java.util.Arrays.fill(b, (byte) -1);
        return b;
    }

    // ---------------------------------------------------------------- mapping and learn

    /**
     * Arms MIDI learn for {@code parameter} (e.g. {@code /pad/1/decay}) with the configured
     * takeover: the next control change (0..119) from any device and channel is bound to it, over
     * the parameter's whole range, replacing what that control drove before. The future completes
     * with the new binding on the device's thread; arming again cancels the previous request.
     *
     * @throws IllegalArgumentException if {@code parameter} names no pad parameter
     */
    public CompletableFuture<MidiBinding> learn(String parameter) {
        return learn(parameter, config.learnTakeover());
    }

    /** As {@link #learn(String)} with the given takeover mode. */
    public CompletableFuture<MidiBinding> learn(String parameter, Takeover takeover) {
        PadTarget target = PadTarget.parse(parameter);
        Objects.requireNonNull(takeover, "takeover");
        CompletableFuture<MidiBinding> f = new CompletableFuture<>();
        PendingLearn previous;
        synchronized (knobLock) {
            previous = pending;
            pending = new PendingLearn(target, takeover, f);
        }
        if (previous != null) {
            previous.future.cancel(false);
        }
        return f;
    }

    /** Disarms learn; returns whether it was armed. */
    public boolean cancelLearn() {
        PendingLearn previous;
        synchronized (knobLock) {
            previous = pending;
            pending = null;
        }
        if (previous != null) {
            previous.future.cancel(false);
            return true;
        }
        return false;
    }

    /** The mapping table in force. */
    public MidiMap mapping() {
        synchronized (knobLock) {
            return map;
        }
    }

    /** Replaces the mapping table (a preset was loaded); every pick-up row starts without hold. */
    public void mapping(MidiMap next) {
        Objects.requireNonNull(next, "mapping");
        synchronized (knobLock) {
            install(next);
        }
        mappingListener.accept(next);
    }

    /** Called with the new table after every change (learn or {@link #mapping(MidiMap)}), e.g. to mark the preset dirty. */
    public void onMappingChanged(Consumer<MidiMap> listener) {
        this.mappingListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Tells MIDI the current value of a parameter that something else set (OSC, a preset, a kit
     * load), so that pick-up knobs take over from the right place. Without it a parameter is
     * assumed to hold a fresh pad's default (gain 1, pitch 0, decay 0, pan 0, curve 2, ...).
     */
    public void parameterValue(PadTarget target, float value) {
        int t = slot(target.pad(), target.param());
        synchronized (knobLock) {
            shadow[t] = target.param().clamp(value);
            generation[t]++;
        }
    }

    /** The value MIDI believes a parameter holds now. */
    public float parameterValue(PadTarget target) {
        synchronized (knobLock) {
            return shadow[slot(target.pad(), target.param())];
        }
    }

    private void install(MidiMap next) {
        List<MidiBinding> b = next.bindings();
        Row[] r = new Row[b.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = new Row(b.get(i));
            r[i].generation = generation[r[i].slot];
        }
        map = next;
        rows = r;
    }

    private static int slot(int pad, PadParam p) {
        return pad * PARAMS + p.ordinal();
    }

    // ---------------------------------------------------------------- clock and transport

    /** Receives Start, Stop, Continue and Song Position; replaces the previous listener. */
    public void transportListener(MidiTransportListener listener) {
        this.transport = Objects.requireNonNull(listener, "listener");
    }

    /** The tempo MIDI clock in gives now, or NaN when no clock has been heard. */
    public double clockTempoBpm() {
        return clockFollower.bpm();
    }

    /** Whether the last transport message was Start or Continue. */
    public boolean transportRunning() {
        return clockFollower.running();
    }

    // ---------------------------------------------------------------- counters

    /** Notes turned into triggers. */
    public long notes() {
        return notes.get();
    }

    /** Notes on the drum channel that the General MIDI map has no drum for. */
    public long unmappedNotes() {
        return unmappedNotes.get();
    }

    /** Notes on channels the device does not listen to. */
    public long otherChannelNotes() {
        return otherChannelNotes.get();
    }

    /** Events the full control ring refused. */
    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** Knob moves a pick-up row ignored because the knob had not reached the value yet. */
    public long ignoredKnobMoves() {
        return ignoredKnobMoves.get();
    }

    /** Messages whose handling failed and device listings that failed (the device keeps delivering). */
    public long errors() {
        return errors.get();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A trigger tag (with {@link MidiConfig#tagTriggers}): device id in bits 40..55, note in bits
     * 32..39, a running number below.
     */
    static long tag(int deviceId, int note, long sequence) {
        return ((long) (deviceId & 0xffff) << 40) | ((long) note << 32) | (sequence & 0xffff_ffffL);
    }

    /** The note of a trigger tag. */
    public static int noteOfTag(long tag) {
        return (int) ((tag >>> 32) & 0xff);
    }

    private long frameAt(long eventNanos) {
        return clock.frameAtNanoTime(eventNanos) + latencyFrames;
    }

    private void logOnce(String kind, String message, Throwable t) {
        if (loggedOnce.add(kind)) {
            LOG.warn(message, t);
        }
    }

    /** Stops the scanner and closes every device. Held notes are left to ring out. */
    @Override
    public void close() {
        closed = true;
        if (scanner != null) {
            scanner.close();
        }
        synchronized (scanLock) {
            for (DeviceConnection c : connections.values()) {
                if (c.state() == DeviceConnection.State.CONNECTED) {
                    c.detach(DeviceConnection.State.UNPLUGGED);
                }
            }
        }
        cancelLearn();
    }

    /** One compiled mapping row with its takeover state. Guarded by {@link #knobLock}. */
    private static final class Row {
        final MidiBinding binding;
        final int pad;
        final PadParam param;
        final int slot;
        long generation;
        boolean pickedUp;
        float lastValue = Float.NaN;

        Row(MidiBinding binding) {
            this.binding = binding;
            PadTarget t = binding.parsedTarget();
            this.pad = t.pad();
            this.param = t.param();
            this.slot = slot(pad, param);
        }
    }

    private record PendingLearn(PadTarget target, Takeover takeover, CompletableFuture<MidiBinding> future) {
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
