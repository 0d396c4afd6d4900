package io.latentkit.server.bounce;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.ControlEvent;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.server.ServerKits;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-renders a recorded session offline from its control log, bit-identical to what the live render
 * thread produced: the same engine settings, the same initial kit, and every applied event published
 * again for exactly the frame it was applied at, in the order it was applied (events of one block are
 * published before the block, so each lands on its frame with arrival order preserved); staged changes
 * are prepared again from their replay descriptions ({@link StageRecipes}).
 *
 * <p>Format (JSON lines): a header {@code {"format":"latentkit-control-log","version":1,
 * "sampleRateHz":...,"blockFrames":...,...,"kit":"default"}}; one line per applied event
 * {@code {"f":frame,"type":T,"pad":..,"velocity":..,"param":..,"value":..,"tag":..,"source":..[,"replay":{..}]}}
 * (the fields of {@code ControlEvent}; floats in Java's shortest round-trip form); and a last line
 * {@code {"end":frames,"lost":n}}.
 *
 * <p>Threading: the caller's thread.
 */
public final class ControlLogPlayer {
    static final String FORMAT = "latentkit-control-log";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final EngineConfig config;
    private final List<JsonNode> events;
    private final long endFrame;

    private ControlLogPlayer(EngineConfig config, List<JsonNode> events, long endFrame) {
        this.config = config;
        this.events = events;
        this.endFrame = endFrame;
    }

    /** The header line for {@code config}. */
    static String header(EngineConfig c, String kit) {
        return "{\"format\":\"" + FORMAT + "\",\"version\":1,\"sampleRateHz\":" + c.sampleRateHz()
                + ",\"blockFrames\":" + c.blockFrames() + ",\"voices\":" + c.voices() + ",\"ringSize\":" + c.ringSize()
                + ",\"maxEventsPerBlock\":" + c.maxEventsPerBlock() + ",\"schedulerCapacity\":" + c.schedulerCapacity()
                + ",\"horizonSeconds\":" + c.horizonSeconds() + ",\"ceilingDbfs\":" + c.ceilingDbfs()
                + ",\"fadeMs\":" + c.fadeMs() + ",\"kitCrossfadeMs\":" + c.kitCrossfadeMs() + ",\"kit\":\""
                + kit.replace("\"", "") + "\"}";
    }

    /**
     * Reads a control log.
     *
     * @throws IllegalArgumentException with a one-line reason for a file that is not one, or one that
     *     lost events
     */
    public static ControlLogPlayer read(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        EngineConfig config = null;
        long end = -1;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + " is not JSON");
                }
                if (config == null) {
                    config = config(n, file);
                } else if (n.has("end")) {
                    end = n.get("end").asLong();
                    if (n.path("lost").asLong() > 0) {
                        throw new IllegalArgumentException(file + " lost " + n.path("lost").asLong()
                                + " events while recording; it cannot be re-rendered exactly");
                    }
                } else {
                    events.add(n);
                }
            }
        }
        if (config == null) {
            throw new IllegalArgumentException(file + " is empty");
        }
        if (end < 0) {
            // The session did not stop cleanly: render a second past its last event.
            long last = events.isEmpty() ? 0 : events.get(events.size() - 1).get("f").asLong();
            end = last + config.sampleRateHz();
        }
        return new ControlLogPlayer(config, events, end);
    }

    private static EngineConfig config(JsonNode h, Path file) {
        if (!FORMAT.equals(h.path("format").asText()) || h.path("version").asInt() != 1) {
            throw new IllegalArgumentException(file + " is not a latentkit control log (version 1)");
        }
        if (!ServerKits.DEFAULT.equals(h.path("kit").asText())) {
            throw new IllegalArgumentException(file + " starts from kit '" + h.path("kit").asText()
                    + "'; only sessions that start from the default kit can be re-rendered");
        }
        int ring = h.path("ringSize").asInt();
        // Every event of a recorded block arrives through the ring at once: let one block take them all.
        return new EngineConfig(h.path("sampleRateHz").asInt(), h.path("blockFrames").asInt(), h.path("voices").asInt(),
                ring, ring, h.path("schedulerCapacity").asInt(), h.path("horizonSeconds").asDouble(),
                h.path("ceilingDbfs").asDouble(), h.path("fadeMs").asDouble(), h.path("kitCrossfadeMs").asDouble());
    }

    public EngineConfig config() {
        return config;
    }

    /** Frames the session rendered. */
    public long endFrame() {
        return endFrame;
    }

    public int eventCount() {
        return events.size();
    }

    /** Renders the whole session into {@code sink} (opened here; the caller closes it). */
    public void render(AudioSink sink, StageRecipes recipes) throws AudioSinkException {
        int sr = config.sampleRateHz();
        int block = config.blockFrames();
        try (Engine engine = Engine.create(config, DefaultKit.create(sr), EngineClock.fixed(0, sr))) {
            EngineProxy proxy = engine.proxy();
            int next = 0;
            for (long start = 0; start < endFrame; start += block) {
                long blockEnd = start + block;
                while (next < events.size() && events.get(next).get("f").asLong() < blockEnd) {
                    publish(proxy, events.get(next++), recipes);
                }
                engine.renderOffline(sink, block);
                engine.pollAppliedStages(s -> { });
                engine.pollRetired(k -> { });
            }
        }
    }

    private static void publish(EngineProxy proxy, JsonNode e, StageRecipes recipes) {
        int type = e.get("type").asInt();
        long frame = e.get("f").asLong();
        Object ref = null;
        if (type == ControlEvent.STAGE) {
            try {
                ref = recipes.prepare(e.get("replay"));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("frame " + frame + ": " + ex.getMessage(), ex);
            }
        } else if (type == ControlEvent.KIT_SWAP) {
            ref = recipes.kit(e.path("replay").path("name").asText());
        }
        boolean ok = proxy.republish(type, frame, e.get("pad").asInt(), Float.parseFloat(e.get("velocity").asText()),
                e.get("param").asInt(), Float.parseFloat(e.get("value").asText()), e.get("tag").asLong(), e.get("source").asInt(), ref);
        if (!ok) {
            throw new IllegalStateException("control ring full at frame " + frame);
        }
    }
}
