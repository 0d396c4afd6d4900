package io.latentkit.server.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.dsp.OnsetDetector;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.DrumVae;
import io.latentkit.models.LibraryIndex;
import io.latentkit.models.ModelException;
import io.latentkit.models.Models;
import io.latentkit.models.SimilarityIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
 * {@code latentkit similar FILE --library DIR [-n 5] [--json]}: the sounds in a library nearest to
 * a file's hit (its first hit, if the file is a recording). Library recordings are cut at their
 * onsets, and each match says where its hit starts. The index ({@link LibraryIndex}) is kept on disk
 * and refreshed per changed file; a large library is searched through its HNSW graph.
 *
 * <p>Runs on the caller's thread, which owns the models for the command's lifetime.
 */
@Command(name = "similar", mixinStandardHelpOptions = true,
        description = "Finds the sounds in a library most similar to a file's hit.")
public final class SimilarCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the sound to match")
    Path file;

    @Option(names = "--library", required = true, paramLabel = "DIR", description = "folder of WAV, AIFF or FLAC sounds, searched recursively")
    Path library;

    @Option(names = "-n", defaultValue = "5", paramLabel = "N", description = "how many matches (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--json", description = "one JSON object: file, matches with file, onset (s) and distance")
    boolean json;

    @Option(names = {"--index", "--cache"}, paramLabel = "DIR",
            description = "index folder (default: " + LibraryIndex.FOLDER + " in the library, or under ~/.cache/latentkit if the library is read-only or under /usr, /opt and the like)")
    Path index;

    @Option(names = "--graph-from", paramLabel = "N", defaultValue = "" + LibraryIndex.DEFAULT_GRAPH_FROM,
            description = "search the HNSW graph from N hits, scan every point below (default ${DEFAULT-VALUE})")
    int graphFrom;

    @Option(names = "--models", paramLabel = "DIR", description = "folder with other model files (default: the shipped models)")
    Path modelsDir;

    @Spec
    CommandSpec spec;

    public SimilarCommand() {
        // picocli fills the fields.
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (graphFrom < 0) {
            err.println("similar: --graph-from must be at least 0");
            return 2;
        }
        if (n < 1) {
            err.println("similar: -n must be at least 1");
            return 2;
        }
        if (!Files.isDirectory(library)) {
            err.println("similar: --library " + library + " is not a folder");
            return 2;
        }
        Models models = modelsDir == null ? Models.loadDefault() : Models.loadOrUnavailable(modelsDir, 1);
        if (!models.isAvailable()) {
            err.println("similar: models unavailable: " + models.unavailableReason().orElse("unknown"));
            return modelsDir == null ? 1 : 2;
        }
        try (models) {
            DrumVae vae = models.vae();
            float[] query;
            try {
                query = queryLatent(vae, AudioFiles.readMono(file, models.spec().sampleRateHz()));
            } catch (BadAudioException e) {
                err.println("similar: " + file + ": " + e.getMessage());
                return 2;
            }
            Path folder = index != null ? index : LibraryIndex.defaultFolder(library);
            try (LibraryIndex lib = LibraryIndex.open(library, vae, folder, graphFrom)) {
                LibraryIndex.Stats stats = lib.stats();
                if (stats.rebuiltBecause() != null) {
                    err.println("similar: rebuilt the index in " + folder + ": " + stats.rebuiltBecause());
                }
                for (String skipped : stats.skipped()) {
                    err.println("similar: skipped " + skipped);
                }
                if (lib.size() == 0) {
                    err.println("similar: no sounds in " + library + " (looked for "
                            + String.join(", ", SimilarityIndex.EXTENSIONS) + "; " + stats.skipped().size()
                            + " files could not be used)");
                    return 2;
                }
                print(out, lib.nearest(query, n));
            }
            out.flush();
            return 0;
        } catch (BadAudioException e) {
            err.println("similar: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("similar: " + e.getMessage());
            return 2;
        } catch (ModelException | RuntimeException e) {
            err.println("similar: internal failure: " + e.getMessage());
            return 1;
        }
    }

    private void print(PrintWriter out, List<SimilarityIndex.Match> matches) throws IOException {
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("file", file.toString());
            ArrayNode arr = o.putArray("matches");
            for (SimilarityIndex.Match m : matches) {
                ObjectNode mo = arr.addObject();
                mo.put("file", library.resolve(m.file()).toString());
                mo.put("onset", Math.round(m.onsetSeconds() * 1e4) / 1e4);
                mo.put("distance", Math.round(m.distance() * 1e4) / 1e4);
            }
            out.println(mapper.writeValueAsString(o));
        } else {
            int rank = 1;
            for (SimilarityIndex.Match m : matches) {
                out.println(String.format(Locale.ROOT, "%d. %s @ %.3f s  distance %.3f", rank++,
                        library.resolve(m.file()), m.onsetSeconds(), m.distance()));
            }
        }
    }

    /** The latent mean of the file's first hit: the whole file if short, else from its first onset. */
    private static float[] queryLatent(DrumVae vae, float[] x) throws ModelException {
        int clip = vae.spec().clipSamples();
        if (x.length <= 1.5 * clip) {
            return vae.encode(x).mean();
        }
        int[] onsets = new OnsetDetector(vae.spec().sampleRateHz()).detect(x);
        // The same segmentation as the index: to the next onset, at most two clips long; a file in
        // which no onset is found is one sound from its start (encode says so if it is silent).
        int start = onsets.length > 0 ? onsets[0] : 0;
        int end = Math.min(onsets.length > 1 ? onsets[1] : x.length, start + 2 * clip);
        return vae.encode(x, start, end).mean();
    }
}
