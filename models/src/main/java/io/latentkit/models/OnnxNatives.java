package io.latentkit.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ONNX Runtime's native libraries live: extracted once into a cache folder latentkit owns
 * ({@code $LATENTKIT_CACHE}, else {@code $XDG_CACHE_HOME/latentkit}, else
 * {@code ~/.cache/latentkit}; property {@code latentkit.cache} overrides), instead of into a new
 * temporary folder on every start. ONNX Runtime deletes its temporary copy only on a clean exit, so
 * every crash used to leave 21 MiB in {@code /tmp}; a supervised server that restarts after
 * crashes would fill the disk.
 *
 * <p>Threading: {@link #prepare} is idempotent and synchronized; call it before the first use of
 * ONNX Runtime (as {@link OnnxModel#open} does).
 */
public final class OnnxNatives {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxNatives.class);
    /** ONNX Runtime's own property: load the natives from this folder instead of extracting them. */
    static final String NATIVE_PATH = "onnxruntime.native.path";
    private static final String[] LIBRARIES = {"libonnxruntime.so", "libonnxruntime4j_jni.so"};
    private static boolean prepared;

    private OnnxNatives() {
    }

    /** The cache folder for this platform's natives. */
    static Path cacheFolder() {
        String explicit = System.getProperty("latentkit.cache");
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv("LATENTKIT_CACHE");
        }
        Path base;
        if (explicit != null && !explicit.isBlank()) {
            base = Path.of(explicit);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            base = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("latentkit");
        }
        return base.resolve("onnxruntime-" + platform());
    }

    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return (os.contains("linux") ? "linux" : os.replace(' ', '_')) + "-" + ("amd64".equals(arch) ? "x64" : arch);
    }

    /**
     * Makes ONNX Runtime load its natives from the cache, extracting them there first if needed.
     * Where that cannot be done (another platform, an unwritable cache), ONNX Runtime's own
     * extraction is left to happen, with one warning.
     */
    public static synchronized void prepare() {
        if (prepared || System.getProperty(NATIVE_PATH) != null) {
            prepared = true;
            return;
        }
        prepared = true;
        Path folder = cacheFolder();
        String resourceDir = "/ai/onnxruntime/native/" + platform() + "/";
        try {
            Files.createDirectories(folder);
            for (String lib : LIBRARIES) {
                extract(resourceDir + lib, folder.resolve(lib));
            }
            System.setProperty(NATIVE_PATH, folder.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ONNX Runtime natives not cached in {} ({}); it extracts them to a temporary folder itself",
                    folder, e.getMessage());
        }
    }

    /** Copies one library out of the jar unless an identical-size copy is there already. */
    private static void extract(String resource, Path target) throws IOException {
        try (InputStream in = OnnxNatives.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " in the ONNX Runtime jar for this platform");
            }
            byte[] bytes = in.readAllBytes();
            if (Files.exists(target) && Files.size(target) == bytes.length) {
                return;
            }
            // Written beside it and renamed, so a crash mid-copy never leaves a torn library.
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
