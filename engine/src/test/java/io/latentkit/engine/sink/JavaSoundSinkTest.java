package io.latentkit.engine.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.audio.CaptureLine;
import io.latentkit.testsupport.audio.CaptureMixer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Mixer;
import org.junit.jupiter.api.Test;

/**
 * The Java Sound sink against the real {@code AudioSystem} lookup; the device is the test-scope
 * capture provider (this machine has no sound card).
 */
class JavaSoundSinkTest {
    private static final int SR = 48_000;

    @Test
    void theRealAudioSystemLookupFindsTheTestDevice() {
        boolean found = false;
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            found |= info.getName().equals(CaptureMixer.NAME);
        }
        assertTrue(found, "the MixerProvider registered in test scope is visible to AudioSystem");
    }

    @Test
    void writesWhatTheEngineRendersAsSixteenBitStereoWithTheConfiguredBuffer() throws Exception {
        EngineConfig config = EngineConfig.defaults();
        Engine live = Engine.create(config, TestKits.kit(SR, pad -> TestKits.sine(4_000, 440, 0.5f, SR)));
        Engine reference = Engine.create(config, TestKits.kit(SR, pad -> TestKits.sine(4_000, 440, 0.5f, SR)));
        live.proxy().trigger(1, 1f, 100);
        reference.proxy().trigger(1, 1f, 100);

        JavaSoundSink sink = new JavaSoundSink(CaptureMixer.NAME, 256);
        live.renderOffline(sink, 6_400);
        CaptureLine line = CaptureMixer.lastLine();
        assertEquals(256 * 4, line.requestedBufferBytes(), "buffer of 256 stereo 16-bit frames");
        assertTrue(sink.describe().startsWith(CaptureMixer.NAME));
        float[][] expected = OfflineRender.render(reference, 6_400);
        sink.close();

        ByteBuffer pcm = ByteBuffer.wrap(line.captured()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(6_400 * 4, pcm.remaining());
        for (int i = 0; i < 6_400; i++) {
            assertEquals(Math.round(expected[0][i] * 32767f), pcm.getShort(), "left frame " + i);
            assertEquals(Math.round(expected[1][i] * 32767f), pcm.getShort(), "right frame " + i);
        }
    }

    @Test
    void anUnderrunIsDetectedFromTheFramePosition() throws Exception {
        JavaSoundSink sink = new JavaSoundSink(CaptureMixer.NAME, 256);
        sink.open(SR, 64);
        CaptureLine line = CaptureMixer.lastLine();
        float[] block = new float[128];
        sink.write(block, 64);
        line.playTo(32);                 // the device still has 32 frames queued
        sink.write(block, 64);
        assertEquals(0, sink.deadlineMisses());
        line.playTo(128);                // it played everything written: it ran dry
        sink.write(block, 64);
        assertEquals(1, sink.deadlineMisses());
        sink.close();
    }

    @Test
    void aShortWriteIsCountedNotIgnored() throws Exception {
        JavaSoundSink sink = new JavaSoundSink(CaptureMixer.NAME, 256);
        sink.open(SR, 64);
        CaptureMixer.lastLine().failWrites(true);
        sink.write(new float[128], 64);
        assertEquals(1, sink.shortWrites());
        assertEquals(1, sink.deadlineMisses());
        sink.close();
    }

    @Test
    void anUnknownDeviceNameIsAClearError() {
        AudioSinkException e = assertThrows(AudioSinkException.class,
                () -> new JavaSoundSink("no such device", 256).open(SR, 64));
        assertEquals("no audio output device named 'no such device'", e.getMessage());
    }
}
