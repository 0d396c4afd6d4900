package io.latentkit.extract;

import io.latentkit.models.Models;
import io.latentkit.presets.LibraryFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Batch mode: every recording of a folder becomes a kit of its own ({@code PREFIX + file stem}),
 * on a bounded pool of threads (one per core by default), each with its own models (ONNX
 * sessions are not shared between threads; each runs one intra-op thread). A recording that fails
 * is reported with its reason and the others go on.
 *
 * <p>{@link #run} on the caller's thread, which waits for the pool.
 */
public final class BatchExtractor {
    /**
     * One recording's outcome: its kit, or the reason it has none.
     *
     * <p>Immutable; any thread.
     */
    public record Outcome(Path file, String kit, ExtractJob.Result result, String error) {
    }

    private BatchExtractor() {
    }

    /** The sound files directly in {@code dir} (by name; what the decoder cannot read fails later, with its reason). */
    public static List<Path> recordings(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".wav") || n.endsWith(".aif") || n.endsWith(".aiff") || n.endsWith(".flac");
            }).sorted().toList();
        }
    }

    /** The kit name for {@code file}: {@code prefix} and the file name without its extension. */
    public static String kitName(String prefix, Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return prefix + (dot > 0 ? n.substring(0, dot) : n);
    }

    /**
     * Extracts each of {@code files} into kit {@link #kitName}{@code (prefix, file)} on
     * {@code threads} threads; the report of each, if {@code options.report()} is set, goes in a
     * sub-folder named after its kit.
     *
     * @param models makes one thread's models (called once per pool thread)
     * @param done called after each recording (on a pool thread) with how many are done
     */
    public static List<Outcome> run(List<Path> files, String prefix, ExtractJob.Options options, int threads,
            Supplier<Models> models, LibraryFolder kits, Progress done) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "latentkit-extract");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<Models> own = ThreadLocal.withInitial(models);
        List<Models> opened = new ArrayList<>();
        AtomicInteger finished = new AtomicInteger();
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> {
                    String kit = kitName(prefix, f);
                    Models m = own.get();
                    synchronized (opened) {
                        if (!opened.contains(m)) {
                            opened.add(m);
                        }
                    }
                    ExtractJob.Options o = options.report() == null ? options
                            : new ExtractJob.Options(options.method(), options.templates(), options.replace(),
                                    options.report().resolve(kit));
                    Outcome out;
                    try {
                        out = new Outcome(f, kit, ExtractJob.run(List.of(f), kit, o, m, kits, Progress.NONE), null);
                    } catch (ExtractionException e) {
                        out = new Outcome(f, kit, null, e.getMessage());
                    }
                    done.at(f.getFileName().toString(), (double) finished.incrementAndGet() / files.size());
                    return out;
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> fu : futures) {
                try {
                    outcomes.add(fu.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    outcomes.add(new Outcome(files.get(outcomes.size()), null, null, "internal failure: " + c));
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            synchronized (opened) {
                opened.forEach(Models::close);
            }
        }
    }
}
