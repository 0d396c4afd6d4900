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
 * 4 to 16 iterations against SampleVAE's 10 plain Griffin-Lim iterations from zero phase, on three
 * sets: real hits' own magnitudes and VAE decodes of random latent points (seed 2), as in
 * {@link ModelLatencyBenchmark}, and VAE decodes of the real hits' encodings (latent mean, what
 * {@code generate --from} and variations start from). Besides the mean it counts the sounds on which
 * fast Griffin-Lim converges further than the baseline. It is how {@link DrumVae#DEFAULT_ITERATIONS}
 * is chosen. Deterministic, so it can run on a busy machine.
 *
 * <p>Usage: {@code PhaseQualitySweep [SOUND_DIR]} (default: The Black Pearl kit, WAV). One thread.
 */
public final class PhaseQualitySweep {
    /** Fast Griffin-Lim iterations from the phase-vocoder start; 0 is the baseline row. */
    private static final int[] ITERATIONS = {0, 4, 6, 8, 10, 12, 14, 16, 32};
    /** Fast Griffin-Lim iterations after phase-gradient heap integration (PGHI). */
    private static final int[] PGHI_ITERATIONS = {0, 2, 3, 4, 6, 8, 32};

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
            List<float[]> encoded = new ArrayList<>();
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
                    float[] dec = new float[spec.clipFrames() * spec.bins()];
                    vae.decodeMagnitude(vae.encodeLogMel(logMel).mean(), dec);
                    encoded.add(dec);
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
            System.out.println("mean spectral convergence (lower is better); [n] = sounds where it beats the baseline");
            System.out.println("method                                  | real hits          | random-point decodes | encoded-hit decodes");
            List<List<float[]>> sets = List.of(real, decoded, encoded);
            double[][] base = new double[3][];
            float[] out = new float[spec.clipSamples()];
            int rows = ITERATIONS.length + PGHI_ITERATIONS.length;
            for (int row = 0; row < rows; row++) {
                final boolean pghi = row >= ITERATIONS.length;
                final int m = pghi ? PGHI_ITERATIONS[row - ITERATIONS.length] : ITERATIONS[row];
                String name = pghi
                        ? "PGHI + fast GL x" + m + (m == 32 ? " (CLI generate)" : "")
                        : m == 0 ? "Griffin-Lim x10, zero phase (SampleVAE)"
                        : "fast GL x" + m + ", PV init" + (m == DrumVae.DEFAULT_ITERATIONS ? " (live)" : "");
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-39s", name));
                for (int set = 0; set < 3; set++) {
                    List<float[]> mags = sets.get(set);
                    double[] sc = new double[mags.size()];
                    double mean = 0;
                    int wins = 0;
                    for (int i = 0; i < mags.size(); i++) {
                        if (pghi) {
                            pr.pghiFastGriffinLim(mags.get(i), m, out);
                        } else if (m == 0) {
                            pr.griffinLimZeroPhase(mags.get(i), 10, out);
                        } else {
                            pr.fastGriffinLim(mags.get(i), m, out);
                        }
                        sc[i] = pr.spectralConvergence(mags.get(i), out);
                        mean += sc[i] / mags.size();
                        if (row != 0 && sc[i] < base[set][i]) {
                            wins++;
                        }
                    }
                    if (row == 0) {
                        base[set] = sc;
                        line.append(String.format(Locale.ROOT, " | %8.4f          ", mean));
                    } else {
                        line.append(String.format(Locale.ROOT, " | %8.4f [%3d/%3d]", mean, wins, mags.size()));
                    }
                }
                System.out.println(line);
            }
        }
    }
}
