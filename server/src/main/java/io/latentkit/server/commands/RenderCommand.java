package io.latentkit.server.commands;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sequence.SequencerProxy;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.WavFileSink;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.pattern.PatternStore;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.server.AudioOptions;
import io.latentkit.server.PresetActions;
import io.latentkit.server.ServerKits;
import io.latentkit.server.UsageException;
import io.latentkit.server.bounce.ControlLogPlayer;
import io.latentkit.server.bounce.StageRecipes;
import io.latentkit.server.patterns.PatternServerActions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit render}: an offline bounce to a WAV file, as fast as the CPU allows and
 * bit-identical from run to run. Either a preset (kit, pads, tempo, swing, pattern) and/or a saved
 * pattern played for {@code --bars} bars, or a control log recorded by {@code serve --record-control},
 * which re-renders that live session sample for sample.
 *
 * <p>Threading: the caller's thread renders (the engine's offline mode).
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Bounce a preset and pattern, or a recorded session's control log, to a WAV file, offline.")
public final class RenderCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "WAV file to write (32-bit float stereo).")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME", description = "Preset to play: kit, pads, tempo, swing and its pattern.")
    String preset;

    @Option(names = "--pattern", paramLabel = "NAME", description = "Saved pattern to play (instead of the preset's).")
    String pattern;

    @Option(names = "--bars", paramLabel = "N", defaultValue = "4", description = "Bars to render with --preset/--pattern."
            + " Default: ${DEFAULT-VALUE}.")
    int bars;

    @Option(names = "--control", paramLabel = "FILE",
            description = "A control log from 'serve --record-control': re-render that session exactly.")
    Path control;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "48000",
            description = "Sample rate for --preset/--pattern: 44100, 48000 or 96000. Default: ${DEFAULT-VALUE}.")
    int rateHz;

    @Mixin
    KitCommand.DataOption data = new KitCommand.DataOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws AudioSinkException, IOException {
        AudioOptions.checkWritable(out);
        if (control != null) {
            if (preset != null || pattern != null) {
                throw new UsageException("--control re-renders a recorded session; it takes no --preset or --pattern");
            }
            return replay();
        }
        if (preset == null && pattern == null) {
            throw new UsageException("nothing to render: give --preset NAME, --pattern NAME or --control FILE");
        }
        if (bars < 1 || bars > 10_000) {
            throw new UsageException("--bars must be 1..10000, got " + bars);
        }
        EngineConfig config;
        try {
            config = EngineConfig.defaults().withSampleRateHz(rateHz);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int sr = config.sampleRateHz();
        ServerKits kits = new ServerKits(sr, new KitLibrary(data.folder()));
        long started = System.nanoTime();
        long frames;
        try (Engine engine = Engine.create(config, DefaultKit.create(sr), EngineClock.fixed(0, sr));
             WavFileSink sink = new WavFileSink(out)) {
            EngineProxy proxy = engine.proxy();
            double tempo = 120;
            try {
                if (preset != null) {
                    Preset p = new PresetStore(data.folder().presets()).load(preset);
                    proxy.stage(PresetActions.presetStage(p, kits), 0);
                    tempo = p.tempoBpm();
                }
                if (pattern != null) {
                    proxy.stage(PatternServerActions.loadStage(new PatternStore(data.folder().patterns()).load(pattern)), 0);
                }
            } catch (LibraryException | IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            new SequencerProxy(proxy).play(0);
            frames = (long) Math.ceil(bars * 4 * 60.0 * sr / tempo);
            engine.renderOffline(sink, frames);
        }
        spec.commandLine().getOut().printf("wrote %s: %d bars, %.2f s at %d Hz (rendered in %.2f s)%n", out, bars,
                (double) frames / sr, sr, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private Integer replay() throws AudioSinkException, IOException {
        if (!Files.isReadable(control)) {
            throw new UsageException("cannot read control log " + control);
        }
        ControlLogPlayer player;
        try {
            player = ControlLogPlayer.read(control);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        int sr = player.config().sampleRateHz();
        StageRecipes recipes = new StageRecipes(new ServerKits(sr, new KitLibrary(data.folder())));
        long started = System.nanoTime();
        try (WavFileSink sink = new WavFileSink(out)) {
            player.render(sink, recipes);
        } catch (IllegalArgumentException e) {
            throw new UsageException(control + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("wrote %s: %d events over %.2f s at %d Hz (rendered in %.2f s)%n", out,
                player.eventCount(), (double) player.endFrame() / sr, sr, (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
