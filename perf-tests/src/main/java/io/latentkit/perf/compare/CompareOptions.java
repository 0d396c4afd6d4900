package io.latentkit.perf.compare;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The settings of one comparison run, from the command line ({@code perf-tests/compare --help}).
 * {@code --quick} changes the defaults of the options not given explicitly.
 *
 * <p>Threading: filled by picocli on the main thread, read-only afterwards.
 */
public final class CompareOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--quick", description = "smoke run: N in {64,256}, 5 s audio, 3 runs, 20 s deadline test")
    boolean quick;

    @Option(names = "--out", paramLabel = "FILE", description = "report file (default: ${DEFAULT-VALUE})")
    Path out = Path.of("perf-tests/RESULTS.md");

    @Option(names = "--work", paramLabel = "DIR", description = "fixtures, scores, logs (default: ${DEFAULT-VALUE})")
    Path work = Path.of("perf-tests/target/compare");

    @Option(names = "--runs", paramLabel = "R", description = "runs per measurement (default 5; --quick 3)")
    int runs = 5;

    @Option(names = "--seconds", paramLabel = "S", description = "offline audio per run (default 60; --quick 5)")
    double seconds = 60;

    @Option(names = "--voices", paramLabel = "LIST", split = ",",
            description = "voice counts of the part-1 sweep, multiples of 4; the sweep goes on past them until "
                    + "every engine's 70%%-of-a-core point is bracketed (default 64,128,...,4096)")
    int[] voices = {64, 128, 256, 512, 1024, 2048, 4096};

    @Option(names = "--pitch", paramLabel = "SEMITONES",
            description = "part 1 also runs with every voice of every engine pitched by this much (scsynth's PlayBuf "
                    + "rate, the SF2 zones' tuning, latentkit's pad pitch); 0 = unit pitch only (default)")
    double pitch;

    @Option(names = "--deadline-seconds", paramLabel = "S", description = "part 2 length (default 600; --quick 20)")
    double deadlineSeconds = 600;

    @Option(names = "--deadline-runs", paramLabel = "R", description = "part 2 runs (default 1)")
    int deadlineRuns = 1;

    @Option(names = "--latency-count", paramLabel = "N", description = "triggers per latency mode (default 2000)")
    int latencyCount = 2000;

    @Option(names = "--parts", paramLabel = "LIST", split = ",", description = "parts to run (default 1,2,3,4; "
            + "6 is the isolation part; part 5 is always written)")
    TreeSet<Integer> parts = new TreeSet<>(List.of(1, 2, 3, 4));

    @Option(names = "--core", paramLabel = "CPU", description = "core peers and offline renders are pinned to "
            + "(default ${DEFAULT-VALUE})")
    String core = "1";

    @Option(names = "--label", paramLabel = "TEXT", description = "a line under the title")
    String label = "";

    @Option(names = "--isolation-seconds", paramLabel = "S", description = "part 6: seconds per row (default 600)")
    double isolationSeconds = 600;

    @Option(names = "--isolation-buffers", paramLabel = "LIST", split = ",",
            description = "part 6: buffers (null sink) and JACK periods in frames (default 256,1024)")
    int[] isolationBuffers = {256, 1024};

    @Option(names = "--isolation-measures", paramLabel = "LIST", split = ",",
            description = "part 6: rows, from off,pin,fifo,mlock,helpers,auto,jack,scsynth (default all)")
    List<String> isolationVariants = IsolationPart.variantNames();

    int handoffEvents = 200_000;
    String jmh = "-wi 5 -i 10 -w 1s -r 1s";
    double length = 1.0;
    int buffer = 256;

    /** Applies {@code --quick}'s defaults and checks the values; throws picocli's usage error. */
    void validate() {
        if (quick) {
            if (!given("--runs")) {
                runs = 3;
            }
            if (!given("--seconds")) {
                seconds = 5;
            }
            if (!given("--voices")) {
                voices = new int[] {64, 256};
            }
            if (!given("--deadline-seconds")) {
                deadlineSeconds = 20;
            }
            if (!given("--latency-count")) {
                latencyCount = 200;
            }
            handoffEvents = 20_000;
            jmh = "-wi 1 -i 3 -w 1s -r 1s";
        }
        for (int v : voices) {
            if (v < 4 || v % 4 != 0 || v > Sweep.MAX_VOICES) {
                throw new ParameterException(spec.commandLine(),
                        "--voices: each count must be a multiple of 4 in 4.." + Sweep.MAX_VOICES + ", got " + v);
            }
        }
        if (runs < 1 || seconds <= 0 || deadlineSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--runs, --seconds and --deadline-seconds must be positive");
        }
        if (!(Math.abs(pitch) <= 24)) {
            throw new ParameterException(spec.commandLine(), "--pitch must be within -24..24 semitones, got " + pitch);
        }
    }

    private boolean given(String name) {
        return spec.commandLine().getParseResult().hasMatchedOption(name);
    }
}
