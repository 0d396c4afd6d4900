package io.latentkit.server.patterns;

import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.engine.sequence.PatternActions;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.pattern.PatternCodec;
import io.latentkit.presets.pattern.PatternStore;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * What {@code serve} does for {@code /pattern/load}, {@code /pattern/save} and
 * {@code /pattern/generate}: staged commands on the engine's loader thread. A load reads the file and
 * hands the pattern over in a stage; a save copies the sequencer's pattern through an engine snapshot
 * and writes it atomically; a generation reads the bar in the slot (for a variation), runs the
 * generator and hands the bar over. Loads and generated bars carry their replay description, so a
 * recorded session re-renders them.
 *
 * <p>Threading: any thread; every method returns at once.
 */
public final class PatternServerActions implements PatternActions {
    private static final long SNAPSHOT_TIMEOUT_MS = 2_000;

    private final EngineProxy proxy;
    private final StagedCommands commands;
    private final PatternStore store;
    private final PatternGenerator generator;

    public PatternServerActions(EngineProxy proxy, StagedCommands commands, PatternStore store, PatternGenerator generator) {
        this.proxy = proxy;
        this.commands = commands;
        this.store = store;
        this.generator = generator;
    }

    @Override
    public CompletionStage<String> load(String name) {
        return commands.submit("/pattern/load " + name, () -> {
            try {
                return loadStage(store.load(name));
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }).thenApply(stage -> name);
    }

    /** The stage that loads {@code p}, with its replay description. */
    public static Stage loadStage(Pattern p) {
        return new Stage(null).pattern(p).replay("{\"op\":\"pattern\",\"pattern\":" + PatternCodec.toObject(p) + "}");
    }

    @Override
    public CompletionStage<String> save(String name) {
        return commands.run("/pattern/save " + name, () -> {
            try {
                store.save(name, snapshot().pattern());
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return name;
        });
    }

    @Override
    public CompletionStage<String> generate(int slot, float density, float variation) {
        return commands.submit("/pattern/generate " + slot, () -> {
            Pattern bar;
            if (variation > 0f) {
                Pattern source = new Pattern();
                source.copyBar(snapshot().pattern(), slot, 0);
                bar = generator.vary(source, variation, density);
            } else {
                bar = generator.generate(density);
            }
            return new Stage(null).patternBar(slot, bar).attach(bar)
                    .replay("{\"op\":\"patternBar\",\"slot\":" + slot + ",\"pattern\":" + PatternCodec.toObject(bar) + "}");
        }).thenApply(stage -> "slot " + slot + ": " + ((Pattern) stage.attachment()).hits() + " hits");
    }

    private EngineSnapshot snapshot() {
        EngineSnapshot s = new EngineSnapshot();
        if (!proxy.snapshot(s)) {
            throw new IllegalStateException("engine busy (control ring full); try again");
        }
        try {
            if (!s.await(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("engine did not answer within " + SNAPSHOT_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return s;
    }
}
