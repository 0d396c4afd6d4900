package io.latentkit.midi;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knobs: control changes 0..119 drive {@link KnobTarget}s through the {@link MidiMap} in force,
 * with MIDI learn (the next control change is bound to an armed target) and the two
 * {@link Takeover} modes. Targets are found by address through a pluggable resolver, so that a
 * binding stores only the address text and the same table works whatever supplies the targets.
 *
 * <p>Pick-up needs the value a target holds now: {@link KnobValues} keeps what the knobs set,
 * what callers report as set elsewhere ({@link #parameterValue}) and what the engine reports it
 * holds ({@link #onValue}).
 *
 * <p>Threading: every method may be called from any thread; they share one lock (control changes
 * are rare next to audio, and the knob path under it only reads arrays, does arithmetic and
 * publishes through the target's setter, which never blocks). Listeners and learn futures are
 * called after the lock is released. A knob move allocates nothing.
 */
final class KnobMapping {
    private static final Logger LOG = LoggerFactory.getLogger(MidiInput.class);

    private final MidiCounters counters;
    private final EventFrames frames;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}, as is everything below. */
    private Function<String, KnobTarget> resolver;
    private MidiMap map = MidiMap.EMPTY;
    private Row[] rows = new Row[0];
    private final KnobValues values = new KnobValues();
    private PendingLearn pending;

    private volatile Consumer<MidiMap> mappingListener = m -> { };

    KnobMapping(MidiCounters counters, EventFrames frames, Function<String, KnobTarget> resolver) {
        this.counters = counters;
        this.frames = frames;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    // ---------------------------------------------------------------- knob moves

    /**
     * A control change 0..119 from {@code device} on {@code channel} (1..16): completes a pending
     * learn, or moves every row that listens to it. Device thread.
     */
    void onControl(String device, int channel, int control, int value, long eventNanos) {
        CompletableFuture<MidiBinding> learned = null;
        MidiBinding binding = null;
        MidiMap changed = null;
        RuntimeException refused = null;
        synchronized (lock) {
            if (pending != null) {
                binding = MidiBinding.fullRange(device, channel, control, pending.target, pending.takeover);
                learned = pending.future;
                pending = null;
                changed = map.with(binding, true);
                try {
                    install(changed, compile(changed));
                } catch (IllegalArgumentException e) {
                    refused = e; // a resolver that no longer knows a bound target: the learn fails, the table stays
                }
            } else {
                long frame = -1;
                for (Row r : rows) {
                    if (r.binding.matches(device, channel, control)) {
                        if (frame < 0) {
                            frame = frames.frameAt(eventNanos);
                        }
                        move(r, value, frame);
                    }
                }
            }
        }
        if (refused != null) {
            learned.completeExceptionally(refused);
        } else if (learned != null) {
            LOG.info("MIDI learn: {} control {} on channel {} drives {} ({})", device, control, channel,
                    binding.target(), binding.takeover().jsonName());
            mappingListener.accept(changed);
            learned.complete(binding);
        }
    }

    /** Applies one knob move to one row. Caller holds {@link #lock}. */
    private void move(Row r, int cc, long frame) {
        float v = r.target.clamp(r.binding.valueFor(cc));
        KnobValues.Slot s = r.slot;
        if (r.binding.takeover() == Takeover.PICKUP) {
            if (r.generation != s.generation) {
                r.pickedUp = false; // the value moved under this knob since it last had hold
                r.generation = s.generation;
            }
            if (!r.pickedUp) {
                float cur = s.value;
                if (!Float.isNaN(cur)) { // an unknown value cannot be jumped over: take hold at once
                    float halfStep = Math.abs(r.binding.max() - r.binding.min()) / 254f;
                    boolean reached = Math.abs(v - cur) <= halfStep;
                    boolean crossed = !Float.isNaN(r.lastValue) && (r.lastValue - cur) * (v - cur) < 0f;
                    r.lastValue = v;
                    if (!reached && !crossed) {
                        counters.ignoredKnobMoves.incrementAndGet();
                        return;
                    }
                }
                r.pickedUp = true;
            }
        }
        r.lastValue = v;
        if (!r.target.set(v, frame)) {
            counters.droppedEvents.incrementAndGet();
            return;
        }
        r.generation = values.own(s, v);
    }

    // ---------------------------------------------------------------- learn

    /** Arms learn for {@code address} (resolved now); arming again cancels the previous request. */
    CompletableFuture<MidiBinding> learn(String address, Takeover takeover) {
        Objects.requireNonNull(takeover, "takeover");
        CompletableFuture<MidiBinding> f = new CompletableFuture<>();
        PendingLearn previous;
        synchronized (lock) {
            KnobTarget target = resolve(address);
            previous = pending;
            pending = new PendingLearn(target, takeover, f);
        }
        if (previous != null) {
            previous.future.cancel(false);
        }
        return f;
    }

    /** Disarms learn; returns whether it was armed. */
    boolean cancelLearn() {
        PendingLearn previous;
        synchronized (lock) {
            previous = pending;
            pending = null;
        }
        if (previous != null) {
            previous.future.cancel(false);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- the table

    MidiMap mapping() {
        synchronized (lock) {
            return map;
        }
    }

    /**
     * Replaces the table; every pick-up row starts without hold.
     *
     * @throws IllegalArgumentException if a binding's target does not resolve (nothing changes)
     */
    void mapping(MidiMap next) {
        Objects.requireNonNull(next, "mapping");
        synchronized (lock) {
            install(next, compile(next));
        }
        mappingListener.accept(next);
    }

    /**
     * Checks that every target of {@code m} resolves, changing nothing.
     *
     * @throws IllegalArgumentException naming the first row that does not
     */
    void check(MidiMap m) {
        Objects.requireNonNull(m, "mapping");
        synchronized (lock) {
            resolveAll(m);
        }
    }

    void onMappingChanged(Consumer<MidiMap> listener) {
        mappingListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Replaces the resolver and re-resolves the table in force with it.
     *
     * @throws IllegalArgumentException if the new resolver does not know a bound target (nothing changes)
     */
    void resolver(Function<String, KnobTarget> next) {
        Objects.requireNonNull(next, "resolver");
        synchronized (lock) {
            Function<String, KnobTarget> old = resolver;
            resolver = next;
            try {
                install(map, compile(map));
            } catch (RuntimeException e) {
                resolver = old;
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- values for pick-up

    /** Something else set {@code target} to {@code value}: knobs on it lose their hold. */
    void parameterValue(KnobTarget target, float value) {
        synchronized (lock) {
            values.set(values.slot(target), target.clamp(value));
        }
    }

    /** The value pick-up believes {@code target} holds (its initial value if nothing was heard). */
    float parameterValue(KnobTarget target) {
        synchronized (lock) {
            KnobValues.Slot s = values.find(target.address());
            return s == null ? target.initialValue() : s.value;
        }
    }

    /**
     * The engine holds {@code value} at {@code address}; see {@link KnobValues#report}. Returns
     * {@code false} for an address the resolver does not know. Allocation-free for a canonical
     * address already known here.
     */
    boolean onValue(String address, float value) {
        synchronized (lock) {
            KnobValues.Slot s = values.find(address);
            if (s == null) {
                KnobTarget target;
                try {
                    target = resolver.apply(address);
                } catch (IllegalArgumentException unknown) {
                    return false;
                }
                if (target == null) {
                    return false;
                }
                s = values.slot(target);
            }
            values.report(s, s.target().clamp(value));
            return true;
        }
    }

    // ---------------------------------------------------------------- helpers

    private KnobTarget resolve(String address) {
        KnobTarget t = resolver.apply(address);
        if (t == null) {
            throw new IllegalArgumentException("no parameter '" + address + "' for a knob");
        }
        return t;
    }

    /** The target of every row of {@code m}; throws with the first row that does not resolve. Caller holds the lock. */
    private KnobTarget[] resolveAll(MidiMap m) {
        List<MidiBinding> b = m.bindings();
        KnobTarget[] t = new KnobTarget[b.size()];
        for (int i = 0; i < t.length; i++) {
            try {
                t[i] = resolve(b.get(i).target());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MIDI mapping row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return t;
    }

    /** The rows of {@code m}, resolved; throws before anything changes. Caller holds the lock. */
    private Row[] compile(MidiMap m) {
        KnobTarget[] t = resolveAll(m);
        Row[] r = new Row[t.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = new Row(m.bindings().get(i), t[i], values.slot(t[i]));
        }
        return r;
    }

    private void install(MidiMap next, Row[] compiled) {
        map = next;
        rows = compiled;
    }

    /** One compiled mapping row with its takeover state. Guarded by the lock. */
    private static final class Row {
        final MidiBinding binding;
        final KnobTarget target;
        final KnobValues.Slot slot;
        long generation;
        boolean pickedUp;
        float lastValue = Float.NaN;

        Row(MidiBinding binding, KnobTarget target, KnobValues.Slot slot) {
            this.binding = binding;
            this.target = target;
            this.slot = slot;
            this.generation = slot.generation;
        }
    }

    private record PendingLearn(KnobTarget target, Takeover takeover, CompletableFuture<MidiBinding> future) {
    }
}
