package io.latentkit.server.patterns;

import io.latentkit.server.AudioOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s options for patterns and bounce: {@code --record-control FILE}.
 *
 * <p>Threading: the command's thread.
 */
public final class PatternServeOptions {
    @Option(names = "--record-control", paramLabel = "FILE",
            description = "Log every control event with the frame it was applied at, for 'latentkit render --control'.")
    Path recordControl;

    /** The control log to write, checked writable, or {@code null}. */
    public Path recordControl() {
        if (recordControl != null) {
            AudioOptions.checkWritable(recordControl);
        }
        return recordControl;
    }
}
