package io.latentkit.server;

import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.JackSink;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.engine.sink.RecordingSink;
import io.latentkit.engine.sink.RecoveringJavaSoundSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The audio options shared by the commands that run the engine: output, rate, block, buffer,
 * voices. Validation happens here, before any thread starts, and fails with a
 * {@link UsageException} whose message is the one line the user sees.
 *
 * <p>Threading: the command's thread.
 */
public final class AudioOptions {
    @Option(names = "--audio-out", paramLabel = "default|none|wav:FILE|device:NAME|jack[:CLIENT]",
            description = "Where sound goes: the default audio device (falls back to none when there is no"
                    + " device), none (null output paced by the wall clock), a WAV file recorded in real time,"
                    + " a named Java Sound device, or a JACK client (default name latentkit) rendered from"
                    + " JACK's process callback. Default: ${DEFAULT-VALUE}.", defaultValue = "default")
    String audioOut;

    @Option(names = "--jack-connect", paramLabel = "auto|none|LEFT,RIGHT",
            description = "With --audio-out jack: connect the ports to the server's playback ports (auto), to"
                    + " nothing, or to the two named ports. Default: ${DEFAULT-VALUE}.", defaultValue = "auto")
    String jackConnect;

    @Option(names = "--rate", paramLabel = "HZ", description = "Sample rate: 44100, 48000 or 96000. Default: ${DEFAULT-VALUE}.",
            defaultValue = "48000")
    int rateHz;

    @Option(names = "--block", paramLabel = "FRAMES", description = "Internal block size in frames (16..4096). Default: ${DEFAULT-VALUE}.",
            defaultValue = "64")
    int blockFrames;

    @Option(names = "--buffer", paramLabel = "FRAMES",
            description = "Device buffer in frames (at least one block; with --audio-out jack the JACK server's"
                    + " period applies instead). Default: ${DEFAULT-VALUE}.", defaultValue = "1024")
    int bufferFrames;

    @Option(names = "--voices", paramLabel = "N", description = "Voices sounding at once before the oldest is stolen (1..16384)."
            + " Default: ${DEFAULT-VALUE}.", defaultValue = "256")
    int voices;

    /** The engine configuration these options ask for. */
    public EngineConfig engineConfig() {
        try {
            return EngineConfig.defaults().withSampleRateHz(rateHz).withBlockFrames(blockFrames).withVoices(voices);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** What kind of output was asked for. */
    public enum Kind { DEFAULT, NONE, WAV, DEVICE, JACK }

    /** Parses and checks {@code --audio-out} and {@code --buffer}; checks a WAV path is writable. */
    public Kind kind() {
        if (bufferFrames < blockFrames || bufferFrames > 1 << 20) {
            throw new UsageException("--buffer must be between the block size (" + blockFrames + ") and 1048576 frames, got "
                    + bufferFrames);
        }
        String spec = audioOut == null ? "" : audioOut.trim();
        if (spec.equals("default")) {
            return Kind.DEFAULT;
        }
        if (spec.equals("none")) {
            return Kind.NONE;
        }
        if (spec.startsWith("wav:")) {
            checkWritable(Path.of(spec.substring(4)));
            return Kind.WAV;
        }
        if (spec.startsWith("device:") && spec.length() > 7) {
            return Kind.DEVICE;
        }
        if (spec.equals("jack") || spec.startsWith("jack:") && jackClientName(spec.substring(5))) {
            jackConnection();
            return Kind.JACK;
        }
        throw new UsageException("--audio-out must be default, none, wav:FILE, device:NAME or jack[:CLIENT], got '"
                + audioOut + "'");
    }

    /** A JACK client name: 1..63 printable characters without ':' (JACK's port separator). */
    private static boolean jackClientName(String name) {
        return !name.isEmpty() && name.length() <= 63 && name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':');
    }

    private JackSink.Connect jackConnection() {
        String c = jackConnect == null ? "auto" : jackConnect.trim();
        if (c.equals("auto")) {
            return JackSink.Connect.AUTO;
        }
        if (c.equals("none")) {
            return JackSink.Connect.NONE;
        }
        if (c.split(",", -1).length == 2 && !c.startsWith(",") && !c.endsWith(",")) {
            return JackSink.Connect.NAMED;
        }
        throw new UsageException("--jack-connect must be auto, none or LEFT,RIGHT (two port names), got '" + c + "'");
    }

    /**
     * The sink for a real-time run. For {@link Kind#DEFAULT} this is the default device; the
     * caller falls back to {@link #nullSink()} when it cannot be opened.
     */
    public AudioSink realtimeSink() {
        return switch (kind()) {
            case DEFAULT -> new RecoveringJavaSoundSink(null, bufferFrames);
            case NONE -> new NullSink(bufferFrames, "--audio-out none");
            case WAV -> new RecordingSink(Path.of(audioOut.trim().substring(4)), bufferFrames);
            case DEVICE -> new RecoveringJavaSoundSink(audioOut.trim().substring(7), bufferFrames);
            case JACK -> {
                String spec = audioOut.trim();
                JackSink.Connect connect = jackConnection();
                yield new JackSink(spec.equals("jack") ? "latentkit" : spec.substring(5), null, connect,
                        connect == JackSink.Connect.NAMED ? List.of(jackConnect.trim().split(",")) : List.of());
            }
        };
    }

    /** A null sink with the configured buffer, for a host without an audio device. */
    public AudioSink nullSink() {
        return new NullSink(bufferFrames);
    }

    /**
     * Checks that {@code file} can be created or overwritten, without creating it: a missing folder,
     * a folder in its place or a read-only location is a usage error.
     */
    public static void checkWritable(Path file) {
        if (file.toString().isBlank()) {
            throw new UsageException("output path is empty");
        }
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UsageException("cannot write " + file + ": it is a folder");
        }
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("cannot write " + file + ": folder " + parent + " does not exist");
        }
        if (Files.exists(abs) ? !Files.isWritable(abs) : !Files.isWritable(parent)) {
            throw new UsageException("cannot write " + file + ": permission denied");
        }
    }
}
