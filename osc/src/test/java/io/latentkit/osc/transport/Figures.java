package io.latentkit.osc.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a reliability test's measured figures to {@code target/reliability/NAME} (quoted in RELIABILITY.md). */
public final class Figures {
    private Figures() {
    }

    public static void write(String name, String text) {
        try {
            Path dir = Path.of("target", "reliability");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
