package io.latentkit.server.bounce;

import com.fasterxml.jackson.databind.JsonNode;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.control.Stage;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.pattern.PatternCodec;
import io.latentkit.presets.preset.PresetCodec;
import io.latentkit.server.PresetActions;
import io.latentkit.server.ServerKits;
import io.latentkit.server.permute.PadPermutations;

/**
 * Prepares a staged change again from the replay description a live stage carried
 * ({@link Stage#replay}): {@code {"op":"kit","name":N}}, {@code {"op":"preset","preset":{...}}} (the
 * whole preset as it was applied, so a preset saved over later does not change the re-render),
 * {@code {"op":"pattern","pattern":{...}}} and {@code {"op":"patternBar","slot":S,"pattern":{...}}} and
 * {@code {"op":"permute","kit":N,"pads":[...],"permutations":{...}}} (a permuted kit).
 * Kits are loaded by name from the kit library, as live.
 *
 * <p>Threading: the caller's thread (offline).
 */
public final class StageRecipes {
    private final ServerKits kits;

    public StageRecipes(ServerKits kits) {
        this.kits = kits;
    }

    /** The stage the description prepares; IllegalArgumentException with the reason if it cannot. */
    public Stage prepare(JsonNode replay) {
        if (replay == null || replay.isNull() || !replay.isObject()) {
            throw new IllegalArgumentException("a staged change without a replay description (made by a command that "
                    + "cannot be re-rendered)");
        }
        String op = replay.path("op").asText("");
        try {
            return switch (op) {
                case "kit" -> new Stage(null).kit(kit(replay.path("name").asText())).replay(replay.toString());
                case "preset" -> PresetActions.presetStage(
                        PresetCodec.INSTANCE.fromJson(replay.get("preset"), PresetCodec.CURRENT_VERSION), kits);
                case "pattern" -> new Stage(null).pattern(PatternCodec.fromObject(replay.get("pattern")))
                        .replay(replay.toString());
                case "patternBar" -> new Stage(null).patternBar(replay.path("slot").asInt(-1),
                        PatternCodec.fromObject(replay.get("pattern"))).replay(replay.toString());
                case "permute" -> PadPermutations.replayStage(replay, kit(replay.path("kit").asText()));
                default -> throw new IllegalArgumentException("unknown staged change '" + op + "'");
            };
        } catch (LibraryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Kit {@code name} from the library, as the live server loaded it. */
    public Kit kit(String name) {
        return kits.loadNow(name);
    }
}
