package io.latentkit.server.permute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.permute.PadPermutation;
import io.latentkit.core.permute.PermutedKits;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Changes one pad's permutation while the server plays, as a staged command: on the loader thread
 * it asks the render thread for a snapshot (the kit playing and every pad parameter), starts again
 * from that kit's unpermuted base kit, builds a new kit with every pad's permutation (the changed
 * one included) and the snapshot's pad parameters, and stages it as a kit swap (the engine's
 * crossfade). A pad's permutation is thus always computed from its original sound, and loading
 * another kit or a preset without permutations clears them.
 *
 * <p>A pad parameter changed between the snapshot and the swap (a few milliseconds) is lost: the
 * new kit carries the snapshot's value.
 *
 * <p>Threading: {@link #change} from any thread (the OSC receiver); it returns at once and
 * completes after the render thread swapped the kit in.
 */
public final class PadPermutations {
    /** How long the loader waits for the render thread's snapshot. */
    static final long SNAPSHOT_TIMEOUT_MS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineProxy proxy;
    private final StagedCommands commands;

    public PadPermutations(EngineProxy proxy, StagedCommands commands) {
        this.proxy = proxy;
        this.commands = commands;
    }

    /**
     * Applies {@code change} to pad {@code pad}'s permutation; completes with the stage applied, or
     * fails with the reason.
     *
     * @param key names the request (requests with equal keys waiting together run once)
     */
    public CompletableFuture<Stage> change(String key, int pad, UnaryOperator<PadPermutation> change) {
        return commands.submit(key, () -> prepare(pad, change));
    }

    private Stage prepare(int pad, UnaryOperator<PadPermutation> change) {
        EngineSnapshot snapshot = new EngineSnapshot();
        if (!proxy.snapshot(snapshot)) {
            throw new IllegalStateException("engine busy (control ring full); try again");
        }
        try {
            if (!snapshot.await(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("engine did not answer within " + SNAPSHOT_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        Kit playing = snapshot.kit();
        Kit base = PermutedKits.baseOf(playing);
        PadPermutation[] perms = PermutedKits.permutationsOf(playing);
        perms[pad] = change.apply(perms[pad]);
        float[][] values = new float[DrumClass.COUNT][PadParam.values().length];
        for (int p = 0; p < DrumClass.COUNT; p++) {
            for (PadParam param : PadParam.values()) {
                values[p][param.ordinal()] = snapshot.pad(p, param);
            }
        }
        // Pads whose permutation did not change keep the playing kit's permuted samples.
        Kit kit = PermutedKits.build(base, perms, (p, param) -> values[p][param.ordinal()], playing);
        return new Stage(null).kit(kit).replay(replay(base.name(), values, perms).toString());
    }

    /** How a recorded session's re-render prepares the same kit: {@code {"op":"permute",...}}. */
    static ObjectNode replay(String kitName, float[][] values, PadPermutation[] perms) {
        ObjectNode r = JSON.createObjectNode();
        r.put("op", "permute");
        r.put("kit", kitName);
        ArrayNode pads = r.putArray("pads");
        for (float[] pad : values) {
            ArrayNode a = pads.addArray();
            for (float v : pad) {
                a.add(v);
            }
        }
        JsonNode p = PermutationCodec.toJson(perms);
        if (p != null) {
            r.set("permutations", p);
        }
        return r;
    }

    /**
     * The stage a {@code permute} replay description prepares, with {@code base} the kit it names
     * loaded from the library. Offline (the re-render's thread).
     */
    public static Stage replayStage(JsonNode replay, Kit base) {
        JsonNode pads = replay.path("pads");
        if (!pads.isArray() || pads.size() != DrumClass.COUNT) {
            throw new IllegalArgumentException("permute replay needs " + DrumClass.COUNT + " pads of parameters");
        }
        PadPermutation[] perms = PermutationCodec.fromJson(replay.get("permutations"));
        Kit kit = PermutedKits.build(base, perms, (p, param) -> (float) pads.get(p).path(param.ordinal()).asDouble());
        return new Stage(null).kit(kit).replay(replay.toString());
    }
}
