package io.latentkit.listen;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.listen.decide.HitDecider;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.ModelException;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code --listen-latency-ms auto}: the smallest latency L that holds on this machine, measured at
 * start on the thread that loaded listen mode's models (never the render thread), in well under a
 * second.
 *
 * <p>A drum can be scheduled at onset + L only if, before the engine block holding that frame
 * starts, the detector has reported the onset and the window after it has arrived and been
 * classified. So for each hit the decision is ready {@code max(placement, window + input block) +
 * classifying} after its onset. The placement delay is how long after the onset sample the
 * detector reports it: its hop, the flux that must peak and fall one hop later, the look-ahead of
 * the amplitude-peak refinement; about 7 to 9 ms for a clean attack, and up to the design's bound
 * ({@code fftFrames + (fluxLag + lookaheadHops) * hop}, 17.3 ms with the defaults) when the onset
 * is placed back in the refined region, as over a ringing tail. The window is the one the rung
 * leaves ({@link ListenConfig#windowFor}); its end waits for its input block. {@link #measure} runs
 * the real detector and the real decider (the classifier, and the nearest-neighbour path learned
 * classes take) on a short take of the built-in kit ({@link DefaultKit}: two bars of a groove and
 * fill at 120 BPM, each sound ringing under the next, at varied levels) and times a thread's
 * wake-up here. {@link #choose} then takes, for each rung of {@link #LADDER_MS} from the smallest,
 * the 99th percentile of the per-hit decision time and adds one engine block (the slack the
 * listen agent requires) and a margin ({@value #MARGIN_MS} ms plus the wake-up's 99th percentile);
 * the first rung this fits in is L, and if none fits the largest is, with a warning (slots will be
 * missed, and counted, as for any L).
 *
 * <p>{@link #choose} is a pure function of what was measured; {@link #measure} allocates freely.
 * Any thread but the render thread.
 */
public final class LatencyCalibration {
    /** The latencies auto chooses among, ascending (ms). */
    public static final double[] LADDER_MS = {12, 15, 18, 20, 22, 25, 30, 40};
    /** Added to every rung's requirement besides the measured wake-up delay (ms). */
    public static final double MARGIN_MS = 0.5;
    /** The percentile of the per-hit decision time that must fit. */
    public static final double PERCENTILE = 0.99;
    /** Fewer onsets than this in the calibration take: the measurement is not trusted. */
    static final int MIN_HITS = 16;
    private static final int RATE = ListenConfig.INPUT_RATE_HZ;
    private static final int WAKE_SAMPLES = 200;
    private static final long WAKE_PARK_NANOS = 100_000L;

    private LatencyCalibration() {
    }

    /**
     * What a decision costs here.
     *
     * @param ladderMs      the rungs, ascending, each positive
     * @param placementMs   per calibration hit: from its onset sample to the input block that
     *     completes the hop in which the detector reports it (hops and blocks both start at input
     *     frame 0, so a report waits for no block beyond its own hop's last sample)
     * @param decideMs      per rung, per hit: the decider's time on that rung's window; {@code null}
     *     for the rungs above the first that holds, which need not be measured (trailing only)
     * @param inputBlockMs  an input block: the most the end of a window waits for its block
     * @param engineBlockMs one engine block: the slack the listen agent requires before a slot
     * @param wakeP99Ms     the 99th percentile of a thread's wake-up delay here
     */
    public record Costs(double[] ladderMs, double[] placementMs, double[][] decideMs, double inputBlockMs,
                        double engineBlockMs, double wakeP99Ms) {
        public Costs {
            ladderMs = ladderMs == null ? null : ladderMs.clone();
            placementMs = placementMs == null ? null : placementMs.clone();
            if (decideMs != null) {
                decideMs = decideMs.clone();
                for (int r = 0; r < decideMs.length; r++) {
                    decideMs[r] = decideMs[r] == null ? null : decideMs[r].clone();
                }
            }
            if (ladderMs == null || ladderMs.length == 0) {
                throw new IllegalArgumentException("latency ladder is empty");
            }
            for (int r = 0; r < ladderMs.length; r++) {
                if (!(ladderMs[r] > 0 && ladderMs[r] <= 1000) || r > 0 && !(ladderMs[r] > ladderMs[r - 1])) {
                    throw new IllegalArgumentException("latency ladder must ascend within (0, 1000] ms, got "
                            + Arrays.toString(ladderMs));
                }
            }
            if (placementMs == null || placementMs.length == 0) {
                throw new IllegalArgumentException("no calibration hits measured");
            }
            check("placement", placementMs);
            if (decideMs == null || decideMs.length != ladderMs.length) {
                throw new IllegalArgumentException("decision times for " + (decideMs == null ? 0 : decideMs.length)
                        + " rungs, the ladder has " + ladderMs.length);
            }
            int measured = 0;
            while (measured < decideMs.length && decideMs[measured] != null) {
                measured++;
            }
            if (measured == 0) {
                throw new IllegalArgumentException("the smallest rung was not measured");
            }
            for (int r = measured; r < decideMs.length; r++) {
                if (decideMs[r] != null) {
                    throw new IllegalArgumentException("rung " + ladderMs[measured] + " ms was not measured but "
                            + ladderMs[r] + " ms was: only the rungs above the first that holds may be left out");
                }
            }
            for (int r = 0; r < measured; r++) {
                if (decideMs[r].length != placementMs.length) {
                    throw new IllegalArgumentException("decision times for " + decideMs[r].length
                            + " hits, placements for " + placementMs.length);
                }
                check("decision", decideMs[r]);
            }
            if (!(inputBlockMs >= 0 && inputBlockMs < 1000) || !(engineBlockMs >= 0 && engineBlockMs < 1000)
                    || !(wakeP99Ms >= 0 && wakeP99Ms < 1000)) {
                throw new IllegalArgumentException("block and wake-up times must be 0..1000 ms, got " + inputBlockMs + ", "
                        + engineBlockMs + " and " + wakeP99Ms);
            }
        }

        private static void check(String what, double[] ms) {
            for (double v : ms) {
                if (!(v >= 0 && v < 1000)) {
                    throw new IllegalArgumentException(what + " time must be 0..1000 ms, got " + v);
                }
            }
        }
    }

    /**
     * One rung judged.
     *
     * @param latencyMs      the rung
     * @param windowMs       the window it leaves
     * @param placementP99Ms 99th percentile of the placement delay
     * @param classifyP99Ms  99th percentile of the decider's time on this window
     * @param decisionP99Ms  99th percentile of {@code max(placement, window + input block) + classifying}, per hit
     * @param requiredMs     that plus an engine block and the margin
     * @param fits           {@code requiredMs <= latencyMs}
     */
    public record Rung(double latencyMs, double windowMs, double placementP99Ms, double classifyP99Ms,
                       double decisionP99Ms, double requiredMs, boolean fits) {
    }

    /**
     * The choice: {@code chosen} is L; {@code below} the rung under it (why not smaller), or
     * {@code null} when L is the smallest; {@code fits} is false when no rung held (L is then the
     * largest).
     */
    public record Choice(Rung chosen, Rung below, List<Rung> rungs, double engineBlockMs, double marginMs, boolean fits,
                         int hits, long measuredNanos) {
        public double latencyMs() {
            return chosen.latencyMs();
        }

        /** This choice with the time its measurement took. */
        Choice measuredIn(long nanos) {
            return new Choice(chosen, below, rungs, engineBlockMs, marginMs, fits, hits, nanos);
        }

        /** One line for the banner and the log. */
        public String describe() {
            Rung c = chosen;
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "L = %s ms (auto: decision p99 %.1f ms [placement p99 %.1f ms, %s ms"
                            + " window, classifying p99 %.1f ms] + engine block %.1f ms + margin %.1f ms = %.1f ms",
                    ms(c.latencyMs()), c.decisionP99Ms(), c.placementP99Ms(), ms(c.windowMs()), c.classifyP99Ms(),
                    engineBlockMs, marginMs,
                    c.requiredMs()));
            if (!fits) {
                b.append("; no rung up to ").append(ms(c.latencyMs())).append(" ms holds here: slots will be missed");
            } else if (below != null) {
                // Rounded up: a rung that misses by less than 0.1 ms does not read as fitting.
                b.append(String.format(Locale.ROOT, "; %s ms would miss: needs %.1f ms", ms(below.latencyMs()),
                        Math.ceil(below.requiredMs() * 10 - 1e-9) / 10));
            } else {
                b.append("; the smallest rung");
            }
            b.append(String.format(Locale.ROOT, "; %d hits measured in %d ms)", hits, measuredNanos / 1_000_000L));
            return b.toString();
        }

        private static String ms(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }

    /**
     * The smallest rung whose 99th-percentile decision, blocks and margin fit in it; the largest
     * rung (with {@code fits} false) when none does. Deterministic.
     *
     * @throws IllegalArgumentException if a rung not measured is reached before one holds
     */
    public static Choice choose(Costs costs) {
        double margin = MARGIN_MS + costs.wakeP99Ms();
        int n = costs.placementMs().length;
        List<Rung> rungs = new ArrayList<>();
        int chosen = -1;
        for (int r = 0; r < costs.ladderMs().length; r++) {
            double l = costs.ladderMs()[r];
            if (costs.decideMs()[r] == null) {
                if (chosen < 0) {
                    throw new IllegalArgumentException("no rung up to " + costs.ladderMs()[r - 1] + " ms holds and "
                            + l + " ms was not measured");
                }
                break;
            }
            Rung rung = judge(costs, r);
            rungs.add(rung);
            if (rung.fits() && chosen < 0) {
                chosen = r;
            }
        }
        boolean fits = chosen >= 0;
        int c = fits ? chosen : rungs.size() - 1;
        return new Choice(rungs.get(c), c > 0 ? rungs.get(c - 1) : null, List.copyOf(rungs), costs.engineBlockMs(), margin,
                fits, n, 0L);
    }

    /** Rung {@code r} judged against the costs (its decision times measured). */
    private static Rung judge(Costs costs, int r) {
        double margin = MARGIN_MS + costs.wakeP99Ms();
        int n = costs.placementMs().length;
        double l = costs.ladderMs()[r];
        double window = ListenConfig.windowFor(l);
        double[] decision = new double[n];
        for (int i = 0; i < n; i++) {
            decision[i] = Math.max(costs.placementMs()[i], window + costs.inputBlockMs()) + costs.decideMs()[r][i];
        }
        double p99 = percentile(decision, PERCENTILE);
        double required = p99 + costs.engineBlockMs() + margin;
        return new Rung(l, window, percentile(costs.placementMs(), PERCENTILE), percentile(costs.decideMs()[r], PERCENTILE),
                p99, required, required <= l);
    }

    /** Nearest-rank percentile ({@code p} in (0, 1]) of a non-empty array. */
    static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /**
     * Measures and chooses: {@link #measure} then {@link #choose}.
     *
     * @throws ModelException if the decider fails on the calibration take
     */
    public static Choice run(Models models, ListenConfig config, int engineRateHz, int engineBlockFrames)
            throws ModelException {
        long start = System.nanoTime();
        Costs costs = measure(models, config, engineRateHz, engineBlockFrames);
        return choose(costs).measuredIn(System.nanoTime() - start);
    }

    /**
     * Runs the real detector (with {@code config}'s settings) and, for each rung's window, the
     * real decider over {@code models} on the calibration take, and times a thread's wake-up.
     * Uses the models' sessions: call it on the thread that owns them.
     *
     * @throws ModelException if the decider fails on the take
     * @throws IllegalStateException if the detector finds fewer than {@value #MIN_HITS} of its hits
     */
    public static Costs measure(Models models, ListenConfig config, int engineRateHz, int engineBlockFrames)
            throws ModelException {
        float[] take = take();
        int block = config.inputBlockFrames();
        StreamingOnsetDetector detector = new StreamingOnsetDetector(RATE, config.onset());
        int hop = detector.hopFrames();
        float[] buf = new float[hop];
        long[] onsets = new long[64];
        double[] placement = new double[64];
        int n = 0;
        for (int at = 0; at + hop <= take.length; at += hop) {
            System.arraycopy(take, at, buf, 0, hop);
            long onset = detector.push(buf, 0);
            if (onset >= 0 && n < onsets.length) {
                onsets[n] = onset;
                // The hop that reported it is in once the input block holding its last sample is.
                long arrived = (detector.position() + block - 1) / block * block;
                placement[n] = (arrived - onset) * 1000.0 / RATE;
                n++;
            }
        }
        if (n < MIN_HITS) {
            throw new IllegalStateException("the calibration take gave " + n + " onsets, fewer than " + MIN_HITS);
        }
        onsets = Arrays.copyOf(onsets, n);
        placement = Arrays.copyOf(placement, n);
        double wake = wakeP99Ms();
        double inputBlockMs = block * 1000.0 / RATE;
        double engineBlockMs = engineBlockFrames * 1000.0 / engineRateHz;
        // Rung by rung from the smallest, each window's decider timed once; the rungs above the
        // first that holds are not measured (they cannot change the choice).
        double[][] decide = new double[LADDER_MS.length][];
        Map<Integer, double[]> byWindow = new HashMap<>();
        for (int r = 0; r < LADDER_MS.length; r++) {
            ListenConfig rung = config.chosen(LADDER_MS[r]);
            double[] known = byWindow.get(rung.windowFrames());
            if (known == null) {
                known = decisionTimes(models, rung, take, onsets);
                byWindow.put(rung.windowFrames(), known);
            }
            decide[r] = known;
            Costs sofar = new Costs(LADDER_MS.clone(), placement, decide, inputBlockMs, engineBlockMs, wake);
            if (judge(sofar, r).fits()) {
                return sofar;
            }
        }
        return new Costs(LADDER_MS.clone(), placement, decide, inputBlockMs, engineBlockMs, wake);
    }

    /**
     * Per onset, the decider's time on the window {@code rung} leaves: the larger of the
     * classifier's and (with a class learned) the nearest-neighbour path's, each after
     * {@value #WARM_UP} untimed decisions (the sessions' first runs allocate and compile) and the
     * shorter of {@value #REPEATS_TIMED} timings, so that a start-up's passing load (the JIT, the
     * rest of the server starting) is not taken for what a decision costs; the wake-up delay and
     * the margin stand for the machine's load.
     */
    private static double[] decisionTimes(Models models, ListenConfig rung, float[] take, long[] onsets)
            throws ModelException {
        HitDecider decider;
        try {
            decider = ListenMode.decider(models, rung);
        } catch (ModelLoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        float[] clip = new float[ListenAgent.PREROLL + rung.windowFrames()];
        HitDecider.Decision d = new HitDecider.Decision();
        double[] times = timed(decider, take, onsets, clip, d);
        // The path a hit takes once a class has been learned: the embedder and the neighbours.
        CompletableFuture<String> learned = new CompletableFuture<>();
        decider.learn("calibration", 1, learned);
        clip(take, onsets[0], clip);
        decider.decide(clip, 0, clip.length, d);
        if (decider.learnedClasses().isEmpty()) {
            return times; // no embedding model: learned classes never decide
        }
        double[] nearest = timed(decider, take, onsets, clip, d);
        for (int i = 0; i < times.length; i++) {
            times[i] = Math.max(times[i], nearest[i]);
        }
        return times;
    }

    private static final int WARM_UP = 8;
    private static final int REPEATS_TIMED = 2;

    private static double[] timed(HitDecider decider, float[] take, long[] onsets, float[] clip, HitDecider.Decision d)
            throws ModelException {
        for (int w = 0; w < WARM_UP; w++) {
            clip(take, onsets[w % onsets.length], clip);
            decider.decide(clip, 0, clip.length, d);
        }
        double[] times = new double[onsets.length];
        for (int i = 0; i < onsets.length; i++) {
            clip(take, onsets[i], clip);
            long best = Long.MAX_VALUE;
            for (int k = 0; k < REPEATS_TIMED; k++) {
                long t = System.nanoTime();
                decider.decide(clip, 0, clip.length, d);
                best = Math.min(best, System.nanoTime() - t);
            }
            times[i] = best / 1e6;
        }
        return times;
    }

    /** The pre-roll and window after {@code onset}, as the listen agent hands them to the decider. */
    private static void clip(float[] take, long onset, float[] clip) {
        Arrays.fill(clip, 0f);
        long from = onset - ListenAgent.PREROLL;
        for (int i = 0; i < clip.length; i++) {
            long at = from + i;
            if (at >= 0 && at < take.length) {
                clip[i] = take[(int) at];
            }
        }
    }

    /** The 99th percentile of how late a thread parked for 0.1 ms wakes, in ms. */
    private static double wakeP99Ms() {
        double[] late = new double[WAKE_SAMPLES];
        for (int i = 0; i < WAKE_SAMPLES; i++) {
            long t = System.nanoTime();
            LockSupport.parkNanos(WAKE_PARK_NANOS);
            late[i] = Math.max(0, System.nanoTime() - t - WAKE_PARK_NANOS) / 1e6;
        }
        return Math.min(999, percentile(late, PERCENTILE));
    }

    /**
     * Two bars of sixteenths at 120 BPM (125 ms a step), a drummer's groove and fill: hats on the
     * eighths, kick and snare, an open hat, toms, a crash and a ride; each row is one step, its
     * classes struck together.
     */
    private static final DrumClass[][] GROOVE = {
        {DrumClass.KICK, DrumClass.HIHAT_CLOSED}, {}, {DrumClass.HIHAT_CLOSED}, {DrumClass.KICK},
        {DrumClass.SNARE, DrumClass.HIHAT_CLOSED}, {}, {DrumClass.HIHAT_CLOSED}, {DrumClass.RIM},
        {DrumClass.KICK, DrumClass.HIHAT_CLOSED}, {}, {DrumClass.KICK, DrumClass.HIHAT_CLOSED}, {},
        {DrumClass.SNARE, DrumClass.HIHAT_CLOSED}, {}, {DrumClass.HIHAT_OPEN}, {DrumClass.CLAP},
        {DrumClass.KICK, DrumClass.RIDE}, {}, {DrumClass.RIDE}, {DrumClass.KICK},
        {DrumClass.SNARE, DrumClass.RIDE}, {}, {DrumClass.RIDE}, {DrumClass.PERC},
        {DrumClass.KICK, DrumClass.HIHAT_CLOSED}, {DrumClass.SNARE}, {DrumClass.TOM_HIGH}, {DrumClass.TOM_HIGH},
        {DrumClass.TOM_MID}, {DrumClass.TOM_MID}, {DrumClass.TOM_LOW}, {DrumClass.TOM_LOW},
    };
    /** Times the groove is played. */
    private static final int REPEATS = 2;

    /**
     * The calibration take: half a second of silence (the detector's threshold fills), then
     * {@link #GROOVE} twice on the built-in kit, each sound ringing on under the next, humanised by
     * up to 3 ms and at levels from -12 to -1 dBFS, from a fixed seed, then a crash; mono at the
     * model rate. Every sound's onset is its first sample above -60 dB of its peak.
     */
    static float[] take() {
        Kit kit = DefaultKit.create(RATE);
        SplittableRandom random = new SplittableRandom(15);
        int step = RATE / 8;
        int lead = RATE / 2;
        int steps = REPEATS * GROOVE.length + 1;
        float[] x = new float[lead + steps * step + RATE];
        for (int i = 0; i < steps; i++) {
            DrumClass[] classes = i == steps - 1 ? new DrumClass[] {DrumClass.KICK, DrumClass.CRASH}
                    : GROOVE[i % GROOVE.length];
            int at = lead + i * step + random.nextInt(-3 * RATE / 1000, 3 * RATE / 1000 + 1);
            for (DrumClass c : classes) {
                float[] s = kit.pad(c).pick(1f).left();
                float peak = 0f;
                for (float v : s) {
                    peak = Math.max(peak, Math.abs(v));
                }
                double db = -12 + 11 * random.nextDouble();
                float gain = (float) (Math.pow(10, db / 20) / Math.max(peak, 1e-6f));
                for (int k = 0; k < s.length && at + k < x.length; k++) {
                    x[at + k] += gain * s[k];
                }
            }
        }
        return x;
    }
}
