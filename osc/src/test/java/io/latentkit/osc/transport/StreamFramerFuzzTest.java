package io.latentkit.osc.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.codec.SlipDecoder;

/**
 * Fuzzes the TCP stream framer (SLIP or length-prefixed, chosen by the first byte) with arbitrary
 * streams cut into arbitrary reads: frames stay within the cap, drops carry a framing reason, and
 * nothing throws. Saved inputs run as ordinary tests.
 */
class StreamFramerFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void framerSurvivesAnyStreamInAnyChunks(FuzzedDataProvider in) {
        int max = 128;
        StreamFramer framer = new StreamFramer(max);
        SlipDecoder.FrameHandler h = new SlipDecoder.FrameHandler() {
            @Override
            public void onFrame(byte[] frame, int offset, int length) {
                assertTrue(length > 0 && length <= max);
            }

            @Override
            public void onFrameDropped(DropReason reason) {
                assertTrue(reason == DropReason.SLIP_BAD_ESCAPE || reason == DropReason.SLIP_FRAME_TOO_LARGE
                        || reason == DropReason.OVERSIZE);
            }
        };
        byte[] stream = in.consumeRemainingAsBytes();
        int p = 0;
        int chunk = 1;
        while (p < stream.length) {
            int n = Math.min(stream.length - p, chunk);
            framer.feed(stream, p, n, h);
            p += n;
            chunk = chunk * 3 % 17 + 1;
        }
    }
}
