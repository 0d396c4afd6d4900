package io.latentkit.midi;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;

/**
 * MIDI clock out: sends Timing Clock (0xF8) 24 times per quarter note at the tempo it is given,
 * and Start, Stop and Continue on request, to a MIDI output, so that drum machines and DAWs follow
 * latentkit. The caller keeps the tempo in step with the engine's ({@link #tempo} wherever the
 * engine's tempo is set).
 *
 * <p>Pulses are scheduled on an absolute timeline of {@link System#nanoTime()} (each pulse one
 * period after the previous one's due time, not after it was sent), so waking late once does not
 * shift the ones after it. After a stall the missed pulses are sent at once, since followers count
 * pulses to keep their position; a stall longer than {@link #MAX_CATCH_UP_NANOS} restarts the
 * timeline instead. Every message carries its due time as its timestamp (microseconds since this
 * clock out started), so a receiver that honours timestamps (latentkit's own input does) sees
 * exact pulses however late the sender woke; devices that ignore timestamps get the message
 * at once. Do not send the clock out to a port that loops back into latentkit's own clock in.
 *
 * <p>Threading: one sender thread of its own; every public method from any thread.
 */
public final class MidiClockOut implements AutoCloseable {
    /** The longest stall whose missed pulses are still sent; longer ones restart the timeline. */
    static final long MAX_CATCH_UP_NANOS = 250_000_000L;

    private final long startNanos = System.nanoTime();
    private final Receiver receiver;
    private final MidiDevice device;
    private final Thread thread;
    private final ShortMessage clock;
    private final ShortMessage start;
    private final ShortMessage stop;
    private final ShortMessage resume;
    private volatile double bpm;
    private volatile boolean running = true;
    private volatile long pulses;

    private MidiClockOut(Receiver receiver, MidiDevice device, String name, double bpm) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.device = device;
        tempo(bpm);
        try {
            clock = new ShortMessage(ShortMessage.TIMING_CLOCK);
            start = new ShortMessage(ShortMessage.START);
            stop = new ShortMessage(ShortMessage.STOP);
            resume = new ShortMessage(ShortMessage.CONTINUE);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
        thread = new Thread(this::run, "latentkit-midi-clock-out:" + name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY - 1);
        thread.start();
    }

    /** Sends clock at {@code bpm} to {@code receiver} (any MIDI receiver). */
    public static MidiClockOut to(Receiver receiver, double bpm) {
        return new MidiClockOut(receiver, null, "receiver", bpm);
    }

    /**
     * Opens the first MIDI output whose name contains {@code name} (ignoring case) and sends clock
     * at {@code bpm} to it.
     *
     * @throws IllegalArgumentException if there is no such output (the message lists what there is)
     * @throws MidiUnavailableException if the output cannot be opened
     */
    public static MidiClockOut open(String name, double bpm) throws MidiUnavailableException {
        String n = name.toLowerCase(Locale.ROOT);
        StringBuilder there = new StringBuilder();
        for (MidiPorts.Found f : MidiPorts.outputs()) {
            if (f.name().toLowerCase(Locale.ROOT).contains(n)) {
                MidiDevice d = f.device();
                boolean openedHere = !d.isOpen();
                if (openedHere) {
                    d.open();
                }
                try {
                    return new MidiClockOut(d.getReceiver(), openedHere ? d : null, f.name(), bpm);
                } catch (MidiUnavailableException | RuntimeException e) {
                    if (openedHere) {
                        d.close();
                    }
                    throw e;
                }
            }
            there.append(there.length() == 0 ? "" : ", ").append('\'').append(f.name()).append('\'');
        }
        throw new IllegalArgumentException("no MIDI output named '" + name + "' (outputs: "
                + (there.length() == 0 ? "none" : there) + ")");
    }

    /** Sets the tempo, 20..400 BPM; takes effect from the next pulse. */
    public void tempo(double beatsPerMinute) {
        if (!(beatsPerMinute >= 20 && beatsPerMinute <= 400)) {
            throw new IllegalArgumentException("tempo must be 20..400 BPM, got " + beatsPerMinute);
        }
        bpm = beatsPerMinute;
    }

    /** Sends Start (0xFA): followers play from the beginning on the next pulse. */
    public void start() {
        receiver.send(start, stampNow());
    }

    /** Sends Stop (0xFC). The clock keeps running, as most devices expect. */
    public void stop() {
        receiver.send(stop, stampNow());
    }

    /** Sends Continue (0xFB). */
    public void resume() {
        receiver.send(resume, stampNow());
    }

    /** Pulses sent so far. */
    public long pulses() {
        return pulses;
    }

    private long stampNow() {
        return (System.nanoTime() - startNanos) / 1000L;
    }

    private void run() {
        long due = System.nanoTime();
        while (running) {
            long wait;
            while (running && (wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!running) {
                break;
            }
            try {
                receiver.send(clock, (due - startNanos) / 1000L);
            } catch (RuntimeException e) {
                // A vanished output: keep time; the caller closes us when it notices.
            }
            pulses++;
            due += Math.round(60e9 / (bpm * 24.0));
            long now = System.nanoTime();
            if (now - due > MAX_CATCH_UP_NANOS) {
                due = now; // stalled far too long: restart the timeline rather than burst
            }
        }
    }

    /** Stops the clock and closes the output if this opened it. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (device != null) {
            device.close();
        }
    }
}
