package io.latentkit.perf.listen;

import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.OfflineListen;
import io.latentkit.models.Models;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Scratch: class accuracy of the live decider on rendered takes, per window. */
public final class ClassTrial {
    public static void main(String[] args) throws Exception {
        List<DrumTakes.KitSounds> kits = DrumTakes.load(Path.of("models/training/labels.csv"));
        kits.removeIf(k -> !k.playable());
        try (Models models = Models.loadDefault()) {
            for (String w : args) {
                double windowMs = Double.parseDouble(w);
                OfflineListen ol = new OfflineListen(ListenConfig.forLatency(windowMs + 5), models);
                long right = 0;
                long n = 0;
                java.util.Map<String, int[]> per = new java.util.TreeMap<>();
                int t = 0;
                for (int tempo : new int[] {80, 120, 170}) {
                    for (int k = 0; k < 4; k++) {
                        DrumTakes.KitSounds kit = kits.get((t * 5 + k * 3) % kits.size());
                        DrumTakes.Take take = DrumTakes.groove("t", kit, tempo, 8, 0.9f, Double.POSITIVE_INFINITY, 500L * t + 3);
                        t++;
                        List<OfflineListen.Hit> hits = ol.run(take.mono(), 1.0f);
                        long[] det = hits.stream().mapToLong(OfflineListen.Hit::onsetFrame).toArray();
                        long[] truth = take.truth().stream().mapToLong(DrumTakes.Onset::frame).toArray();
                        int[] m = new OnsetScore().add(truth, det, 1200);
                        for (int i = 0; i < truth.length; i++) {
                            List<String> cs = take.truth().get(i).classes();
                            if (m[i] < 0 || cs.size() != 1) {
                                continue;
                            }
                            boolean ok = cs.get(0).equals(hits.get(m[i]).className());
                            per.computeIfAbsent(cs.get(0), x -> new int[2])[ok ? 0 : 1]++;
                            right += ok ? 1 : 0;
                            n++;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "window %.0f ms: %.3f of %d%n", windowMs, right / (double) n, n);
                per.forEach((c, v) -> System.out.printf(Locale.ROOT, "  %s %.2f (%d)%n", c, v[0] / (double) (v[0] + v[1]), v[0] + v[1]));
            }
        }
    }
}
