package io.latentkit.models;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Test helper: paths of the committed fixtures and copies of the shipped models. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) throws Exception {
        return Path.of(Fixtures.class.getResource("/io/latentkit/models/" + name).toURI());
    }

    static float[] hit(String cls) throws Exception {
        return AudioFiles.readMono(path("hit_" + cls + ".wav"), 48000);
    }

    static float[] f32(String name) throws Exception {
        byte[] b = Files.readAllBytes(path(name));
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Copies the shipped models into {@code dir}, so a test can replace one of them. */
    static void copyShippedModels(Path dir) throws Exception {
        for (String f : new String[] {DrumClassifier.FILE, DrumClassifier.SHORT_FILE, DrumVae.ENCODER_FILE,
                DrumVae.DECODER_FILE}) {
            try (InputStream in = Fixtures.class.getResourceAsStream(Models.RESOURCE_DIR + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
