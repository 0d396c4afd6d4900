package io.latentkit.engine.sink;

import io.latentkit.engine.control.EngineProxy;
import java.util.concurrent.locks.LockSupport;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.core.kit.DefaultKit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkTest {
    private static final int SR = 48_000;

    @TempDir
    Path dir;

    private static void renderSession(Path wav) throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        for (int i = 0; i < 24; i++) {
            engine.proxy().trigger(i % DrumClass.COUNT, 0.9f, i * 4_000L + 11);
        }
        try (WavFileSink sink = new WavFileSink(wav)) {
            engine.renderOffline(sink, 2 * SR);
        }
    }

    @Test
    void wavFileRendersAreBitIdenticalAndReadableByJavaSound() throws Exception {
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        renderSession(a);
        renderSession(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(a.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_FLOAT, f.getEncoding());
            assertEquals(2, f.getChannels());
            assertEquals(SR, (int) f.getSampleRate());
            assertEquals(2 * SR, in.getFrameLength());
        }
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(a)).order(ByteOrder.LITTLE_ENDIAN);
        data.position(44);
        float peak = 0f;
        while (data.hasRemaining()) {
            peak = Math.max(peak, Math.abs(data.getFloat()));
        }
        assertTrue(peak > 0.2f, "the session is in the file, peak " + peak);
    }

    @Test
    void wavSinkRefusesAMissingFolderWithOneLine() {
        AudioSinkException e = assertThrows(AudioSinkException.class,
                () -> new WavFileSink(dir.resolve("missing/x.wav")).open(SR, 64));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void nullSinkPacesLikeADeviceAndCountsAMissWhenItRunsDry() throws Exception {
        NullSink sink = new NullSink(256);
        sink.open(SR, 64);
        float[] block = new float[128];
        long start = System.nanoTime();
        // 256 frames prime the buffer; 48_000 more take one second of wall time.
        for (int i = 0; i < 4 + 750; i++) {
            sink.write(block, 64);
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // A lower bound only: the sink must not run faster than the audio it plays; a loaded machine
        // can only make this slower, so the check cannot turn flaky.
        assertTrue(tookMs >= 990, "paced by the wall clock: " + tookMs + " ms for one second of audio");
        long missesBefore = sink.deadlineMisses();
        // Stall far longer than the buffer: the emulated device runs dry.
        LockSupport.parkNanos(50_000_000L);
        sink.write(block, 64);
        assertEquals(missesBefore + 1, sink.deadlineMisses());
    }

    @Test
    void recordingSinkWritesTheRealTimeSessionToAFile() throws Exception {
        Path wav = dir.resolve("live.wav");
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.warmupBlocks(0);
        RecordingSink sink = new RecordingSink(wav, 256);
        engine.start(sink);
        engine.proxy().trigger(DrumClass.KICK.pad(), 1f, EngineProxy.ASAP);
        while (engine.counters().framePosition() < SR / 2) {
            Thread.sleep(20);
        }
        engine.close();
        assertEquals(0, sink.droppedFrames());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertTrue(in.getFrameLength() >= SR / 2, "frames recorded: " + in.getFrameLength());
        }
    }
}
