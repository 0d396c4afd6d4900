package io.latentkit.midi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What MIDI input counts, incremented where it happens (devices, translation, knobs), and the
 * once-per-kind warning for failures that repeat: a device that fails to open is retried every
 * rescan, a message that fails keeps failing, and neither may flood the log.
 *
 * <p>Threading: any thread; the counters are atomics, the set of kinds already logged is
 * concurrent.
 */
final class MidiCounters {
    private static final Logger LOG = LoggerFactory.getLogger(MidiInput.class);

    /** Notes turned into triggers. */
    final AtomicLong notes = new AtomicLong();
    /** Notes the note map has no pad for. */
    final AtomicLong unmappedNotes = new AtomicLong();
    /** Notes on channels the device does not listen to. */
    final AtomicLong otherChannelNotes = new AtomicLong();
    /** Events the full control ring refused. */
    final AtomicLong droppedEvents = new AtomicLong();
    /** Knob moves a pick-up row ignored. */
    final AtomicLong ignoredKnobMoves = new AtomicLong();
    /** Messages whose handling failed and device listings that failed. */
    final AtomicLong errors = new AtomicLong();

    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();

    /**
     * Counts an error and warns about it the first time this {@code kind} is seen. The warning is
     * one line (the message and the exception's own text): the kinds logged here are failures of
     * devices and providers, where a stack trace says nothing the exception text does not.
     */
    void error(String kind, String message, Throwable t) {
        errors.incrementAndGet();
        warnOnce(kind, message, t);
    }

    /** Warns once per {@code kind} without counting an error (a device that cannot be opened). */
    void warnOnce(String kind, String message, Throwable t) {
        if (loggedOnce.add(kind)) {
            LOG.warn("{}: {}", message, t.toString());
        }
    }

    /**
     * Counts and warns once about a failure inside our own handling of a message (a bug, not a
     * device fault), with its stack trace, since that is what finds the bug.
     */
    void bug(String kind, String message, Throwable t) {
        errors.incrementAndGet();
        if (loggedOnce.add(kind)) {
            LOG.warn(message, t);
        }
    }
}
