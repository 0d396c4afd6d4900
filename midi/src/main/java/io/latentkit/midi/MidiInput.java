package io.latentkit.midi;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.engine.Engine;
import io.latentkit.engine.control.ControlThreads;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sound.midi.MidiMessage;

/**
 * MIDI input: opens every input device (or those {@code --midi-in} names), turns notes into pad
 * triggers through the General MIDI drum map ({@link DrumClass#padForGmNote}) and a preset's note
 * overrides, control changes into knob moves through the {@link MidiMap}, clock into the engine
 * tempo and transport messages into {@link MidiTransportListener} calls; rescans devices for
 * hot-plug.
 *
 * <p>This class is the front of the pieces that do the work, one idea each: {@code MidiDevices}
 * (open, rescan, reconnect by name, hot-unplug), {@code MessageTranslator} (messages to engine
 * events), {@code NoteMap} (notes to pads), {@code KnobMapping} (knobs, learn and pick-up, over
 * {@link KnobTarget}s found by address), {@code ClockInput} (clock and transport), with
 * {@code EventFrames} placing every event on the engine's timeline and {@code MidiCounters}
 * counting what happens.
 *
 * <p>Timing: a message's device timestamp (or its arrival, when it has none) is mapped onto
 * {@link System#nanoTime()} ({@link DeviceTimeline}), then onto an engine frame with
 * {@link EngineClock#frameAtNanoTime}, plus the fixed safety latency of {@link MidiConfig#latencyMs},
 * and sent with that frame, so that the note lands at its sample offset inside a block.
 *
 * <p>Hot-plug: a scanner agent lists the devices every {@link MidiConfig#rescanIntervalMs}. A
 * device that is gone is closed, and if it held notes they are released at once; a device that
 * comes back under the same name is reconnected.
 *
 * <p>Threading: messages are translated on each device's own delivery thread and published
 * through {@link EngineProxy}, which never blocks; notes take no lock. Knob handling and learn
 * share one small lock (control changes are rare next to audio). Every public method may be
 * called from any thread. The engine state is never touched directly.
 */
public final class MidiInput implements AutoCloseable {
    private final MidiConfig config;
    private final EngineProxy proxy;
    private final EventFrames frames;
    private final MidiCounters counters = new MidiCounters();
    private final NoteMap notes = new NoteMap();
    private final KnobMapping knobs;
    private final ClockInput clock;
    private final MessageTranslator translator;
    private final MidiDevices devices;

    private MidiInput(MidiConfig config, EngineProxy proxy, EngineClock engineClock, ControlThreads controlThreads) {
        this.config = Objects.requireNonNull(config, "config");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.frames = new EventFrames(Objects.requireNonNull(engineClock, "clock"), config.latencyMs());
        this.knobs = new KnobMapping(counters, frames, PadKnobTarget.resolver(proxy));
        this.clock = new ClockInput(proxy, frames, counters, config.clockIn());
        this.translator = new MessageTranslator(config, proxy, frames, counters, notes, knobs, clock);
        this.devices = new MidiDevices(config, counters, translator, translator::releaseHeldNotes, controlThreads);
    }

    /**
     * Opens the matching input devices now and, unless the rescan interval is 0, starts the
     * hot-plug scanner thread. Close the result to stop.
     */
    public static MidiInput start(MidiConfig config, EngineProxy proxy, EngineClock clock) {
        return start(config, proxy, clock, new ControlThreads());
    }

    private static MidiInput start(MidiConfig config, EngineProxy proxy, EngineClock clock,
            ControlThreads controlThreads) {
        MidiInput in = new MidiInput(config, proxy, clock, controlThreads);
        in.rescanNow();
        if (config.rescanIntervalMs() > 0) {
            in.devices.startScanner();
        }
        return in;
    }

    /**
     * As {@link #start(MidiConfig, EngineProxy, EngineClock)} for {@code engine}, with the safety
     * latency raised to two engine blocks if it was set lower (one block is the most an event can
     * wait for the next drain of the control ring; the second absorbs render scheduling jitter).
     * The hot-plug scanner's restarts are the engine's {@code control_restarts}.
     */
    public static MidiInput start(MidiConfig config, Engine engine) {
        double twoBlocksMs = 2000.0 * engine.config().blockFrames() / engine.config().sampleRateHz();
        MidiConfig c = config.latencyMs() < twoBlocksMs ? config.withLatencyMs(twoBlocksMs) : config;
        return start(c, engine.proxy(), engine.clock(), engine.controlThreads());
    }

    /** The configuration in force (with the latency actually used). */
    public MidiConfig config() {
        return config;
    }

    /** The safety latency in frames added to every message's frame. */
    public long latencyFrames() {
        return frames.latencyFrames();
    }

    // ---------------------------------------------------------------- devices

    /** Lists the devices now and connects, reconnects and releases as needed. Any thread. */
    public void rescanNow() {
        devices.rescanNow();
    }

    /** Every device seen since start and its state, for {@code /status}. Any thread. */
    public List<MidiDeviceStatus> devices() {
        return devices.statuses();
    }

    /** The device of this name, or {@code null} (tests feed it messages with exact timestamps). */
    DeviceConnection connection(String device) {
        return devices.connection(device);
    }

    /** Notes held now by the named device (0 if unknown). */
    int heldNotes(String device) {
        return devices.heldNotes(device);
    }

    /**
     * Translates one message from device {@code c} as its delivery thread would. Package-private
     * so that tests can feed exact timestamps and arrival times.
     */
    void accept(DeviceConnection c, MidiMessage m, long timestampMicros, long arrivalNanos) {
        translator.accept(c, m, timestampMicros, arrivalNanos);
    }

    // ---------------------------------------------------------------- note map

    /**
     * Replaces the notes that play another pad than the General MIDI map says (a preset's note
     * overrides): note 0..127 to pad 0..11. Notes not listed follow the GM map again.
     *
     * @throws IllegalArgumentException for a note or pad out of range (nothing changes)
     */
    public void noteOverrides(Map<Integer, Integer> noteToPad) {
        notes.overrides(noteToPad);
    }

    /** The pad a note plays now (override or GM map), or -1 for none. */
    public int padForNote(int note) {
        return notes.padForNote(note);
    }

    // ---------------------------------------------------------------- knobs, learn and pick-up

    /**
     * Arms MIDI learn for {@code parameter} (e.g. {@code /pad/1/decay}) with the configured
     * takeover: the next control change (0..119) from any device and channel is bound to it, over
     * the target's whole range, replacing what that control drove before. The future completes
     * with the new binding on the device's thread; arming again cancels the previous request.
     *
     * @throws IllegalArgumentException if the resolver knows no target at {@code parameter}
     */
    public CompletableFuture<MidiBinding> learn(String parameter) {
        return learn(parameter, config.learnTakeover());
    }

    /** As {@link #learn(String)} with the given takeover mode. */
    public CompletableFuture<MidiBinding> learn(String parameter, Takeover takeover) {
        return knobs.learn(parameter, takeover);
    }

    /** Disarms learn; returns whether it was armed. */
    public boolean cancelLearn() {
        return knobs.cancelLearn();
    }

    /** The mapping table in force. */
    public MidiMap mapping() {
        return knobs.mapping();
    }

    /**
     * Replaces the mapping table (a preset was loaded); every pick-up row starts without hold.
     *
     * @throws IllegalArgumentException if the resolver knows no target at one of its addresses
     *     (the reason names the row; the table in force stays)
     */
    public void mapping(MidiMap next) {
        knobs.mapping(next);
    }

    /**
     * Checks that {@link #mapping(MidiMap)} would accept {@code next}, changing nothing: for a
     * caller that prepares a preset before anything of it is applied.
     *
     * @throws IllegalArgumentException if the resolver knows no target at one of its addresses
     *     (the reason names the row)
     */
    public void check(MidiMap next) {
        knobs.check(next);
    }

    /** Called with the new table after every change (learn or {@link #mapping(MidiMap)}), e.g. to mark the preset dirty. */
    public void onMappingChanged(Consumer<MidiMap> listener) {
        knobs.onMappingChanged(listener);
    }

    /**
     * Replaces what turns a binding's address into the {@link KnobTarget} it drives (the default
     * is {@link PadKnobTarget#resolver}: pad parameters). The resolver returns {@code null} or
     * throws {@link IllegalArgumentException} with the reason for an address it does not know; it
     * is called under the knob lock, on learn, on every table change, for the table in force now,
     * and for values reported at addresses not seen before.
     *
     * @throws IllegalArgumentException if it does not know a target the table in force drives
     *     (the previous resolver stays)
     */
    public void targetResolver(Function<String, KnobTarget> resolver) {
        knobs.resolver(resolver);
    }

    /**
     * Tells MIDI the current value of a parameter that something else set (OSC, a preset, a kit
     * load), so that pick-up knobs take over from the right place; knobs on it lose their hold.
     * Without it a parameter is assumed to hold a fresh pad's default (gain 1, pitch 0, decay 0,
     * pan 0, curve 2, ...).
     */
    public void parameterValue(PadTarget target, float value) {
        knobs.parameterValue(new PadKnobTarget(target, proxy), value);
    }

    /** The value MIDI believes a parameter holds now. */
    public float parameterValue(PadTarget target) {
        return knobs.parameterValue(new PadKnobTarget(target, proxy));
    }

    /**
     * Reports the value the engine holds at {@code address} (e.g. {@code /pad/1/decay}), as its
     * telemetry announces changes. Unlike {@link #parameterValue(PadTarget, float)} it recognises
     * the echo of a knob's own recent moves, which does not take the knob's hold away; any other
     * new value does. Any thread; allocation-free for a canonical address seen before.
     *
     * @return {@code false} if the resolver knows no target at {@code address} (nothing changes)
     */
    public boolean onValue(String address, float value) {
        return knobs.onValue(address, value);
    }

    // ---------------------------------------------------------------- clock and transport

    /** Receives Start, Stop, Continue and Song Position; replaces the previous listener. */
    public void transportListener(MidiTransportListener listener) {
        clock.transportListener(listener);
    }

    /** The tempo MIDI clock in gives now, or NaN when no clock has been heard. */
    public double clockTempoBpm() {
        return clock.tempoBpm();
    }

    /** Whether the last transport message was Start or Continue. */
    public boolean transportRunning() {
        return clock.running();
    }

    /**
     * The song position in MIDI clock pulses (24 per quarter note): 0 at Start, set by Song
     * Position Pointer (6 pulses per sixteenth), one more per clock pulse followed while running.
     */
    public long songPositionPulses() {
        return clock.positionPulses();
    }

    // ---------------------------------------------------------------- counters

    /** Notes turned into triggers. */
    public long notes() {
        return counters.notes.get();
    }

    /** Notes on the drum channel that the General MIDI map has no drum for. */
    public long unmappedNotes() {
        return counters.unmappedNotes.get();
    }

    /** Notes on channels the device does not listen to. */
    public long otherChannelNotes() {
        return counters.otherChannelNotes.get();
    }

    /** Events the full control ring refused. */
    public long droppedEvents() {
        return counters.droppedEvents.get();
    }

    /** Knob moves a pick-up row ignored because the knob had not reached the value yet. */
    public long ignoredKnobMoves() {
        return counters.ignoredKnobMoves.get();
    }

    /** Messages whose handling failed and device listings that failed (the device keeps delivering). */
    public long errors() {
        return counters.errors.get();
    }

    /** The note of a trigger tag (see {@link MidiConfig#tagTriggers}). */
    public static int noteOfTag(long tag) {
        return MessageTranslator.noteOfTag(tag);
    }

    /** Stops the scanner and closes every device. Held notes are left to ring out. */
    @Override
    public void close() {
        devices.close();
        cancelLearn();
    }
}
