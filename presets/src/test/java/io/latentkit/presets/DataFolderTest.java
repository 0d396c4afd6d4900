package io.latentkit.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the user data folder is. */
class DataFolderTest {
    @Test
    void latentkitHomeWinsOverTheDefaultUnderTheHomeFolder() {
        assertEquals(Path.of("/srv/lk").toAbsolutePath(),
                DataFolder.fromEnvironment(Map.of("LATENTKIT_HOME", "/srv/lk"), "/home/p").root());
        assertEquals(Path.of("/home/p/.local/share/latentkit"), DataFolder.fromEnvironment(Map.of(), "/home/p").root());
        assertEquals(Path.of("/home/p/.local/share/latentkit"),
                DataFolder.fromEnvironment(Map.of("LATENTKIT_HOME", " "), "/home/p").root());
        DataFolder d = new DataFolder(Path.of("/x"));
        assertEquals(Path.of("/x/kits"), d.kits().root());
        assertEquals(Path.of("/x/presets"), d.presets().root());
    }
}
