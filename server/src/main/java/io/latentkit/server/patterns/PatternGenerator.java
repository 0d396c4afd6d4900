package io.latentkit.server.patterns;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.sequence.Pattern;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One-bar drum patterns from a small Markov model trained, when it is made, on a corpus of one-bar
 * grooves ({@code corpus.txt} beside this class; see {@code DATASET.md}). Each row (pad) is first
 * active or not, given whether the row before it is; an active row is a chain over the bar's 32
 * thirty-second-note steps where a hit's probability depends on the row, the step and whether the
 * step before it was hit; velocities are the corpus' mean for that row and step. A variation keeps
 * each step of a source bar and re-draws it, with the source's neighbours, with probability
 * {@code variation}. Density scales every hit's odds by {@code exp(4 (density - 0.5))}.
 *
 * <p>Why a Markov model and not a GAN or a VAE like Hitloop's: the corpus is forty-odd bars, which
 * a neural model would memorise; a model with a few thousand counts trains in milliseconds at start,
 * runs in microseconds on the loader thread, and its choices can be read off its tables.
 *
 * <p>Threading: the tables are immutable after construction; {@link #generate} and {@link #vary} use
 * the generator's random source and are synchronized.
 */
public final class PatternGenerator {
    /** Steps per bar the model works in (thirty-second notes). */
    public static final int STEPS = 32;
    private static final int TICKS_PER_STEP = Pattern.TICKS_PER_BAR / STEPS;
    private static final double SMOOTHING = 0.005;

    private final List<Pattern> corpus;
    /** P(row active | previous row active?) [row][prevActive]. */
    private final double[][] active = new double[Pattern.ROWS][2];
    /** P(hit | row, step, previous step hit?) [row][step][prev]. */
    private final double[][][] hit = new double[Pattern.ROWS][STEPS][2];
    private final float[][] velocity = new float[Pattern.ROWS][STEPS];
    private final SplittableRandom random;

    /** A generator trained on {@code corpus} drawing from {@code seed}. */
    public PatternGenerator(List<Pattern> corpus, long seed) {
        this.corpus = List.copyOf(corpus);
        this.random = new SplittableRandom(seed);
        train();
    }

    /** A generator trained on the shipped corpus. */
    public static PatternGenerator shipped(long seed) {
        return new PatternGenerator(shippedCorpus(), seed);
    }

    /** The bars the model is trained on. */
    public List<Pattern> corpus() {
        return corpus;
    }

    private void train() {
        double[][] activeCount = new double[Pattern.ROWS][2];
        double[][] activeTotal = new double[Pattern.ROWS][2];
        double[][][] hitCount = new double[Pattern.ROWS][STEPS][2];
        double[][][] hitTotal = new double[Pattern.ROWS][STEPS][2];
        double[][] velSum = new double[Pattern.ROWS][STEPS];
        for (Pattern p : corpus) {
            for (int r = 0; r < Pattern.ROWS; r++) {
                int prevActive = r > 0 && rowActive(p, r - 1) ? 1 : 0;
                boolean on = rowActive(p, r);
                activeTotal[r][prevActive]++;
                if (!on) {
                    continue;
                }
                activeCount[r][prevActive]++;
                for (int s = 0; s < STEPS; s++) {
                    int prev = s > 0 && p.velocity(r, (s - 1) * TICKS_PER_STEP) > 0f ? 1 : 0;
                    float v = p.velocity(r, s * TICKS_PER_STEP);
                    hitTotal[r][s][prev]++;
                    if (v > 0f) {
                        hitCount[r][s][prev]++;
                        velSum[r][s] += v;
                    }
                }
            }
        }
        for (int r = 0; r < Pattern.ROWS; r++) {
            for (int a = 0; a < 2; a++) {
                active[r][a] = (activeCount[r][a] + SMOOTHING) / (activeTotal[r][a] + 2 * SMOOTHING);
            }
            for (int s = 0; s < STEPS; s++) {
                double hits = 0;
                for (int prev = 0; prev < 2; prev++) {
                    hit[r][s][prev] = (hitCount[r][s][prev] + SMOOTHING) / (hitTotal[r][s][prev] + 2 * SMOOTHING);
                    hits += hitCount[r][s][prev];
                }
                velocity[r][s] = hits > 0 ? (float) (velSum[r][s] / hits) : 0.7f;
            }
        }
    }

    private static boolean rowActive(Pattern p, int row) {
        for (int t = 0; t < Pattern.TICKS_PER_BAR; t++) {
            if (p.velocity(row, t) > 0f) {
                return true;
            }
        }
        return false;
    }

    private static double scaled(double p, double oddsFactor) {
        double odds = p / (1 - p) * oddsFactor;
        return odds / (1 + odds);
    }

    private static double oddsFactor(float density) {
        return density != density ? 1.0 : Math.exp(4.0 * (density - 0.5));
    }

    /** A fresh bar; {@code density} 0..1 or NaN for the model's own. */
    public synchronized Pattern generate(float density) {
        double k = oddsFactor(density);
        Pattern p = new Pattern();
        boolean prevActive = false;
        for (int r = 0; r < Pattern.ROWS; r++) {
            boolean on = random.nextDouble() < active[r][prevActive ? 1 : 0];
            if (on) {
                drawRow(p, r, k, 1.0, null);
            }
            prevActive = on && rowActive(p, r);
        }
        return p;
    }

    /**
     * A variation of {@code source}'s first bar: each step re-drawn with probability {@code variation}
     * (0..1), an empty row started with probability {@code variation} times the model's.
     */
    public synchronized Pattern vary(Pattern source, float variation, float density) {
        double k = oddsFactor(density);
        Pattern p = new Pattern();
        p.copyBar(source, 0, 0);
        for (int r = 0; r < Pattern.ROWS; r++) {
            if (rowActive(source, r)) {
                drawRow(p, r, k, variation, source);
            } else if (random.nextDouble() < variation * active[r][r > 0 && rowActive(p, r - 1) ? 1 : 0]) {
                drawRow(p, r, k, 1.0, null);
            }
        }
        return p;
    }

    private void drawRow(Pattern p, int r, double k, double redraw, Pattern source) {
        for (int s = 0; s < STEPS; s++) {
            int tick = s * TICKS_PER_STEP;
            if (source != null && random.nextDouble() >= redraw) {
                continue; // kept as it is in the source
            }
            int prev = s > 0 && p.velocity(r, tick - TICKS_PER_STEP) > 0f ? 1 : 0;
            boolean on = random.nextDouble() < scaled(hit[r][s][prev], k);
            p.set(r, tick, on ? velocity[r][s] : 0f);
        }
    }

    /** The corpus shipped with latentkit: one-bar grooves written for the project. */
    public static List<Pattern> shippedCorpus() {
        try (InputStream in = PatternGenerator.class.getResourceAsStream("corpus.txt")) {
            if (in == null) {
                throw new IllegalStateException("pattern corpus missing from the jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the corpus text format (see {@code corpus.txt}'s header). */
    static List<Pattern> parse(BufferedReader in) throws IOException {
        List<Pattern> out = new ArrayList<>();
        Pattern current = null;
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank() || line.startsWith("=")) {
                if (current != null) {
                    out.add(current);
                }
                current = line.startsWith("=") ? new Pattern() : null;
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            DrumClass c = parts.length == 2 ? DrumClass.fromName(parts[0]) : null;
            if (c == null || parts[1].length() != STEPS || current == null) {
                throw new IllegalArgumentException("corpus line " + lineNo + " is not 'class <32 steps>' inside a pattern");
            }
            for (int s = 0; s < STEPS; s++) {
                char ch = parts[1].charAt(s);
                float v = switch (ch) {
                    case 'X' -> 1f;
                    case 'x' -> 0.8f;
                    case 'o' -> 0.55f;
                    case '.' -> 0f;
                    default -> throw new IllegalArgumentException("corpus line " + lineNo + ": unknown step '" + ch + "'");
                };
                current.set(c.pad(), s * TICKS_PER_STEP, v);
            }
        }
        if (current != null) {
            out.add(current);
        }
        return out;
    }
}
