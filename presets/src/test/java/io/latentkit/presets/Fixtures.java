package io.latentkit.presets;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test helper: the committed fixture kits under test resources {@code io/latentkit/presets/kits/}. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path kit(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/io/latentkit/presets/kits/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
