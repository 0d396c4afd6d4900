package io.latentkit.core.namespace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instrument's control namespace: every node, in registration order, with an exact-address
 * index that resolves an address given as bytes without building a {@code String} (the OSC
 * receiver's hot path), and the {@link ValueBoard} holding the current numeric values.
 *
 * <p>Built once, by {@link Builder}, from what each module registers; immutable afterwards. Any
 * thread.
 */
public final class Namespace {
    /** The frame meaning "as soon as possible": the start of the next rendered block. */
    public static final long ASAP = Long.MIN_VALUE;

    private final List<Node> nodes;
    private final Map<String, Node> byAddress;
    private final ValueBoard board;
    /** Node index + 1 per slot, 0 = empty; power-of-two size at least four times the nodes. */
    private final int[] table;
    private final int mask;

    private Namespace(List<Node> nodes, ValueBoard board) {
        this.nodes = List.copyOf(nodes);
        this.board = board;
        Map<String, Node> map = new HashMap<>();
        for (Node n : this.nodes) {
            if (map.put(n.address(), n) != null) {
                throw new IllegalArgumentException("address registered twice: " + n.address());
            }
        }
        this.byAddress = Collections.unmodifiableMap(map);
        int size = Integer.highestOneBit(Math.max(4, this.nodes.size() * 4)) << 1;
        this.table = new int[size];
        this.mask = size - 1;
        for (int i = 0; i < this.nodes.size(); i++) {
            if (this.nodes.get(i).kind() == NodeKind.OUTPUT) {
                continue; // documented, never received
            }
            byte[] a = this.nodes.get(i).addressBytes();
            int slot = hash(a, 0, a.length) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    /** A builder over a value board of {@code boardCapacity} slots. */
    public static Builder builder(int boardCapacity) {
        return new Builder(new ValueBoard(boardCapacity));
    }

    /** A builder over an existing value board (the engine's, whose slots its nodes use). */
    public static Builder builder(ValueBoard board) {
        return new Builder(board);
    }

    /** FNV-1a over the bytes, folded. Allocation-free. */
    public static int hash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** Index of the node at exactly this address, or -1. Allocation-free. */
    public int lookup(byte[] b, int off, int len) {
        int slot = hash(b, off, len) & mask;
        while (true) {
            int r = table[slot];
            if (r == 0) {
                return -1;
            }
            byte[] candidate = nodes.get(r - 1).addressBytes();
            if (candidate.length == len && equalBytes(candidate, b, off)) {
                return r - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean equalBytes(byte[] a, byte[] b, int off) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** The node at exactly {@code address}, or {@code null}. */
    public Node find(String address) {
        return byAddress.get(address);
    }

    /** Index of the node at {@code address}, or -1. */
    public int indexOf(String address) {
        byte[] b = address.getBytes(StandardCharsets.US_ASCII);
        return lookup(b, 0, b.length);
    }

    public int count() {
        return nodes.size();
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** Every node, in registration order. */
    public List<Node> nodes() {
        return nodes;
    }

    public ValueBoard board() {
        return board;
    }

    /**
     * One node per documented form (the first node of each template), in registration order: the
     * rows of the README's address tables.
     */
    public List<Node> templates() {
        Map<String, Node> first = new LinkedHashMap<>();
        for (Node n : nodes) {
            first.putIfAbsent(n.template(), n);
        }
        return new ArrayList<>(first.values());
    }

    /** Collects the nodes that each module registers. Build time only; one thread. */
    public static final class Builder {
        private final ValueBoard board;
        private final List<Node> nodes = new ArrayList<>();

        private Builder(ValueBoard board) {
            this.board = board;
        }

        /** The board that value nodes reserve their slots in. */
        public ValueBoard board() {
            return board;
        }

        public Builder add(Node node) {
            nodes.add(node);
            return this;
        }

        public Namespace build() {
            return new Namespace(nodes, board);
        }
    }
}
