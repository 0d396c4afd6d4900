package io.latentkit.perf.models;

import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.ClipPreparer;
import io.latentkit.models.DrumVae;
import io.latentkit.models.FeatureSpec;
import io.latentkit.models.LatentOps;
import io.latentkit.models.Models;
import io.latentkit.models.PhaseReconstructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Quality only, no timing: mean spectral convergence of fast Griffin-Lim (phase-vocoder start) for
 * 1 to 12 iterations against SampleVAE's 10 plain Griffin-Lim iterations from zero phase, on the same
 * two sets as {@link ModelLatencyBenchmark} (real hits' own magnitudes, and VAE decodes of random
 * latent points, seed 2). It is how {@link DrumVae#DEFAULT_ITERATIONS} is chosen: the fewest
 * iterations that still converge further than the baseline on both sets. Deterministic, so it can
 * run on a busy machine.
 *
 * <p>Usage: {@code PhaseQualitySweep [SOUND_DIR]} (default: The Black Pearl kit, WAV). One thread.
 */
public final class PhaseQualitySweep {
    private static final int MAX_ITERATIONS = 12;

    private PhaseQualitySweep() {
    }

    public static void main(String[] args) throws Exception {
        Path soundDir = Path.of(args.length > 0 ? args[0] : "/usr/share/hydrogen/data/drumkits/The Black Pearl 1.0");
        FeatureSpec spec = FeatureSpec.CURRENT;
        try (Models models = Models.loadDefault()) {
            if (!models.isAvailable()) {
                throw new IllegalStateException(models.unavailableReason().orElse(""));
            }
            DrumVae vae = models.vae();
            PhaseReconstructor pr = vae.reconstructor();
            ClipPreparer prep = new ClipPreparer(spec);
            float[] logMel = new float[prep.logMelSize()];
            List<float[]> real = new ArrayList<>();
            try (Stream<Path> s = Files.list(soundDir)) {
                for (Path p : s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().toList()) {
                    try {
                        float[] x = AudioFiles.readMono(p, spec.sampleRateHz());
                        prep.prepare(x, 0, Math.min(x.length, 10 * spec.sampleRateHz()), logMel);
                    } catch (BadAudioException e) {
                        System.err.println("skipped " + p.getFileName() + ": " + e.getMessage());
                        continue;
                    }
                    float[] mag = new float[spec.clipFrames() * spec.bins()];
                    pr.magnitude(prep.clip(), mag);
                    real.add(mag);
                }
            }
            List<float[]> decoded = new ArrayList<>();
            Random rng = new Random(2);
            for (int i = 0; i < real.size(); i++) {
                float[] mag = new float[spec.clipFrames() * spec.bins()];
                vae.decodeMagnitude(LatentOps.random(vae.latentSize(), rng), mag);
                decoded.add(mag);
            }
            System.out.printf(Locale.ROOT, "%d real hits from %s, %d VAE decodes (model version %s)%n", real.size(),
                    soundDir, decoded.size(), vae.decoderModel().metadata().get("version"));
            System.out.println("method                                  | SC real hits | SC VAE decodes");
            float[] out = new float[spec.clipSamples()];
            for (int m = 0; m <= MAX_ITERATIONS; m++) {
                double[] sc = new double[2];
                for (int set = 0; set < 2; set++) {
                    List<float[]> mags = set == 0 ? real : decoded;
                    for (float[] mag : mags) {
                        if (m == 0) {
                            pr.griffinLimZeroPhase(mag, 10, out);
                        } else {
                            pr.fastGriffinLim(mag, m, out);
                        }
                        sc[set] += pr.spectralConvergence(mag, out) / mags.size();
                    }
                }
                String name = m == 0 ? "Griffin-Lim x10, zero phase (SampleVAE)" : "fast GL x" + m + ", PV init"
                        + (m == DrumVae.DEFAULT_ITERATIONS ? " (live)" : "");
                System.out.printf(Locale.ROOT, "%-39s | %12.4f | %14.4f%n", name, sc[0], sc[1]);
            }
        }
    }
}
