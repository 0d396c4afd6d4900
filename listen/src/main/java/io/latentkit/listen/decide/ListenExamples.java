package io.latentkit.listen.decide;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The performer's enrolled examples in a form that serialises to JSON as it is (records, strings,
 * numbers and float arrays; Jackson writes and reads it without annotations), for the preset.
 * Each example keeps its embedding and the window it was embedded from, as 16-bit PCM in Base64,
 * so that examples saved with another embedding (a newer model, another window) are embedded again
 * on load instead of being lost.
 *
 * <p>Immutable once built (treat the arrays as read-only); any thread.
 *
 * @param version      {@value #VERSION}
 * @param embedding    the space the embeddings live in ({@link HitEmbedder#id()})
 * @param sampleRateHz the rate of the clips
 * @param classes      the learned classes, in the order they were learned
 */
public record ListenExamples(int version, String embedding, int sampleRateHz, List<LearnedClass> classes) {
    public static final int VERSION = 1;

    public ListenExamples {
        Objects.requireNonNull(embedding, "embedding");
        classes = List.copyOf(classes);
    }

    /** No examples. */
    public static ListenExamples empty(String embedding, int sampleRateHz) {
        return new ListenExamples(VERSION, embedding, sampleRateHz, List.of());
    }

    /** One learned class and its examples. */
    public record LearnedClass(String name, List<Example> examples) {
        public LearnedClass {
            Objects.requireNonNull(name, "name");
            examples = List.copyOf(examples);
        }
    }

    /**
     * One example.
     *
     * @param embedding its point in the space of {@link ListenExamples#embedding()}
     * @param clipPcm16 the window it came from: mono 16-bit little-endian PCM, Base64
     */
    public record Example(float[] embedding, String clipPcm16) {
        public Example {
            Objects.requireNonNull(embedding, "embedding");
            Objects.requireNonNull(clipPcm16, "clipPcm16");
        }

        /** An example from a window of float samples (clipped to [-1, 1] when encoded). */
        public static Example of(float[] embedding, float[] clip, int from, int to) {
            ByteBuffer b = ByteBuffer.allocate(2 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = from; i < to; i++) {
                float v = Math.max(-1f, Math.min(1f, clip[i]));
                b.putShort((short) Math.round(v * 32767f));
            }
            return new Example(embedding.clone(), Base64.getEncoder().encodeToString(b.array()));
        }

        /**
         * The window as floats.
         *
         * @throws IllegalArgumentException if the Base64 text or its length is malformed
         */
        public float[] clip() {
            byte[] raw = Base64.getDecoder().decode(clipPcm16);
            if (raw.length % 2 != 0) {
                throw new IllegalArgumentException("an example clip has an odd number of bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[raw.length / 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = b.getShort() / 32768f;
            }
            return x;
        }
    }
}
