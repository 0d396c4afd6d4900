package io.latentkit.perf.listen;

import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Drum performances with known onsets, rendered from the Hydrogen training kits (Debian
 * {@code hydrogen-drumkits}, classes from {@code models/training/labels.csv}): grooves on a
 * sixteenth grid with kick, snare, hats, fills on toms, crashes, rides, claps, rims and percussion,
 * humanised by up to 4 ms and in velocity, at a chosen tempo, level and amount of pink noise.
 *
 * <p>The true onset of a hit is where its sample is placed plus the sample's own lead-in (its first
 * sample above -60 dB of its peak). A few samples hold a second strike (8 of the 612 in the
 * training kits: The Black Pearl's "Flink" crashes and rides, struck twice about 165 ms apart, and
 * rumpf_kit_z01_h2's pedal hat, which clicks again 175 ms in): each millisecond of the sample at
 * least {@value #STRIKE_MS} ms after its lead-in whose peak is 12 dB over the 10 ms before it and
 * within 12 dB of the sample's peak is a true onset too ({@link #strikes}). Hits whose true onsets
 * fall within {@value #MERGE_MS} ms of each other (a kick and a hat on the same step) are one
 * onset, which has every class of its hits.
 *
 * <p>Single-threaded; allocates freely (benchmark material).
 */
final class DrumTakes {
    static final int RATE = 48_000;
    static final double MERGE_MS = 20.0;
    /** Closest a second strike inside one sample may follow its start (listen's minimum gap). */
    static final double STRIKE_MS = 50.0;

    /** A true onset: its frame and the classes sounding there. */
    record Onset(long frame, List<String> classes) {
    }

    /** A rendered take. */
    record Take(String name, float[] mono, List<Onset> truth) {
    }

    /** Sounds of one kit by class (mono, 48 kHz, at most 1.5 s, lead-in measured). */
    record KitSounds(String kit, Map<String, List<float[]>> byClass) {
        boolean playable() {
            return byClass.containsKey("kick") && byClass.containsKey("snare") && byClass.containsKey("hihat_closed");
        }
    }

    /** Reads labels.csv and decodes every usable sample, grouped by kit. */
    static List<KitSounds> load(Path labels) throws IOException {
        Map<String, Map<String, List<float[]>>> kits = new TreeMap<>();
        List<String> lines = Files.readAllLines(labels);
        List<String> header = csv(lines.get(0));
        int kitCol = header.indexOf("kit");
        int packageCol = header.indexOf("package");
        int pathCol = header.indexOf("path");
        int classCol = header.indexOf("class");
        int rankCol = header.indexOf("tom_rank");
        int excludedCol = header.indexOf("excluded_because");
        if (Math.min(Math.min(kitCol, packageCol), Math.min(Math.min(pathCol, classCol), Math.min(rankCol, excludedCol))) < 0) {
            throw new IOException(labels + ": not the models 2.x label table (columns " + header + ")");
        }
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = csv(line);
            if (f.size() < header.size() || !f.get(packageCol).equals("hydrogen-drumkits")
                    || !f.get(excludedCol).isEmpty() || f.get(classCol).equals("exclude")) {
                continue;
            }
            String cls = f.get(classCol);
            if (cls.equals("tom")) {
                // tom_rank: 1 is the lowest drum of its kit (labels.py); the grooves play three sizes.
                int rank = f.get(rankCol).isEmpty() ? 2 : Integer.parseInt(f.get(rankCol));
                cls = rank <= 1 ? "tom_low" : rank == 2 ? "tom_mid" : "tom_high";
            }
            Path p = Path.of(f.get(pathCol));
            float[] x;
            try {
                x = AudioFiles.readMono(p, RATE);
            } catch (BadAudioException e) {
                continue;
            }
            if (x.length > RATE * 3 / 2) {
                x = Arrays.copyOf(x, RATE * 3 / 2);
                int fade = RATE / 50;
                for (int i = 0; i < fade; i++) {
                    x[x.length - 1 - i] *= i / (float) fade;
                }
            }
            float peak = 0f;
            for (float v : x) {
                peak = Math.max(peak, Math.abs(v));
            }
            if (peak < 1e-3f) {
                continue;
            }
            kits.computeIfAbsent(f.get(kitCol), k -> new LinkedHashMap<>()).computeIfAbsent(cls, k -> new ArrayList<>())
                    .add(x);
        }
        List<KitSounds> out = new ArrayList<>();
        kits.forEach((k, m) -> out.add(new KitSounds(k, m)));
        return out;
    }

    private static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }

    /** First sample at or above -60 dB of the peak. */
    static int leadIn(float[] x) {
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) >= 1e-3f * peak) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Where a sample's strikes begin: its lead-in, then every re-attack (a 1 ms block whose peak
     * is 4 times that of the 10 ms before it and at least a quarter of the sample's peak), each at
     * least {@value #STRIKE_MS} ms after the previous one.
     */
    static int[] strikes(float[] x) {
        int block = RATE / 1000;
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        int[] out = new int[8];
        int n = 0;
        out[n++] = leadIn(x);
        int gap = (int) Math.round(STRIKE_MS * RATE / 1000);
        int blocks = x.length / block;
        float[] env = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            for (int i = b * block; i < (b + 1) * block; i++) {
                env[b] = Math.max(env[b], Math.abs(x[i]));
            }
        }
        for (int b = 10; b < blocks && n < out.length; b++) {
            if (b * block < out[n - 1] + gap) {
                continue;
            }
            float before = 0f;
            for (int j = b - 10; j < b; j++) {
                before = Math.max(before, env[j]);
            }
            if (env[b] >= 4f * before && env[b] >= 0.25f * peak) {
                out[n++] = b * block;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private record Placed(long at, String cls, float[] sound, float gain) {
    }

    /**
     * A groove of {@code bars} bars at {@code bpm}, mixed to peak {@code peak}, with pink noise
     * {@code snrDb} below the groove's RMS ({@code Double.POSITIVE_INFINITY}: none).
     */
    static Take groove(String name, KitSounds kit, int bpm, int bars, float peak, double snrDb, long seed) {
        Random rng = new Random(seed);
        double step = 60.0 / bpm / 4 * RATE;
        long start = RATE / 2;
        List<Placed> placed = new ArrayList<>();
        boolean ride = rng.nextDouble() < 0.25 && kit.byClass().containsKey("ride");
        boolean clap = rng.nextDouble() < 0.25 && kit.byClass().containsKey("clap");
        for (int bar = 0; bar < bars; bar++) {
            boolean fill = bar % 4 == 3;
            for (int s = 0; s < 16; s++) {
                long at = start + Math.round((bar * 16 + s) * step);
                if (s == 0 || s == 8 || ((s == 6 || s == 10 || s == 14) && rng.nextDouble() < 0.3)) {
                    add(placed, rng, kit, "kick", at, 0.8f + 0.2f * rng.nextFloat());
                }
                if (s == 4 || s == 12) {
                    String c = clap && rng.nextDouble() < 0.5 ? "clap"
                            : rng.nextDouble() < 0.1 && kit.byClass().containsKey("rim") ? "rim" : "snare";
                    add(placed, rng, kit, c, at, 0.75f + 0.25f * rng.nextFloat());
                } else if (rng.nextDouble() < 0.06) {
                    add(placed, rng, kit, "snare", at, 0.25f + 0.1f * rng.nextFloat()); // ghost note
                }
                if (fill && s >= 8) {
                    if (s % 2 == 0 && rng.nextDouble() < 0.8) {
                        String[] toms = {"tom_high", "tom_mid", "tom_low"};
                        add(placed, rng, kit, toms[Math.min(2, (s - 8) / 3)], at, 0.7f + 0.3f * rng.nextFloat());
                    }
                } else if (s % 2 == 0 && rng.nextDouble() < 0.9) {
                    String c = ride ? "ride" : s == 14 && rng.nextDouble() < 0.25 ? "hihat_open" : "hihat_closed";
                    add(placed, rng, kit, c, at, 0.45f + 0.3f * rng.nextFloat());
                }
                if (s == 0 && bar % 4 == 0 && bar > 0) {
                    add(placed, rng, kit, "crash", at, 0.8f + 0.2f * rng.nextFloat());
                }
                if (s % 4 == 3 && rng.nextDouble() < 0.05) {
                    add(placed, rng, kit, "perc", at, 0.6f + 0.3f * rng.nextFloat());
                }
            }
        }
        long end = start + Math.round(bars * 16 * step) + RATE;
        float[] mix = new float[(int) end];
        List<long[]> onsets = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (Placed p : placed) {
            // Humanised by up to 4 ms either way.
            long at = p.at() + Math.round((rng.nextDouble() * 2 - 1) * 0.004 * RATE);
            float[] x = p.sound();
            for (int i = 0; i < x.length && at + i < mix.length; i++) {
                mix[(int) (at + i)] += p.gain() * x[i];
            }
            for (int strike : strikes(x)) {
                onsets.add(new long[] {at + strike, classes.size()});
            }
            classes.add(p.cls());
        }
        float m = 0f;
        double energy = 0;
        for (float v : mix) {
            m = Math.max(m, Math.abs(v));
            energy += v * v;
        }
        float g = peak / m;
        for (int i = 0; i < mix.length; i++) {
            mix[i] *= g;
        }
        if (Double.isFinite(snrDb)) {
            double rms = Math.sqrt(energy / mix.length) * g;
            addPinkNoise(mix, rms * Math.pow(10, -snrDb / 20), rng);
        }
        onsets.sort(Comparator.comparingLong(o -> o[0]));
        List<Onset> truth = new ArrayList<>();
        long mergeFrames = Math.round(MERGE_MS * RATE / 1000);
        for (long[] o : onsets) {
            Onset last = truth.isEmpty() ? null : truth.get(truth.size() - 1);
            String c = classes.get((int) o[1]);
            if (last != null && o[0] - last.frame() <= mergeFrames) {
                if (!last.classes().contains(c)) {
                    last.classes().add(c);
                }
            } else {
                List<String> cs = new ArrayList<>();
                cs.add(c);
                truth.add(new Onset(o[0], cs));
            }
        }
        return new Take(name, mix, truth);
    }

    private static void add(List<Placed> placed, Random rng, KitSounds kit, String cls, long at, float gain) {
        List<float[]> sounds = kit.byClass().get(cls);
        if (sounds == null) {
            return;
        }
        placed.add(new Placed(at, cls, sounds.get(rng.nextInt(sounds.size())), gain));
    }

    /** Adds pink noise of RMS {@code rms} (Paul Kellet's economy filter over white noise). */
    static void addPinkNoise(float[] x, double rms, Random rng) {
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        float[] n = new float[x.length];
        double e = 0;
        for (int i = 0; i < n.length; i++) {
            double w = rng.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            n[i] = (float) (b0 + b1 + b2 + w * 0.1848);
            e += n[i] * n[i];
        }
        double g = rms / Math.sqrt(e / n.length);
        for (int i = 0; i < n.length; i++) {
            x[i] += (float) (g * n[i]);
        }
    }
}
