package io.latentkit.models.latent;

import io.latentkit.core.kit.Sample;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Exact decodes of recently visited positions, least recently used evicted first: a gesture that
 * comes back to a place (a knob turned back and forth, a circle on an XY pad) is served without
 * decoding again. Keys name a pad, the generation of its anchors and a quantised position, so a
 * changed anchor never serves a stale sound.
 *
 * <p>Not thread-safe: the inference worker only.
 */
final class SoundCache {
    /** One decoded sound: at the model's rate, at the engine's, and the point it decodes. */
    record Entry(float[] modelRate, Sample sample, float[] z, long digest) {
    }

    private final int capacity;
    private final LinkedHashMap<Long, Entry> entries;

    SoundCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.max(16, capacity * 2), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
                return size() > SoundCache.this.capacity;
            }
        };
    }

    /**
     * The key of a position: pad (4 bits), a kind (1 bit: xy or morph), the generation (27 bits)
     * and two 16-bit quantised coordinates.
     */
    static long key(int pad, int kind, int generation, int qx, int qy) {
        return ((long) pad << 60) | ((long) (kind & 1) << 59) | ((long) (generation & 0x7FF_FFFF) << 32)
                | ((long) (qx & 0xFFFF) << 16) | (qy & 0xFFFF);
    }

    void clear() {
        entries.clear();
    }

    Entry get(long key) {
        return capacity == 0 ? null : entries.get(key);
    }

    void put(long key, Entry e) {
        if (capacity > 0) {
            entries.put(key, e);
        }
    }

    int size() {
        return entries.size();
    }

    int capacity() {
        return capacity;
    }

    /** Bytes of audio held (both rates; one array when they are the same rate). */
    long bytes() {
        long b = 0;
        for (Entry e : entries.values()) {
            b += 4L * e.modelRate().length;
            if (e.sample().left() != e.modelRate()) {
                b += e.sample().bytes();
            }
        }
        return b;
    }

    /** CRC-32 of the float bits: what a reload compares to tell that a decode came out the same. */
    static long digest(float[] pcm) {
        CRC32 crc = new CRC32();
        byte[] b = new byte[4 * pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            int v = Float.floatToRawIntBits(pcm[i]);
            b[4 * i] = (byte) v;
            b[4 * i + 1] = (byte) (v >> 8);
            b[4 * i + 2] = (byte) (v >> 16);
            b[4 * i + 3] = (byte) (v >> 24);
        }
        crc.update(b);
        return crc.getValue();
    }
}
