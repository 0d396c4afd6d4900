package io.latentkit.server.commands;

import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.DrumVae;
import io.latentkit.models.LatentOps;
import io.latentkit.models.LatentPrior;
import io.latentkit.models.ModelException;
import io.latentkit.models.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit generate --out F [--from A B ...] [--weights ...] [--no-normalize] [--variance v]
 * [--seed n]}: a new drum sound from the VAE, written as a 48 kHz WAV. Without {@code --from} a
 * random point of the decoder's latent prior (a mixture fitted to the training sounds, so the point
 * lies where drums lie); with one sound its re-generation (variance 0 reproduces it); with several
 * their weighted combination (negative weights subtract), optionally varied. The same seed and
 * arguments give the same file, bit for bit.
 *
 * <p>Runs on the caller's thread, which owns the models for the command's lifetime.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generates a drum sound with the VAE and writes it as a 48 kHz WAV.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "WAV file to write")
    Path out;

    @Option(names = "--from", arity = "1..*", paramLabel = "SOUND", description = "sounds to re-generate or combine")
    List<Path> from;

    @Option(names = "--weights", arity = "1..*", paramLabel = "W",
            description = "one weight per --from sound (default equal); negative weights subtract")
    List<Float> weights;

    @Option(names = "--no-normalize", description = "use the weights as given instead of dividing by their sum")
    boolean noNormalize;

    @Option(names = "--variance", defaultValue = "0", paramLabel = "V",
            description = "random spread around the point, in prior standard deviations (default ${DEFAULT-VALUE})")
    float variance;

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: chosen and printed)")
    Long seed;

    @Option(names = "--iterations", defaultValue = "32", paramLabel = "N",
            description = "fast Griffin-Lim iterations after phase-gradient heap integration (default ${DEFAULT-VALUE};"
                    + " the live path uses 8 from a phase-vocoder start)")
    int iterations;

    @Option(names = "--models", paramLabel = "DIR", description = "folder with other model files (default: the shipped models)")
    Path modelsDir;

    @Spec
    CommandSpec spec;

    public GenerateCommand() {
        // picocli fills the fields.
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int sounds = from == null ? 0 : from.size();
        if (weights != null && weights.size() != sounds) {
            err.println("generate: " + weights.size() + " weights for " + sounds + " --from sounds; give one weight per sound");
            return 2;
        }
        if (!(variance >= 0f) || !Float.isFinite(variance)) {
            err.println("generate: --variance must be a number >= 0");
            return 2;
        }
        if (iterations < 1 || iterations > 1000) {
            err.println("generate: --iterations must be between 1 and 1000");
            return 2;
        }
        long s = seed != null ? seed : new Random().nextLong();
        Random rng = LatentPrior.randomFor(s);
        Models models = modelsDir == null ? Models.loadDefault() : Models.loadOrUnavailable(modelsDir, 1);
        if (!models.isAvailable()) {
            err.println("generate: models unavailable: " + models.unavailableReason().orElse("unknown"));
            return modelsDir == null ? 1 : 2;
        }
        try (models) {
            DrumVae vae = models.vae();
            int rate = models.spec().sampleRateHz();
            float[] z;
            if (sounds == 0) {
                z = vae.prior().sample(rng);
            } else {
                float[][] zs = new float[sounds][];
                for (int i = 0; i < sounds; i++) {
                    try {
                        zs[i] = vae.encode(AudioFiles.readMono(from.get(i), rate)).mean();
                    } catch (BadAudioException e) {
                        err.println("generate: " + from.get(i) + ": " + e.getMessage());
                        return 2;
                    }
                }
                float[] w = new float[sounds];
                for (int i = 0; i < sounds; i++) {
                    w[i] = weights == null ? 1f : weights.get(i);
                }
                try {
                    z = sounds == 1 && weights == null ? zs[0] : LatentOps.combine(zs, w, !noNormalize);
                } catch (IllegalArgumentException e) {
                    err.println("generate: " + e.getMessage());
                    return 2;
                }
                if (variance > 0f) {
                    z = LatentOps.vary(z, variance, rng);
                }
            }
            float[] audio = vae.decode(z, iterations, DrumVae.PhaseStart.PGHI);
            AudioFiles.writeWav16(out, audio, rate);
            stdout.printf("wrote %s (%d samples at %d Hz, seed %d)%n", out, audio.length, rate, s);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            err.println("generate: cannot write " + out + ": " + e.getMessage());
            return 2;
        } catch (ModelException | RuntimeException e) {
            err.println("generate: internal failure: " + e.getMessage());
            return 1;
        }
    }
}
