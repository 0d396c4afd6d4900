package io.latentkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.latentkit.engine.control.Stage;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentPadState;
import io.latentkit.models.latent.LatentPresetCodec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latent pads in presets and the autosave: each latent pad's corners, position and point. A
 * load decodes the points on the inference worker and swaps the sounds in with the preset's kit, in
 * the same block; pads the preset does not list go back to their kit's sample, so an older preset
 * (with no latent section) loads as it always did.
 *
 * <p>Threading: see {@link PresetSection}.
 */
public final class LatentSection implements PresetSection {
    private static final Logger LOG = LoggerFactory.getLogger(LatentSection.class);
    /** How long a load waits for the worker to decode the preset's pads. */
    static final long DECODE_TIMEOUT_MS = 10_000;

    private final LatentAgent agent;

    public LatentSection(LatentAgent agent) {
        this.agent = agent;
    }

    @Override
    public String name() {
        return LatentPresetCodec.SECTION;
    }

    @Override
    public JsonNode capture() {
        List<LatentPadState> states = agent.states();
        return states.isEmpty() ? null : LatentPresetCodec.encode(states, agent.modelId());
    }

    @Override
    public Object prepare(JsonNode section, Stage stage) {
        List<LatentPadState> states = section == null ? List.of() : LatentPresetCodec.decode(section);
        LatentAgent.Restore r = agent.prepareRestore(states, DECODE_TIMEOUT_MS);
        if (!r.mismatches().isEmpty()) {
            LOG.warn("latent pads {} decode differently from when they were saved (model {} then, {} now)",
                    r.mismatches(), LatentPresetCodec.model(section), agent.modelId());
        }
        r.applyTo(stage);
        return r;
    }

    @Override
    public void applied(Object prepared) {
        agent.adopt((LatentAgent.Restore) prepared);
    }
}
