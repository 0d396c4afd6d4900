package io.latentkit.extract.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.extract.Extraction;
import io.latentkit.extract.Hit;
import io.latentkit.extract.PadChoice;
import io.latentkit.extract.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The extraction report in a folder: {@code report.json} (every hit: recording, onset time,
 * class, confidence, what became of it and why) and the pictures {@link Pictures} draws
 * ({@code waveform.png}, {@code pads.png}, {@code latent.png}). Each file is written to a
 * temporary name and renamed, so a reader never sees half of one.
 *
 * <p>Stateless; the caller's thread (file I/O).
 */
public final class ReportWriter {
    /** Version of report.json's layout. */
    public static final int VERSION = 1;

    private ReportWriter() {
    }

    /** Writes the report of {@code e} (whose kit is {@code kit}) into {@code dir}. */
    public static void write(Path dir, String kit, Extraction e) throws IOException {
        Files.createDirectories(dir);
        byte[] json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json(kit, e));
        atomically(dir.resolve("report.json"), json);
        atomically(dir.resolve("waveform.png"), Pictures.waveform(e));
        atomically(dir.resolve("pads.png"), Pictures.pads(e));
        atomically(dir.resolve("latent.png"), Pictures.latent(e));
    }

    /** The report as a JSON tree. */
    public static ObjectNode json(String kit, Extraction e) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("version", VERSION);
        root.put("kit", kit);
        root.put("method", e.method().cliName());
        ArrayNode recs = root.putArray("recordings");
        for (Recording r : e.recordings()) {
            ObjectNode o = recs.addObject();
            o.put("name", r.name());
            o.put("seconds", round(r.seconds(), 3));
        }
        ObjectNode pads = root.putObject("pads");
        for (PadChoice p : e.pads().values()) {
            ObjectNode o = pads.putObject(p.pad().oscName());
            o.put("recording", p.chosen().recording());
            o.put("onset_s", seconds(e, p.chosen()));
            o.put("layers", p.layers().size());
            o.put("alternates", p.alternates().size());
        }
        root.put("hits_found", e.hits().size());
        root.put("hits_kept", e.keptHits());
        root.put("hits_rejected", e.rejectedHits());
        ArrayNode notes = root.putArray("notes");
        e.notes().forEach(notes::add);
        ArrayNode hits = root.putArray("hits");
        for (Hit h : e.hits()) {
            ObjectNode o = hits.addObject();
            o.put("recording", h.recording());
            o.put("onset_s", seconds(e, h));
            o.put("end_s", round((double) h.end() / rate(e, h), 4));
            o.put("class", h.drumClass() == null ? null : h.drumClass().oscName());
            o.put("confidence", round(h.confidence(), 3));
            o.put("peak_dbfs", round(20 * Math.log10(Math.max(h.peak(), 1e-9)), 1));
            o.put("status", h.status().name().toLowerCase(Locale.ROOT));
            if (h.pad() != null) {
                o.put("pad", h.pad().oscName());
            }
            if (h.reason() != null) {
                o.put("reason", h.reason());
            }
            o.put("penalty", round(h.penalty(), 3));
            if (h.cluster() >= 0) {
                o.put("cluster", h.cluster());
            }
        }
        return root;
    }

    static double seconds(Extraction e, Hit h) {
        return round((double) h.onset() / rate(e, h), 4);
    }

    private static int rate(Extraction e, Hit h) {
        return e.recordings().get(h.recording()).sampleRateHz();
    }

    static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    static void atomically(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Unused hits never appear on the pads picture; this lists those that do. */
    static List<Hit> kept(Extraction e) {
        return e.hits().stream().filter(h -> h.pad() != null).toList();
    }
}
