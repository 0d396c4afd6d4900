package io.latentkit.models.latent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.ModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The library's {@code sounds/} folder as latent pads see it: a sound is {@code NAME.wav} (or
 * {@code .aiff}, {@code .flac}), optionally with {@code NAME.latent.json} holding its latent point
 * for the model that made it. {@code /latent/anchor} reads sounds by name; {@code /latent/commit}
 * freezes a pad's sound as a new one: the vector file first, then the 16-bit WAV, each written to a
 * temporary file and renamed, so a reader never sees half a file and an existing sound is never
 * overwritten. The folder imports as a kit like any folder of samples ({@code latentkit kit import}).
 *
 * <p>Thread-safe (no state but the folder); file I/O: never the render thread.
 */
public final class LatentLibrary {
    /** The vector file's suffix. */
    public static final String LATENT_SUFFIX = ".latent.json";
    private static final String[] AUDIO = {".wav", ".aiff", ".aif", ".flac"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    public LatentLibrary(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** Whether {@code name} is a plain sound name (no path, no escape, no reserved word). */
    public static boolean isPlainName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || name.startsWith(".") || name.contains("..")
                || name.equals("random") || name.startsWith("pad:")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || c < ' ' || c == 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * The latent point of sound {@code name}: its vector file if it was made by this model, else the
     * encoding of its audio. Call on the model's thread.
     *
     * @throws IllegalArgumentException when there is no such sound or it cannot be read
     */
    public float[] latentOf(String name, LatentSpace space) throws ModelException {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a sound name");
        }
        Path vector = folder.resolve(name + LATENT_SUFFIX);
        if (Files.isRegularFile(vector)) {
            float[] z = readVector(vector, space);
            if (z != null) {
                return z;
            }
        }
        for (String ext : AUDIO) {
            Path audio = folder.resolve(name + ext);
            if (Files.isRegularFile(audio)) {
                try {
                    return space.encode(AudioFiles.readMono(audio, space.rateHz()));
                } catch (BadAudioException e) {
                    throw new IllegalArgumentException("sound '" + name + "': " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException("no sound named '" + name + "' in " + folder);
    }

    /** The vector in {@code file} when it belongs to this model and size, else {@code null}. */
    private static float[] readVector(Path file, LatentSpace space) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            JsonNode z = root.path("z");
            if (!space.modelId().equals(root.path("model").asText()) || !z.isArray() || z.size() != space.size()) {
                return null;
            }
            float[] v = new float[z.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) z.get(i).asDouble(Double.NaN);
                if (!Float.isFinite(v[i])) {
                    return null;
                }
            }
            return v;
        } catch (IOException e) {
            return null; // unreadable: the audio is encoded instead
        }
    }

    /**
     * Writes sound {@code name}: its latent point ({@code NAME.latent.json}) and its audio
     * ({@code NAME.wav}, 16-bit mono at {@code rateHz}). Returns the WAV's path.
     *
     * @throws IllegalArgumentException for a bad or taken name
     * @throws IOException when the files cannot be written (nothing of a half-written file remains)
     */
    public Path commit(String name, float[] mono, int rateHz, float[] z, String modelId) throws IOException {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("sound names are plain names in the library, not paths: '" + name + "'");
        }
        Files.createDirectories(folder);
        Path wav = folder.resolve(name + ".wav");
        for (String ext : AUDIO) {
            if (Files.exists(folder.resolve(name + ext))) {
                throw new IllegalArgumentException("a sound named '" + name + "' already exists");
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("model", modelId);
        root.put("rateHz", rateHz);
        ArrayNode a = root.putArray("z");
        for (float v : z) {
            a.add((double) v);
        }
        Path vector = folder.resolve(name + LATENT_SUFFIX);
        // Both files are written whole to temporary files first (where a full disk shows), then
        // renamed, vector first: a sound is never left as a vector without its WAV (issue 20).
        Path vectorTmp = Files.createTempFile(folder, "." + name, ".tmp");
        Path wavTmp = null;
        boolean vectorIn = false;
        try {
            Files.writeString(vectorTmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                    StandardCharsets.UTF_8);
            wavTmp = Files.createTempFile(folder, "." + name, ".wav.tmp");
            AudioFiles.writeWav16(wavTmp, mono, rateHz);
            Files.move(vectorTmp, vector, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            vectorIn = true;
            Files.move(wavTmp, wav, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (vectorIn && !Files.exists(wav)) {
                Files.deleteIfExists(vector);
            }
            throw e;
        } finally {
            Files.deleteIfExists(vectorTmp);
            if (wavTmp != null) {
                Files.deleteIfExists(wavTmp);
            }
        }
        return wav;
    }

    @Override
    public String toString() {
        return "sounds in " + folder;
    }
}
