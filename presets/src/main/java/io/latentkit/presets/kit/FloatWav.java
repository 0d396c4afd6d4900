package io.latentkit.presets.kit;

import io.latentkit.core.audio.DecodedAudio;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decoded audio as a WAV file of 32-bit IEEE floats (format 3, with the {@code fact} chunk such
 * files carry), little-endian and interleaved: lossless for any float sample, and read back by the
 * project's own WAV decoder. What {@link KitWriter.Draft#addAudio} writes.
 *
 * <p>Stateless; any thread.
 */
final class FloatWav {
    private FloatWav() {
    }

    static byte[] encode(DecodedAudio a) {
        int ch = a.channelCount();
        long data = (long) a.frames() * ch * 4;
        if (data > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("audio too long for one WAV file");
        }
        ByteBuffer b = ByteBuffer.allocate(58 + (int) data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(50 + (int) data).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(18).putShort((short) 3).putShort((short) ch).putInt(a.sampleRateHz())
                .putInt(a.sampleRateHz() * ch * 4).putShort((short) (ch * 4)).putShort((short) 32).putShort((short) 0);
        b.put(ascii("fact")).putInt(4).putInt(a.frames());
        b.put(ascii("data")).putInt((int) data);
        for (int f = 0; f < a.frames(); f++) {
            for (int c = 0; c < ch; c++) {
                b.putFloat(a.channel(c)[f]);
            }
        }
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
