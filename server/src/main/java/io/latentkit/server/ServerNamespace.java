package io.latentkit.server;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.control.EngineNodes;
import io.latentkit.engine.sequence.PatternActions;
import io.latentkit.engine.sequence.PatternNodes;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentNodes;
import io.latentkit.listen.ListenControls;
import io.latentkit.listen.ListenNodes;
import io.latentkit.osc.KitLoader;
import io.latentkit.osc.OscNodes;
import io.latentkit.osc.ServerActions;
import io.latentkit.presets.DataFolder;
import io.latentkit.server.permute.PermuteNodes;
import java.util.function.Supplier;

/**
 * The one control namespace of {@code latentkit serve}, assembled from what each module
 * registers: the engine's performance nodes, OSC's queries and library commands, and the features
 * built on them. OSC routes it, MIDI learn resolves its targets in it, and {@code latentkit
 * namespace} prints it; adding a control is adding a node here or in its module's registration.
 *
 * <p>Threading: build once, on the thread that starts the server; the result is immutable.
 */
public final class ServerNamespace {
    private ServerNamespace() {
    }

    /**
     * @param kits the kit library, or {@code null}
     * @param actions the server's actions, read at each message ({@code null} until connected)
     */
    public static Namespace build(Engine engine, KitLoader kits, Supplier<ServerActions> actions) {
        return build(engine, kits, actions, () -> null);
    }

    /** As {@link #build(Engine, KitLoader, Supplier)}, with the pattern library and generator (issue 17). */
    public static Namespace build(Engine engine, KitLoader kits, Supplier<ServerActions> actions,
            Supplier<PatternActions> patterns) {
        return build(engine, kits, actions, patterns, () -> null);
    }

    /** As above, with listen mode's controls ({@code null} from it without {@code --listen}; issue 15). */
    public static Namespace build(Engine engine, KitLoader kits, Supplier<ServerActions> actions,
            Supplier<PatternActions> patterns, Supplier<ListenControls> listen) {
        return build(engine, kits, actions, patterns, listen, null);
    }

    /** @param latent the latent pads (issue 14), or {@code null} (their nodes then answer {@code /fail}) */
    public static Namespace build(Engine engine, KitLoader kits, Supplier<ServerActions> actions,
            Supplier<PatternActions> patterns, Supplier<ListenControls> listen, LatentAgent latent) {
        return build(engine, kits, actions, patterns, listen, latent, null);
    }

    /** @param models serve's models for {@code /models/reload} and extraction (issue 20), or {@code null} */
    public static Namespace build(Engine engine, KitLoader kits, Supplier<ServerActions> actions,
            Supplier<PatternActions> patterns, Supplier<ListenControls> listen, LatentAgent latent,
            ServeModels models) {
        Namespace.Builder b = Namespace.builder(engine.values().board());
        EngineNodes.register(b, engine.proxy(), engine.values());
        OscNodes.register(b, engine, kits, actions);
        ExtractNodes.register(b, engine, kits instanceof ServerKits s ? DataFolder.holding(s.library().folder()) : null,
                models);
        ModelNodes.register(b, models);
        PatternNodes.register(b, engine.proxy(), patterns);
        // /listen/capture records into the library's recordings/ folder, where /kit/extract reads.
        ListenNodes.register(b, listen, () -> kits instanceof ServerKits s
                ? DataFolder.holding(s.library().folder()).recordings().root() : null);
        PermuteNodes.register(b, engine);
        LatentNodes.register(b, latent);
        return b.build();
    }
}
