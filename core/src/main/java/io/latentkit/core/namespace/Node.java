package io.latentkit.core.namespace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One controllable thing of the instrument: its address, what it takes (OSC type tags and a range
 * per argument), its unit, what it does, who may read or write it, where its current value lives
 * and what handles it. OSC routes, MIDI learn targets, presets, OSCQuery and the web console are all
 * read from these.
 *
 * <p>Immutable once built; any thread. The current value is read through {@link #value} without a
 * lock.
 */
public final class Node {
    private final String address;
    private final byte[] addressBytes;
    private final String template;
    private final NodeKind kind;
    private final String types;
    private final int requiredArgs;
    private final List<Range> ranges;
    private final String unit;
    private final String description;
    private final Access access;
    private final int pad;
    private final int param;
    private final ValueSetter setter;
    private final CommandHandler handler;
    private final ValueBoard board;
    private final int slot;
    private final Supplier<List<Object>> valueSource;
    private final boolean patternVisible;
    private final String reply;
    private final boolean variadic;
    private final boolean touchesFiles;

    private Node(Builder b) {
        this.address = b.address;
        this.addressBytes = b.address.getBytes(StandardCharsets.US_ASCII);
        this.template = b.template == null ? b.address : b.template;
        this.kind = b.kind;
        this.types = b.types;
        this.requiredArgs = b.requiredArgs < 0 ? b.types.length() : b.requiredArgs;
        this.ranges = List.copyOf(b.ranges);
        this.unit = b.unit;
        this.description = Objects.requireNonNull(b.description, "description of " + b.address);
        this.access = b.access;
        this.pad = b.pad;
        this.param = b.param;
        this.setter = b.setter;
        this.handler = b.handler;
        this.board = b.board;
        this.slot = b.slot;
        this.valueSource = b.valueSource;
        this.patternVisible = b.patternVisible;
        this.reply = b.reply;
        this.variadic = b.variadic;
        this.touchesFiles = b.touchesFiles;
        if ((kind == NodeKind.VALUE || kind == NodeKind.PAD_PARAM) && setter == null) {
            throw new IllegalArgumentException(address + ": a " + kind + " node needs a setter");
        }
        if (kind == NodeKind.COMMAND && handler == null) {
            throw new IllegalArgumentException(address + ": a command node needs a handler");
        }
        if (!ranges.isEmpty() && ranges.size() != types.length()) {
            throw new IllegalArgumentException(address + ": " + ranges.size() + " ranges for types '" + types + "'");
        }
    }

    /** A builder for the node at {@code address}. */
    public static Builder builder(String address, NodeKind kind) {
        return new Builder(address, kind);
    }

    /** The concrete address, e.g. {@code /pad/kick/gain}. */
    public String address() {
        return address;
    }

    /** The address as US-ASCII bytes (shared; do not modify). */
    public byte[] addressBytes() {
        return addressBytes;
    }

    /**
     * The documented form, with pattern parts in angle brackets, e.g. {@code /pad/<n>/gain}; equal
     * to the address for a node without them.
     */
    public String template() {
        return template;
    }

    public NodeKind kind() {
        return kind;
    }

    /** OSC type tags of the arguments it takes (OSCQuery {@code TYPE}), without the comma. */
    public String types() {
        return types;
    }

    /** How many leading arguments are required; the rest are optional. */
    public int requiredArgs() {
        return requiredArgs;
    }

    /** The documented argument form, e.g. {@code ,i[f]} or {@code ,if...}; empty for none. */
    public String typeSignature() {
        if (types.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(",").append(types, 0, requiredArgs);
        if (requiredArgs < types.length()) {
            s.append('[').append(types.substring(requiredArgs)).append(']');
        }
        return variadic ? s.append("...").toString() : s.toString();
    }

    /** Whether the last type tag repeats (a whole latent vector as floats). */
    public boolean variadic() {
        return variadic;
    }

    /** One range per argument, or empty when no argument has one. */
    public List<Range> ranges() {
        return ranges;
    }

    /** The range of the first argument, or {@link Range#ANY}. */
    public Range range() {
        return ranges.isEmpty() ? Range.ANY : ranges.get(0);
    }

    /** The unit of the value (OSCQuery {@code UNIT}), or {@code null}. */
    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    public Access access() {
        return access;
    }

    /** The pad operand (performance kinds), or -1. */
    public int pad() {
        return pad;
    }

    /** The parameter operand ({@link NodeKind#PAD_PARAM}: a pad parameter's ordinal), or -1. */
    public int param() {
        return param;
    }

    /** The setter of a one-number parameter, or {@code null}. */
    public ValueSetter setter() {
        return setter;
    }

    /** The handler of a command, or {@code null}. */
    public CommandHandler handler() {
        return handler;
    }

    /** Whether the node has a readable current value. */
    public boolean hasValue() {
        return slot >= 0 || valueSource != null;
    }

    /** The value-board slot of a numeric value, or -1. */
    public int slot() {
        return slot;
    }

    /**
     * The current value as OSCQuery's {@code VALUE} array (one element per argument), or an empty
     * list when the node has none or it is not known yet. Any thread; allocates.
     */
    public List<Object> value() {
        if (slot >= 0) {
            float v = board.read(slot);
            return v != v ? List.of() : List.of(v);
        }
        if (valueSource != null) {
            List<Object> v = valueSource.get();
            return v == null ? List.of() : v;
        }
        return List.of();
    }

    /** The numeric current value, or NaN. Any thread; allocation-free. */
    public float floatValue() {
        return slot >= 0 ? board.read(slot) : Float.NaN;
    }

    /**
     * Whether address patterns reach it: aliases (a pad by its class name) are exact-only, so
     * {@code /pad/*}{@code /gain} sets each pad once rather than twice.
     */
    public boolean patternVisible() {
        return patternVisible;
    }

    /** The documented reply, e.g. {@code /done ,ss /kit/load <name>}, or {@code null}. */
    public String reply() {
        return reply;
    }

    /**
     * Whether the command loads or writes files of the library (kits, presets, sounds,
     * recordings): an installation open to a network may limit who sends those.
     */
    public boolean touchesFiles() {
        return touchesFiles;
    }

    @Override
    public String toString() {
        return address + " " + typeSignature();
    }

    /** Builds a {@link Node}. Build time only; one thread. */
    public static final class Builder {
        private final String address;
        private final NodeKind kind;
        private String template;
        private String types = "";
        private int requiredArgs = -1;
        private final List<Range> ranges = new ArrayList<>();
        private String unit;
        private String description;
        private Access access = Access.WRITE;
        private int pad = -1;
        private int param = -1;
        private ValueSetter setter;
        private CommandHandler handler;
        private ValueBoard board;
        private int slot = -1;
        private Supplier<List<Object>> valueSource;
        private boolean patternVisible = true;
        private String reply;
        private boolean variadic;
        private boolean touchesFiles;

        private Builder(String address, NodeKind kind) {
            if (address == null || !address.startsWith("/") || address.length() > 1 && address.endsWith("/")) {
                throw new IllegalArgumentException("not an OSC address: " + address);
            }
            this.address = address;
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** The documented form with pattern parts, e.g. {@code /pad/<n>/gain}. */
        public Builder template(String t) {
            this.template = t;
            return this;
        }

        /** Argument type tags; the first {@code required} are required, the rest optional. */
        public Builder types(String typeTags, int required) {
            this.types = Objects.requireNonNull(typeTags, "types");
            if (required < 0 || required > typeTags.length()) {
                throw new IllegalArgumentException("required " + required + " of '" + typeTags + "'");
            }
            this.requiredArgs = required;
            return this;
        }

        /** Argument type tags, all required. */
        public Builder types(String typeTags) {
            return types(typeTags, typeTags.length());
        }

        /** The ranges, one per argument in order. */
        public Builder ranges(Range... r) {
            ranges.clear();
            ranges.addAll(List.of(r));
            return this;
        }

        public Builder unit(String u) {
            this.unit = u;
            return this;
        }

        public Builder description(String d) {
            this.description = d;
            return this;
        }

        public Builder access(Access a) {
            this.access = Objects.requireNonNull(a, "access");
            return this;
        }

        public Builder pad(int p) {
            this.pad = p;
            return this;
        }

        public Builder param(int p) {
            this.param = p;
            return this;
        }

        public Builder setter(ValueSetter s) {
            this.setter = s;
            return this;
        }

        public Builder handler(CommandHandler h) {
            this.handler = h;
            return this;
        }

        /** The current value lives in {@code slot} of {@code valueBoard}. */
        public Builder value(ValueBoard valueBoard, int valueSlot) {
            this.board = Objects.requireNonNull(valueBoard, "board");
            this.slot = valueSlot;
            return this;
        }

        /** The current value comes from {@code source} (non-numeric or not owned by one thread). */
        public Builder value(Supplier<List<Object>> source) {
            this.valueSource = source;
            return this;
        }

        public Builder patternVisible(boolean visible) {
            this.patternVisible = visible;
            return this;
        }

        public Builder reply(String r) {
            this.reply = r;
            return this;
        }

        /** The last type tag repeats any number of times (the handler checks the count). */
        public Builder variadic() {
            this.variadic = true;
            return this;
        }

        /** Marks a command that loads or writes library files. */
        public Builder touchesFiles(boolean t) {
            this.touchesFiles = t;
            return this;
        }

        public Node build() {
            return new Node(this);
        }
    }
}
