package io.latentkit.osc.codec;

import static io.latentkit.osc.testkit.Packets.bytes;
import static io.latentkit.osc.testkit.Packets.message;
import static io.latentkit.osc.testkit.Packets.slip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentkit.osc.DropReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlipDecoderTest {
    private final List<byte[]> frames = new ArrayList<>();
    private final List<DropReason> drops = new ArrayList<>();
    private final SlipDecoder.FrameHandler handler = new SlipDecoder.FrameHandler() {
        @Override
        public void onFrame(byte[] frame, int offset, int length) {
            frames.add(Arrays.copyOfRange(frame, offset, offset + length));
        }

        @Override
        public void onFrameDropped(DropReason reason) {
            drops.add(reason);
        }
    };

    @Test
    void escapedEndAndEscBytesSurviveARoundTrip() {
        byte[] packet = {1, Slip.END, 2, Slip.ESC, 3, Slip.ESC_END, Slip.ESC_ESC};
        new SlipDecoder(64).feed(slip(packet), 0, slip(packet).length, handler);
        assertEquals(1, frames.size());
        assertArrayEquals(packet, frames.get(0));
    }

    @Test
    void framesSplitAcrossReadsAreReassembledByteByByte() {
        byte[] a = message("/hit", 1);
        byte[] b = message("/note", 36, 0.5f);
        byte[] stream = bytes(slip(a), slip(b));
        SlipDecoder d = new SlipDecoder(64);
        for (int i = 0; i < stream.length; i++) {
            d.feed(stream, i, 1, handler);
        }
        assertEquals(2, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(b, frames.get(1));
    }

    @Test
    void garbageBeforeAFrameBecomesItsOwnFrameAndTheNextFrameSurvives() {
        byte[] good = message("/hit", 1);
        byte[] stream = bytes("garbage", slip(good));
        new SlipDecoder(64).feed(stream, 0, stream.length, handler);
        assertEquals(2, frames.size());
        assertArrayEquals(good, frames.get(1));
    }

    @Test
    void badEscapeDiscardsOnlyItsFrame() {
        byte[] good = message("/hit", 1);
        byte[] stream = bytes(new byte[] {Slip.END, 1, Slip.ESC, 7, 2, Slip.END}, slip(good));
        new SlipDecoder(64).feed(stream, 0, stream.length, handler);
        assertEquals(List.of(DropReason.SLIP_BAD_ESCAPE), drops);
        assertEquals(1, frames.size());
        assertArrayEquals(good, frames.get(0));
    }

    @Test
    void oversizeFrameIsDiscardedUpToItsEndAndCountedOnce() {
        byte[] good = message("/hit", 1);
        byte[] big = new byte[100];
        Arrays.fill(big, (byte) 'x');
        byte[] stream = bytes(slip(big), slip(good));
        new SlipDecoder(64).feed(stream, 0, stream.length, handler);
        assertEquals(List.of(DropReason.SLIP_FRAME_TOO_LARGE), drops);
        assertEquals(1, frames.size());
        assertArrayEquals(good, frames.get(0));
    }
}
