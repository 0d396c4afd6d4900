package io.latentkit.presets.preset;

import io.latentkit.presets.LibraryFolder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link AutosaveTest}: starts an autosaver on folder {@code args[0]} whose state
 * is a preset at tempo {@code args[1]}, autosaves, prints {@code autosaved}, then either waits to
 * be killed ({@code args[2] = crash}) or shuts down cleanly ({@code clean}).
 */
public final class AutosaveChild {
    private AutosaveChild() {
    }

    public static void main(String[] args) throws Exception {
        double tempo = Double.parseDouble(args[1]);
        Autosaver a = new Autosaver(new LibraryFolder(Path.of(args[0])), () -> Preset.defaults().withTempo(tempo),
                Duration.ofSeconds(30));
        a.start();
        a.saveNow();
        System.out.println("autosaved");
        System.out.flush();
        if (args[2].equals("clean")) {
            a.close();
            return;
        }
        while (!System.out.checkError()) {
            Thread.sleep(50);
            System.out.print("");
        }
    }
}
