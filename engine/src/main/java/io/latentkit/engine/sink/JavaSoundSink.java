package io.latentkit.engine.sink;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;

/**
 * Plays to a Java Sound {@link SourceDataLine} (16-bit signed little-endian stereo) with a
 * configurable device buffer. {@code write} blocks while the line's buffer is full, which paces the
 * render thread to the sound card.
 *
 * <p>Java Sound reports no underruns, so they are detected from the frame position: if, when a
 * block arrives, the device has already played every frame written so far, it ran dry and the
 * block is a deadline miss. A short write (the line was stopped or closed under us) also counts.
 *
 * <p>Threading: see {@link AudioSink}. The conversion buffer is allocated at open; write allocates
 * nothing itself.
 */
public final class JavaSoundSink implements AudioSink {
    private final String deviceName;
    private final int bufferFrames;
    private SourceDataLine line;
    private byte[] bytes;
    private long framesWritten;
    private volatile long misses;
    private volatile long shortWrites;
    private String description = "java sound (not open)";

    /**
     * @param deviceName a mixer name (exact, or a unique substring), or {@code null} for the
     *     system's default output
     * @param bufferFrames the device buffer in frames
     */
    public JavaSoundSink(String deviceName, int bufferFrames) {
        if (bufferFrames < 16) {
            throw new IllegalArgumentException("buffer must be at least 16 frames, got " + bufferFrames);
        }
        this.deviceName = deviceName;
        this.bufferFrames = bufferFrames;
    }

    @Override
    public void open(int sampleRateHz, int blockFrames) throws AudioSinkException {
        AudioFormat format = new AudioFormat(sampleRateHz, 16, 2, true, false);
        DataLine.Info wanted = new DataLine.Info(SourceDataLine.class, format);
        try {
            Mixer.Info mixer = null;
            if (deviceName != null) {
                mixer = findMixer(deviceName, wanted);
                line = (SourceDataLine) AudioSystem.getMixer(mixer).getLine(wanted);
            } else {
                line = AudioSystem.getSourceDataLine(format);
            }
            line.open(format, bufferFrames * format.getFrameSize());
            line.start();
            description = (mixer != null ? mixer.getName() : "default output") + " (java sound, "
                    + line.getBufferSize() / format.getFrameSize() + "-frame buffer)";
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new AudioSinkException("no audio output " + (deviceName == null ? "device" : "'" + deviceName + "'")
                    + " for " + sampleRateHz + " Hz 16-bit stereo: " + e.getMessage(), e);
        }
        bytes = new byte[blockFrames * format.getFrameSize()];
    }

    static Mixer.Info findMixer(String name, DataLine.Info wanted) throws AudioSinkException {
        Mixer.Info found = null;
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            if (!AudioSystem.getMixer(info).isLineSupported(wanted)) {
                continue;
            }
            if (info.getName().equals(name)) {
                return info;
            }
            if (info.getName().contains(name)) {
                if (found != null) {
                    throw new AudioSinkException("audio device name '" + name + "' is ambiguous: '"
                            + found.getName() + "' and '" + info.getName() + "'");
                }
                found = info;
            }
        }
        if (found == null) {
            throw new AudioSinkException("no audio output device named '" + name + "'");
        }
        return found;
    }

    @Override
    public void write(float[] interleaved, int frames) {
        final byte[] b = bytes;
        final int n = 2 * frames;
        for (int i = 0; i < n; i++) {
            float x = interleaved[i];
            // The output guard keeps samples in [-1, 1]; clamp anyway so no wrap-around can click.
            int s = Math.round(x * 32767f);
            if (s > 32767) {
                s = 32767;
            } else if (s < -32768) {
                s = -32768;
            }
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        if (framesWritten > 0 && line.getLongFramePosition() >= framesWritten) {
            misses++;
        }
        int len = n * 2;
        int done = line.write(b, 0, len);
        if (done < len) {
            shortWrites++;
            misses++;
        }
        framesWritten += frames;
    }

    @Override
    public long deadlineMisses() {
        return misses;
    }

    /** Writes that returned fewer bytes than asked (line stopped or closed). */
    public long shortWrites() {
        return shortWrites;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int latencyFrames() {
        return bufferFrames;
    }

    @Override
    public void close() {
        if (line != null) {
            line.stop();
            line.flush();
            line.close();
            line = null;
        }
    }
}
