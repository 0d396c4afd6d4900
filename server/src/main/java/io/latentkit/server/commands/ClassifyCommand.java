package io.latentkit.server.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.TomSize;
import io.latentkit.core.dsp.TomRanker;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.Classification;
import io.latentkit.models.HitClass;
import io.latentkit.models.ModelException;
import io.latentkit.models.Models;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit classify FILE... [--kit] [--json]}: the class probabilities of each file's hit
 * (ten classes; the three tom sizes are one class). With {@code --kit} the files are one kit: its
 * toms are sized by pitch rank among them ({@link TomRanker}) and each file gets its pad. A file
 * that cannot be used is reported on stderr in one line and the others are still classified; the
 * exit code is then 2.
 *
 * <p>Runs on the caller's thread, which owns the models for the command's lifetime.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Prints the drum class probabilities of each file (WAV, AIFF or FLAC, one hit per file).")
public final class ClassifyCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "sound files, one hit each")
    List<Path> files;

    @Option(names = "--kit", description = "the files are one kit: size its toms by pitch rank and print each file's pad")
    boolean kit;

    @Option(names = "--json", description = "one JSON object per line: file, top class, pad, probabilities per class")
    boolean json;

    @Option(names = "--models", paramLabel = "DIR", description = "folder with other model files (default: the shipped models)")
    Path modelsDir;

    @Spec
    CommandSpec spec;

    private record Result(Path file, Classification classification, double pitchHz) {
    }

    public ClassifyCommand() {
        // picocli fills the fields.
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Models models = modelsDir == null ? Models.loadDefault() : Models.loadOrUnavailable(modelsDir, 1);
        if (!models.isAvailable()) {
            err.println("classify: models unavailable: " + models.unavailableReason().orElse("unknown"));
            // The shipped models failing is our fault; a folder the user named is their input.
            return modelsDir == null ? 1 : 2;
        }
        int exit = 0;
        List<Result> results = new ArrayList<>();
        try (models) {
            TomRanker ranker = new TomRanker(models.spec().sampleRateHz());
            for (Path f : files) {
                try {
                    float[] x = AudioFiles.readMono(f, models.spec().sampleRateHz());
                    Classification c = models.classifier().classify(x);
                    double pitch = c.top() == HitClass.TOM ? ranker.pitchHz(x) : Double.NaN;
                    results.add(new Result(f, c, pitch));
                } catch (BadAudioException e) {
                    err.println("classify: " + f + ": " + e.getMessage());
                    exit = 2;
                } catch (ModelException | RuntimeException e) {
                    err.println("classify: " + f + ": internal failure: " + e.getMessage());
                    return 1;
                }
            }
        }
        TomSize[] sizes = kit ? tomSizes(results) : null;
        try {
            print(out, results, sizes);
        } catch (JsonProcessingException e) {
            err.println("classify: internal failure: " + e.getMessage());
            return 1;
        }
        out.flush();
        return exit;
    }

    /** The size of every tom among the results, by pitch rank among the toms (null for the others). */
    private static TomSize[] tomSizes(List<Result> results) {
        List<Integer> toms = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).classification().top() == HitClass.TOM) {
                toms.add(i);
            }
        }
        double[] pitches = new double[toms.size()];
        for (int j = 0; j < pitches.length; j++) {
            pitches[j] = results.get(toms.get(j)).pitchHz();
        }
        TomSize[] ranked = TomRanker.sizes(pitches);
        TomSize[] out = new TomSize[results.size()];
        for (int j = 0; j < ranked.length; j++) {
            out[toms.get(j)] = ranked[j];
        }
        return out;
    }

    private void print(PrintWriter out, List<Result> results, TomSize[] sizes)
            throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            Classification c = r.classification();
            // Without --kit a tom has no size, so no pad: only its class.
            String pad = c.top() != HitClass.TOM ? c.top().pad().oscName()
                    : sizes != null ? sizes[i].pad().oscName() : null;
            if (json) {
                ObjectNode o = mapper.createObjectNode();
                o.put("file", r.file().toString());
                o.put("top", c.top().label());
                if (pad != null) {
                    o.put("pad", pad);
                }
                if (!Double.isNaN(r.pitchHz())) {
                    o.put("tom_pitch_hz", Math.round(r.pitchHz() * 10) / 10.0);
                }
                ObjectNode p = o.putObject("probabilities");
                for (HitClass h : HitClass.values()) {
                    p.put(h.label(), Math.round(c.probability(h) * 1e4) / 1e4);
                }
                out.println(mapper.writeValueAsString(o));
            } else {
                StringBuilder sb = new StringBuilder();
                sb.append(r.file()).append(": ").append(sizes != null ? pad : c.top().label());
                if (!Double.isNaN(r.pitchHz())) {
                    sb.append(String.format(Locale.ROOT, " (%.1f Hz)", r.pitchHz()));
                }
                for (HitClass h : HitClass.values()) {
                    sb.append(String.format(Locale.ROOT, " %s=%.3f", h.label(), c.probability(h)));
                }
                out.println(sb);
            }
        }
    }
}
