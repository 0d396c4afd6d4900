package io.latentkit.perf.listen;

import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.AudioFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Scratch tuning harness: F1 of the streaming detector and aubio on rendered takes. */
public final class OnsetTrial {
    public static void main(String[] args) throws Exception {
        List<DrumTakes.KitSounds> kits = DrumTakes.load(Path.of("models/training/labels.csv"));
        kits.removeIf(k -> !k.playable());
        Path dir = Files.createDirectories(Path.of("perf-tests/target/listen-trial"));
        int[] tempos = {80, 100, 120, 140, 170};
        double[] snrs = {Double.POSITIVE_INFINITY, 20, 10};
        StreamingOnsetDetector.Params p = StreamingOnsetDetector.Params.defaults().withMinFlux(Float.parseFloat(System.getProperty("floor", "15")));
        float sens = Float.parseFloat(System.getProperty("sens", "1.0"));
        for (double snr : snrs) {
            OnsetScore[] ours = {new OnsetScore(), new OnsetScore()};
            OnsetScore[] aub = {new OnsetScore(), new OnsetScore()};
            int[] hist = new int[41];
            java.util.Map<String, Integer> missed = new java.util.TreeMap<>();
            double errSum = 0;
            long errN = 0;
            int t = 0;
            for (int tempo : tempos) {
                for (int k = 0; k < 3; k++) {
                    DrumTakes.KitSounds kit = kits.get((t * 5 + k * 3) % kits.size());
                    float peak = t % 2 == 0 ? 0.9f : 0.2f;
                    DrumTakes.Take take = DrumTakes.groove("t" + t, kit, tempo, 8, peak, snr, 1000L * t + 7);
                    t++;
                    Path wav = dir.resolve("take-" + t + "-" + (int) Math.min(snr, 99) + ".wav");
                    AudioFiles.writeWav16(wav, take.mono(), DrumTakes.RATE);
                    float[] x = AudioFiles.readMono(wav, DrumTakes.RATE);
                    long[] truth = take.truth().stream().mapToLong(DrumTakes.Onset::frame).toArray();
                    long[] det = StreamingOnsetDetector.detectAll(x, ListenConfig.INPUT_RATE_HZ, p, sens);
                    long[] a = Aubio.onsets(wav, DrumTakes.RATE);
                    int[] m = ours[0].add(truth, det, 480);
                    ours[1].add(truth, det, 1200);
                    aub[0].add(truth, a, 480);
                    aub[1].add(truth, a, 1200);
                    if (Boolean.getBoolean("diag")) {
                        java.util.Set<Integer> usedDet = new java.util.HashSet<>();
                        for (int mm : m) { usedDet.add(mm); }
                        for (int j = 0; j < det.length; j++) {
                            if (usedDet.contains(j)) continue;
                            long best = Long.MAX_VALUE; long bt = 0;
                            for (int i = 0; i < truth.length; i++) { long d = det[j] - truth[i]; if (Math.abs(d) < Math.abs(best)) { best = d; bt = i; } }
                            hist[(int) Math.max(0, Math.min(hist.length - 1, best / 480 + 20))]++;
                        }
                    }
                    int[] m25 = new OnsetScore().add(truth, det, 1200);
                    for (int i = 0; i < m25.length; i++) {
                        if (m25[i] < 0) {
                            missed.merge(String.join("+", take.truth().get(i).classes()) + (i > 0 && truth[i] - truth[i-1] < 4800 ? "(close)" : ""), 1, Integer::sum);
                        }
                    }
                    for (int i = 0; i < m.length; i++) {
                        if (m[i] >= 0) {
                            errSum += det[m[i]] - truth[i];
                            errN++;
                        }
                    }
                }
            }
            if (Boolean.getBoolean("diag")) System.out.println("missed at 25ms: " + missed);
            if (Boolean.getBoolean("diag")) System.out.println("FP offset hist (10ms bins from -200): " + java.util.Arrays.toString(hist));
            System.out.printf(Locale.ROOT, "snr %5s  ours F1 %.3f/%.3f (P %.3f R %.3f) mean err %.2f ms | aubio F1 %.3f/%.3f (P %.3f R %.3f)%n",
                    snr, ours[0].f1(), ours[1].f1(), ours[1].precision(), ours[1].recall(), errSum / errN / 48.0,
                    aub[0].f1(), aub[1].f1(), aub[1].precision(), aub[1].recall());
        }
    }
}
