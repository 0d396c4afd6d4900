package io.latentkit.listen.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleRingTest {
    @Test
    void holdsTheLastCapacityFramesByAbsoluteIndex() {
        SampleRing r = new SampleRing(1000);
        assertEquals(1024, r.capacity());
        float[] block = new float[100];
        for (int b = 0; b < 30; b++) {
            for (int i = 0; i < 100; i++) {
                block[i] = b * 100 + i;
            }
            r.write(block, 0, 100);
        }
        assertEquals(3000, r.written());
        assertEquals(3000 - 1024, r.oldest());
        float[] out = new float[5];
        assertTrue(r.copy(2500, out, 0, 5));
        assertArrayEquals(new float[] {2500, 2501, 2502, 2503, 2504}, out);
    }

    @Test
    void aRangeNotYetWrittenOrAlreadyOverwrittenIsRefused() {
        SampleRing r = new SampleRing(64);
        r.write(new float[200], 0, 200);
        float[] out = new float[10];
        assertFalse(r.copy(195, out, 0, 10), "not all written yet");
        assertFalse(r.copy(100, out, 0, 10), "overwritten");
        assertTrue(r.copy(150, out, 0, 10));
    }
}
