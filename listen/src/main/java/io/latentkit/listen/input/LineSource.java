package io.latentkit.listen.input;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * A Java Sound capture device: the system's default {@link TargetDataLine}, or a mixer's by name.
 * Opened at the input rate, 16-bit signed little-endian, mono where the device offers it and
 * otherwise stereo mixed down, with a device buffer of {@value #BUFFER_BLOCKS} blocks so that a
 * listen agent held up for a moment loses nothing.
 *
 * <p>A read that returns fewer bytes than asked means the line stopped delivering (closed,
 * stopped, the device unplugged): {@link #read} then returns the frames it got, and the input agent
 * counts the loss and reopens the device later.
 *
 * <p>Threading: see {@link AudioSource}. The conversion buffer is allocated at open; reads do not
 * allocate.
 */
public final class LineSource implements AudioSource {
    /**
     * Device buffer, in blocks of the read size (341 ms of the default 32-frame blocks): a capture buffer adds
     * no latency while the reader keeps up, and a large one rides out a starved input thread.
     */
    public static final int BUFFER_BLOCKS = 512;

    private final String deviceName;
    private final int blockFrames;
    private TargetDataLine line;
    private byte[] bytes;
    private int channels;
    private volatile String description;

    /**
     * @param deviceName a mixer name (exact, or a unique substring), or {@code null} for the
     *     default capture device
     * @param blockFrames frames per read
     */
    public LineSource(String deviceName, int blockFrames) {
        if (blockFrames < 1) {
            throw new IllegalArgumentException("block must be at least one frame: " + blockFrames);
        }
        this.deviceName = deviceName;
        this.blockFrames = blockFrames;
        this.description = deviceName == null ? "default capture device" : "device:" + deviceName;
    }

    @Override
    public void open(int sampleRateHz) throws AudioSourceException {
        AudioSourceException failure = null;
        for (int ch = 1; ch <= 2; ch++) {
            AudioFormat format = new AudioFormat(sampleRateHz, 16, ch, true, false);
            DataLine.Info wanted = new DataLine.Info(TargetDataLine.class, format);
            try {
                Mixer.Info mixer = null;
                TargetDataLine l;
                if (deviceName != null) {
                    mixer = findMixer(deviceName, wanted);
                    l = (TargetDataLine) AudioSystem.getMixer(mixer).getLine(wanted);
                } else {
                    l = (TargetDataLine) AudioSystem.getLine(wanted);
                }
                l.open(format, BUFFER_BLOCKS * blockFrames * format.getFrameSize());
                l.start();
                line = l;
                channels = ch;
                bytes = new byte[blockFrames * format.getFrameSize()];
                description = (mixer != null ? mixer.getName() : "default capture device") + " (java sound, "
                        + (ch == 1 ? "mono" : "stereo mixed to mono") + ", " + l.getBufferSize() / format.getFrameSize()
                        + "-frame buffer)";
                return;
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException | ClassCastException e) {
                if (failure != null) {
                    break; // stereo failed too: the mono attempt's reason is the one to report
                }
                failure = new AudioSourceException("no audio input " + (deviceName == null ? "device" : "'" + deviceName + "'")
                        + " for " + sampleRateHz + " Hz 16-bit capture (" + firstLine(e.getMessage()) + ")", e);
            } catch (AudioSourceException e) {
                throw e;
            }
        }
        throw failure;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Mixer.Info findMixer(String name, DataLine.Info wanted) throws AudioSourceException {
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
                    throw new AudioSourceException("audio input name '" + name + "' is ambiguous: '" + found.getName()
                            + "' and '" + info.getName() + "'");
                }
                found = info;
            }
        }
        if (found == null) {
            throw new AudioSourceException("no audio input device named '" + name + "'");
        }
        return found;
    }

    @Override
    public int read(float[] into, int frames) {
        if (frames > blockFrames) {
            throw new IllegalArgumentException("reads of at most " + blockFrames + " frames, not " + frames);
        }
        final int frameBytes = 2 * channels;
        final int want = frames * frameBytes;
        int got;
        try {
            got = line.read(bytes, 0, want);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return 0; // the line was closed under us
        }
        final int n = Math.max(0, got) / frameBytes;
        final byte[] b = bytes;
        if (channels == 1) {
            for (int i = 0; i < n; i++) {
                into[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8)) / 32768f;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int l = (short) ((b[4 * i] & 0xff) | (b[4 * i + 1] << 8));
                int r = (short) ((b[4 * i + 2] & 0xff) | (b[4 * i + 3] << 8));
                into[i] = (l + r) / 65536f;
            }
        }
        return n;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        TargetDataLine l = line;
        line = null;
        if (l != null) {
            l.stop();
            l.flush();
            l.close();
        }
    }
}
