package io.latentkit.extract.hitloop;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.extract.ExtractionException;
import io.latentkit.extract.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Hitloop's per-class templates: the window length is the shortest example of all classes (at
 * most {@link HitloopParameters#maxWindowSeconds()}), and a class's template is the mean, frame
 * by frame, of its examples' features over their first window ({@code create_sample_info}).
 *
 * <p>Immutable; any thread.
 */
public final class HitloopTemplates {
    /** One class's mean features. */
    record Template(DrumClass drumClass, double[] melDb, double[] contrast, double[] bandwidth) {
    }

    private final int windowSamples;
    private final Map<DrumClass, Template> templates;

    private HitloopTemplates(int windowSamples, Map<DrumClass, Template> templates) {
        this.windowSamples = windowSamples;
        this.templates = templates;
    }

    /** Templates from example hits per class (mono, at the parameters' rate). */
    public static HitloopTemplates of(Map<DrumClass, List<float[]>> examples, HitloopParameters p) {
        int window = (int) (p.maxWindowSeconds() * p.sampleRateHz());
        for (List<float[]> l : examples.values()) {
            for (float[] x : l) {
                window = Math.min(window, x.length);
            }
        }
        if (examples.isEmpty() || window < p.hop()) {
            throw new IllegalArgumentException("Hitloop needs example hits of at least " + p.hop() + " samples");
        }
        HitloopFeatures f = new HitloopFeatures(p);
        Map<DrumClass, Template> out = new EnumMap<>(DrumClass.class);
        for (Map.Entry<DrumClass, List<float[]>> e : examples.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            double[] mel = null;
            double[] con = null;
            double[] bw = null;
            for (float[] x : e.getValue()) {
                HitloopFeatures.Window w = f.of(x, 0, window);
                mel = add(mel, w.melDb());
                con = add(con, w.contrast());
                bw = add(bw, w.bandwidth());
            }
            int n = e.getValue().size();
            out.put(e.getKey(), new Template(e.getKey(), scale(mel, n), scale(con, n), scale(bw, n)));
        }
        return new HitloopTemplates(window, out);
    }

    /** Templates from the samples of a kit's pads (every layer and round-robin sample, left channel). */
    public static HitloopTemplates of(Kit kit, HitloopParameters p) {
        if (kit.sampleRateHz() != p.sampleRateHz()) {
            throw new IllegalArgumentException("kit at " + kit.sampleRateHz() + " Hz, Hitloop at " + p.sampleRateHz());
        }
        Map<DrumClass, List<float[]>> ex = new EnumMap<>(DrumClass.class);
        for (DrumClass c : DrumClass.values()) {
            Pad pad = kit.pad(c);
            for (int l = 0; l < pad.layerCount(); l++) {
                VelocityLayer layer = pad.layer(l);
                for (int i = 0; i < layer.roundRobinCount(); i++) {
                    Sample s = layer.sample(i);
                    ex.computeIfAbsent(c, k -> new ArrayList<>()).add(s.left());
                }
            }
        }
        return of(ex, p);
    }

    /**
     * Templates from Hitloop's own layout: a folder with one sub-folder per class, named by the
     * class ({@code kick/}, {@code snare/}, {@code hihat_closed/}, ...), of sound files.
     *
     * @throws ExtractionException BAD_INPUT for a sub-folder that names no class or a file that
     *     does not decode
     */
    public static HitloopTemplates fromFolder(Path dir, HitloopParameters p) throws ExtractionException {
        Map<DrumClass, List<float[]>> ex = new EnumMap<>(DrumClass.class);
        try (Stream<Path> classes = Files.list(dir)) {
            for (Path sub : (Iterable<Path>) classes.sorted()::iterator) {
                if (!Files.isDirectory(sub)) {
                    continue;
                }
                DrumClass c = DrumClass.fromName(sub.getFileName().toString());
                if (c == null) {
                    throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "templates: folder '"
                            + sub.getFileName() + "' names no drum class");
                }
                try (Stream<Path> files = Files.list(sub)) {
                    for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                        if (Files.isRegularFile(f)) {
                            ex.computeIfAbsent(c, k -> new ArrayList<>()).add(Recording.read(f, p.sampleRateHz()).samples());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "templates: cannot read " + dir + ": "
                    + e.getMessage(), e);
        }
        if (ex.isEmpty()) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "templates: " + dir
                    + " has no class folders of example hits");
        }
        return of(ex, p);
    }

    /** Window length, samples. */
    public int windowSamples() {
        return windowSamples;
    }

    /** The classes there are templates for. */
    public List<DrumClass> classes() {
        return List.copyOf(templates.keySet());
    }

    /**
     * Hitloop's summed cosine distance of a window to class {@code c}'s template: mel spectrogram
     * plus spectral contrast plus spectral bandwidth, each flattened.
     */
    public double distance(DrumClass c, HitloopFeatures.Window w) {
        Template t = templates.get(c);
        return HitloopFeatures.cosineDistance(w.melDb(), t.melDb()) + HitloopFeatures.cosineDistance(w.contrast(), t.contrast())
                + HitloopFeatures.cosineDistance(w.bandwidth(), t.bandwidth());
    }

    private static double[] add(double[] acc, double[] v) {
        if (acc == null) {
            return v.clone();
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] += v[i];
        }
        return acc;
    }

    private static double[] scale(double[] v, int n) {
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
        return v;
    }
}
