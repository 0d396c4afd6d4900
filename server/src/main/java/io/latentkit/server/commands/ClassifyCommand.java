package io.latentkit.server.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.Classification;
import io.latentkit.models.ModelException;
import io.latentkit.models.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit classify FILE... [--json]}: the drum class probabilities of each file's hit.
 * A file that cannot be used is reported on stderr in one line and the others are still classified;
 * the exit code is then 2.
 *
 * <p>Runs on the caller's thread, which owns the models for the command's lifetime.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Prints the drum class probabilities of each file (WAV, AIFF or FLAC, one hit per file).")
public final class ClassifyCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "sound files, one hit each")
    List<Path> files;

    @Option(names = "--json", description = "one JSON object per line: file, top class, probabilities per class")
    boolean json;

    @Option(names = "--models", paramLabel = "DIR", description = "folder with other model files (default: the shipped models)")
    Path modelsDir;

    @Spec
    CommandSpec spec;

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
        ObjectMapper mapper = new ObjectMapper();
        int exit = 0;
        try (models) {
            for (Path f : files) {
                try {
                    float[] x = AudioFiles.readMono(f, models.spec().sampleRateHz());
                    Classification c = models.classifier().classify(x);
                    if (json) {
                        ObjectNode o = mapper.createObjectNode();
                        o.put("file", f.toString());
                        o.put("top", c.top().oscName());
                        ObjectNode p = o.putObject("probabilities");
                        for (DrumClass d : DrumClass.values()) {
                            p.put(d.oscName(), Math.round(c.probability(d) * 1e4) / 1e4);
                        }
                        out.println(mapper.writeValueAsString(o));
                    } else {
                        StringBuilder sb = new StringBuilder();
                        sb.append(f).append(": ").append(c.top().oscName());
                        for (DrumClass d : DrumClass.values()) {
                            sb.append(String.format(Locale.ROOT, " %s=%.3f", d.oscName(), c.probability(d)));
                        }
                        out.println(sb);
                    }
                } catch (BadAudioException e) {
                    err.println("classify: " + f + ": " + e.getMessage());
                    exit = 2;
                } catch (ModelException | RuntimeException | IOException e) {
                    err.println("classify: " + f + ": internal failure: " + e.getMessage());
                    return 1;
                }
            }
        }
        out.flush();
        return exit;
    }
}
