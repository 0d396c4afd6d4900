package io.latentkit.listen.input;

import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.AudioFormatException;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.core.dsp.Resampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A sound file played in as if a microphone heard it: decoded and mixed to mono at open, resampled
 * to the input rate, then handed out at real-time pace. Frame {@code n} is "captured" at
 * {@code start + n / rate}, where {@code start} is the moment of the first read, and {@link #read}
 * returns once the last frame asked for has been captured. After the end of the file the source
 * delivers silence, as a microphone in a quiet room does, so a server keeps listening.
 *
 * <p>For tests, demos and exhibits without a microphone: {@code --listen wav:FILE}.
 *
 * <p>Threading: see {@link AudioSource}; {@link #startNanoTime} from any thread once started.
 */
public final class FileSource implements AudioSource {
    private final Path file;
    private float[] samples;
    private int sampleRateHz;
    private long position;
    private volatile long startNanoTime = Long.MIN_VALUE;
    private volatile boolean closed;

    public FileSource(Path file) {
        this.file = file;
    }

    /** A source that plays {@code mono} (already at the rate it will be opened with). */
    public static FileSource of(float[] mono) {
        FileSource s = new FileSource(null);
        s.samples = mono.clone();
        return s;
    }

    @Override
    public void open(int rateHz) throws AudioSourceException {
        if (samples == null) {
            samples = load(file, rateHz);
        }
        this.sampleRateHz = rateHz;
        this.position = 0;
        this.startNanoTime = Long.MIN_VALUE;
        this.closed = false;
    }

    /** The file's samples, mono at {@code rateHz}. */
    static float[] load(Path file, int rateHz) throws AudioSourceException {
        if (!Files.isRegularFile(file)) {
            throw new AudioSourceException("listen input " + file + ": no such file");
        }
        DecodedAudio audio;
        try {
            audio = AudioDecoder.decode(file);
        } catch (AudioFormatException e) {
            throw new AudioSourceException("listen input: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AudioSourceException("listen input " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        int n = audio.frames();
        float[] mono = new float[n];
        for (int c = 0; c < audio.channelCount(); c++) {
            float[] ch = audio.channel(c);
            for (int i = 0; i < n; i++) {
                mono[i] += ch[i] / audio.channelCount();
            }
        }
        return audio.sampleRateHz() == rateHz ? mono : Resampler.resample(mono, audio.sampleRateHz(), rateHz);
    }

    @Override
    public int read(float[] into, int frames) {
        long now = System.nanoTime();
        if (startNanoTime == Long.MIN_VALUE) {
            startNanoTime = now;
        }
        long end = position + frames;
        long due = startNanoTime + end * 1_000_000_000L / sampleRateHz;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            if (closed) {
                return 0;
            }
            LockSupport.parkNanos(wait);
        }
        final float[] s = samples;
        for (int i = 0; i < frames; i++) {
            long p = position + i;
            into[i] = p < s.length ? s[(int) p] : 0f;
        }
        position = end;
        return frames;
    }

    /** {@link System#nanoTime()} at which frame 0 was captured, or {@code Long.MIN_VALUE} before the first read. */
    public long startNanoTime() {
        return startNanoTime;
    }

    /** Frames in the file (at the rate opened with). */
    public int lengthFrames() {
        return samples == null ? 0 : samples.length;
    }

    @Override
    public String describe() {
        return "wav:" + (file == null ? "(memory)" : file.toString()) + " (played in at real-time pace)";
    }

    @Override
    public void close() {
        // Nothing held open (the file was read whole at open); a read waiting for its frames ends.
        closed = true;
    }
}
