package io.latentkit.osc.dispatch;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed OSC address space: every exact address the server answers, each with a route kind and
 * up to two integer operands (pad, parameter). Exact addresses resolve through an open-addressing
 * hash of the address bytes, with no {@code String} built per message.
 *
 * <p>Immutable after construction; any thread.
 */
final class Routes {
    static final int HIT = 1;
    static final int HIT_CLASS = 2;
    static final int NOTE = 3;
    static final int PAD_PARAM = 4;
    static final int KIT_LOAD = 5;
    static final int KIT_LIST = 6;
    static final int STATUS = 7;
    static final int NOTIFY = 8;
    static final int SYNC = 9;
    static final int VERSION = 10;
    static final int TEMPO = 11;
    static final int PRESET_SAVE = 12;
    static final int PRESET_LOAD = 13;
    static final int PRESET_LIST = 14;
    static final int MIDI_LEARN = 15;

    private final byte[][] addresses;
    private final int[] kinds;
    private final int[] padOperands;
    private final int[] paramOperands;
    /** Route index + 1 per slot, 0 = empty; power-of-two size at least four times the routes. */
    private final int[] table;
    private final int mask;

    Routes() {
        List<String> a = new ArrayList<>();
        List<int[]> ops = new ArrayList<>();
        add(a, ops, "/hit", HIT, -1, -1);
        for (DrumClass c : DrumClass.values()) {
            add(a, ops, "/hit/" + c.oscName(), HIT_CLASS, c.pad(), -1);
        }
        add(a, ops, "/note", NOTE, -1, -1);
        for (DrumClass c : DrumClass.values()) {
            for (PadParam p : PadParam.values()) {
                add(a, ops, "/pad/" + c.pad() + "/" + p.oscName(), PAD_PARAM, c.pad(), p.ordinal());
                add(a, ops, "/pad/" + c.oscName() + "/" + p.oscName(), PAD_PARAM, c.pad(), p.ordinal());
            }
        }
        add(a, ops, "/kit/load", KIT_LOAD, -1, -1);
        add(a, ops, "/kit/list", KIT_LIST, -1, -1);
        add(a, ops, "/status", STATUS, -1, -1);
        add(a, ops, "/notify", NOTIFY, -1, -1);
        add(a, ops, "/sync", SYNC, -1, -1);
        add(a, ops, "/version", VERSION, -1, -1);
        add(a, ops, "/tempo", TEMPO, -1, -1);
        add(a, ops, "/preset/save", PRESET_SAVE, -1, -1);
        add(a, ops, "/preset/load", PRESET_LOAD, -1, -1);
        add(a, ops, "/preset/list", PRESET_LIST, -1, -1);
        add(a, ops, "/midi/learn", MIDI_LEARN, -1, -1);
        int n = a.size();
        addresses = new byte[n][];
        kinds = new int[n];
        padOperands = new int[n];
        paramOperands = new int[n];
        int size = Integer.highestOneBit(n * 4) << 1;
        table = new int[size];
        mask = size - 1;
        for (int i = 0; i < n; i++) {
            addresses[i] = a.get(i).getBytes(StandardCharsets.US_ASCII);
            kinds[i] = ops.get(i)[0];
            padOperands[i] = ops.get(i)[1];
            paramOperands[i] = ops.get(i)[2];
            int slot = hash(addresses[i], 0, addresses[i].length) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    private static void add(List<String> a, List<int[]> ops, String address, int kind, int pad, int param) {
        a.add(address);
        ops.add(new int[] {kind, pad, param});
    }

    static int hash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** Route index of the exact address, or -1. Allocation-free. */
    int lookup(byte[] b, int off, int len) {
        int slot = hash(b, off, len) & mask;
        while (true) {
            int r = table[slot];
            if (r == 0) {
                return -1;
            }
            byte[] candidate = addresses[r - 1];
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

    int count() {
        return addresses.length;
    }

    byte[] address(int route) {
        return addresses[route];
    }

    int kind(int route) {
        return kinds[route];
    }

    int pad(int route) {
        return padOperands[route];
    }

    int param(int route) {
        return paramOperands[route];
    }
}
