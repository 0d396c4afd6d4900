package io.latentkit.presets.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.presets.LibraryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes versioned JSON documents in memory: the envelope ({@code format},
 * {@code version}), the version rules, and nothing else. A document from a newer version is
 * refused with {@link LibraryException.Kind#NEWER_VERSION}; malformed bytes (not UTF-8 JSON, not
 * an object, wrong format, a bad version, invalid content) with
 * {@link LibraryException.Kind#BAD_INPUT}. No other exception escapes for any input.
 *
 * <p>Stateless; any thread.
 */
public final class VersionedJson {
    /** Largest document accepted; presets and manifests are kilobytes. */
    public static final int MAX_BYTES = 16 << 20;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(100).build());
    }

    private VersionedJson() {
    }

    /** The shared mapper (configured strict); do not reconfigure. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static <T> byte[] encode(JsonCodec<T> codec, T value) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", codec.format());
        root.put("version", codec.currentVersion());
        root.setAll(codec.toJson(value));
        try {
            byte[] b = MAPPER.writeValueAsBytes(root);
            byte[] out = new byte[b.length + 1];
            System.arraycopy(b, 0, out, 0, b.length);
            out[b.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + codec.format(), e);
        }
    }

    /** The schema version a document declares (after checking its envelope). */
    public static int versionOf(JsonCodec<?> codec, JsonNode root, String what) throws LibraryException {
        if (root == null || !root.isObject()) {
            throw bad(what + " is not a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !format.asText().equals(codec.format())) {
            throw bad(what + " is not a " + codec.format() + " document");
        }
        JsonNode v = root.get("version");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw bad(what + " has no valid version");
        }
        return v.intValue();
    }

    /**
     * Decodes a whole document.
     *
     * @param what names the document in messages, e.g. {@code preset 'live'}
     */
    public static <T> T decode(JsonCodec<T> codec, byte[] bytes, String what) throws LibraryException {
        JsonNode root = parse(bytes, what);
        int version = versionOf(codec, root, what);
        if (version > codec.currentVersion()) {
            throw new LibraryException(LibraryException.Kind.NEWER_VERSION, what + " was written by a newer latentkit"
                    + " (version " + version + ", this one reads up to " + codec.currentVersion() + ")");
        }
        try {
            return codec.fromJson(root, version);
        } catch (RuntimeException e) {
            // Validation is the codec's job; a runtime failure there is still a bad document.
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, what + " is invalid: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Parses bytes as one JSON value (strict: UTF-8, no trailing data, bounded size and depth). */
    public static JsonNode parse(byte[] bytes, String what) throws LibraryException {
        if (bytes.length > MAX_BYTES) {
            throw bad(what + " is larger than " + (MAX_BYTES >> 20) + " MiB, the most a kit manifest or preset may be");
        }
        if (!validUtf8(bytes)) {
            throw bad(what + " is not UTF-8 text");
        }
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw bad(what + " is empty");
            }
            return n;
        } catch (IOException e) {
            throw bad(what + " is not valid JSON: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw bad(what + " is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static LibraryException bad(String reason) {
        return new LibraryException(LibraryException.Kind.BAD_INPUT, reason);
    }
}
