package io.latentkit.extract;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.OnsetDetector;
import io.latentkit.core.dsp.Stft;
import io.latentkit.models.Classification;
import io.latentkit.models.DrumClassifier;
import io.latentkit.models.DrumVae;
import io.latentkit.models.FeatureSpec;
import io.latentkit.models.ModelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * latentkit's extraction: every hit is found by the offline onset detector (whose one STFT of the
 * recording also feeds the models' features, {@link HitFeatures}), cut and checked
 * ({@link Segmenter}), classified by the drum classifier, embedded by the VAE encoder (the
 * cleanest {@link #EMBED_PER_CLASS} of each class), and the pads are picked by
 * {@link KitChooser}. Several recordings pool their hits into one kit.
 *
 * <p>Classes: the classifier's twelve, one per pad; the three tom sizes are then re-ranked by
 * pitch within the extraction (the models' move to ten classes with a pitch-ranked tom is not on
 * main yet).
 *
 * <p>Not thread-safe: it uses the models it was given, which belong to one thread (the command
 * line's, or the server's loader thread). One instance per thread.
 */
public final class Extractor {
    /** Hits of one class embedded at most (the cleanest first): enough to cluster, bounded in time. */
    public static final int EMBED_PER_CLASS = 48;
    /** Onsets closer than this are one hit. */
    public static final double MIN_GAP_MS = 30.0;
    /**
     * The onset detector's threshold margin (in units of the recording's mean flux). 0.6 was
     * tried on the benchmark's tuning kits (hydrogen-drumkits 4 to 6 by pads filled): mean onset
     * F1 rose there from 0.86 to 0.90, but fell on the held-out kits 1 to 3 (more false onsets in
     * cymbal and tom tails), so it stays at 1.0.
     */
    public static final float ONSET_MARGIN = 1.0f;

    private final DrumClassifier classifier;
    private final DrumVae vae;
    private final FeatureSpec spec;

    public Extractor(DrumClassifier classifier, DrumVae vae) {
        this.classifier = classifier;
        this.vae = vae;
        this.spec = vae.spec();
    }

    /** The models' rate: recordings must be at it. */
    public int sampleRateHz() {
        return spec.sampleRateHz();
    }

    /**
     * Extracts from {@code recordings}.
     *
     * @throws ExtractionException BAD_INPUT (with the reason) when no recording holds a usable
     *     hit; INTERNAL when a model fails
     */
    public Extraction extract(List<Recording> recordings, Progress progress) throws ExtractionException {
        long onsetNs = 0;
        long cutNs = 0;
        long featureNs = 0;
        long classifyNs = 0;
        List<Hit> hits = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        HitFeatures features = new HitFeatures(spec);
        float[] logMel = new float[features.size()];
        Stft frameCount = new Stft(OnsetDetector.N_FFT, OnsetDetector.HOP);
        OnsetDetector detector = new OnsetDetector(spec.sampleRateHz(), MIN_GAP_MS, ONSET_MARGIN);
        double totalSeconds = 0;
        for (Recording r : recordings) {
            totalSeconds += r.seconds();
        }
        double doneSeconds = 0;
        List<String> empty = new ArrayList<>();
        for (int ri = 0; ri < recordings.size(); ri++) {
            Recording r = recordings.get(ri);
            if (r.sampleRateHz() != spec.sampleRateHz()) {
                throw new IllegalArgumentException("recording at " + r.sampleRateHz() + " Hz, models at " + spec.sampleRateHz());
            }
            float[] x = r.samples();
            samples.add(x);
            String silent = silence(x);
            if (silent != null) {
                empty.add(r.name() + ": " + silent);
                features.addEmpty(x);
                continue;
            }
            long t0 = System.nanoTime();
            int frames = frameCount.framesFor(x.length);
            float[] mag = new float[Math.max(0, frames) * (OnsetDetector.N_FFT / 2 + 1)];
            int[] onsets = detector.detect(x, mag);
            long t1 = System.nanoTime();
            onsetNs += t1 - t0;
            List<Hit> own = new ArrayList<>();
            for (int o : onsets) {
                own.add(new Hit(ri, o));
            }
            Segmenter.cut(x, spec.sampleRateHz(), Segmenter.envelope(x), own);
            long t2 = System.nanoTime();
            cutNs += t2 - t1;
            features.add(x, mag, frames);
            mag = null;
            long t3 = System.nanoTime();
            featureNs += t3 - t2;
            int usable = 0;
            for (int i = 0; i < own.size(); i++) {
                Hit h = own.get(i);
                if (!h.usable()) {
                    continue;
                }
                long a = System.nanoTime();
                if (!features.logMel(h, logMel)) {
                    h.reject("silent cut");
                    continue;
                }
                long b = System.nanoTime();
                featureNs += b - a;
                classify(h, logMel);
                classifyNs += System.nanoTime() - b;
                usable++;
                if ((i & 31) == 0) {
                    progress.at("classify", 0.8 * (doneSeconds + r.seconds() * i / own.size()) / totalSeconds);
                }
            }
            hits.addAll(own);
            if (onsets.length == 0) {
                empty.add(r.name() + ": no hits found (no onsets)");
            } else if (usable == 0) {
                empty.add(r.name() + ": none of its " + onsets.length + " hits is usable (" + reasons(own) + ")");
            }
            doneSeconds += r.seconds();
            progress.at("classify", 0.8 * doneSeconds / totalSeconds);
        }
        notes.addAll(empty);
        long embedNs = embed(hits, features, logMel, progress);
        long t5 = System.nanoTime();
        Map<DrumClass, PadChoice> pads = KitChooser.choose(hits, samples, spec.sampleRateHz());
        long chooseNs = System.nanoTime() - t5;
        progress.at("choose", 1.0);
        if (pads.isEmpty()) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "no usable hits: "
                    + String.join("; ", empty.isEmpty() ? List.of("every hit was rejected (" + reasons(hits) + ")") : empty));
        }
        if (pads.keySet().stream().anyMatch(c -> c.name().startsWith("TOM_"))) {
            notes.add("tom pads hold the toms in order of pitch (lowest on the lowest tom pad used)");
        }
        return new Extraction(ExtractMethod.LATENTKIT, List.copyOf(recordings), List.copyOf(hits), pads, List.copyOf(notes),
                new Extraction.Timings(onsetNs, cutNs, featureNs, classifyNs, embedNs, chooseNs));
    }

    private void classify(Hit h, float[] logMel) throws ExtractionException {
        Classification c;
        try {
            c = classifier.classifyLogMel(logMel);
        } catch (ModelException e) {
            throw new ExtractionException(ExtractionException.Kind.INTERNAL, "classifier failed: " + e.getMessage(), e);
        }
        float[] p = c.probabilities();
        h.drumClass = c.top();
        h.confidence = p[c.top().pad()];
        float second = 0f;
        for (int k = 0; k < p.length; k++) {
            if (k != c.top().pad()) {
                second = Math.max(second, p[k]);
            }
        }
        h.runnerUpProbability = second;
        // Doubt: a hit the classifier hesitates over is less likely to be what its class sounds like
        // alone (often two drums at once).
        h.penalty += 0.5f * (1f - h.confidence) + 0.5f * second / Math.max(h.confidence, 1e-6f);
    }

    /** Embeds the cleanest hits of each class; returns the nanoseconds spent in the encoder. */
    private long embed(List<Hit> hits, HitFeatures features, float[] logMel, Progress progress)
            throws ExtractionException {
        Map<DrumClass, List<Hit>> byClass = new LinkedHashMap<>();
        for (Hit h : hits) {
            if (h.usable() && h.drumClass != null) {
                byClass.computeIfAbsent(h.drumClass, k -> new ArrayList<>()).add(h);
            }
        }
        List<Hit> todo = new ArrayList<>();
        for (List<Hit> of : byClass.values()) {
            of.sort(Comparator.comparingDouble(Hit::penalty));
            todo.addAll(of.subList(0, Math.min(EMBED_PER_CLASS, of.size())));
        }
        long ns = 0;
        for (int i = 0; i < todo.size(); i++) {
            Hit h = todo.get(i);
            features.logMel(h, logMel);
            long a = System.nanoTime();
            try {
                h.latent = vae.encodeLogMel(logMel).mean();
            } catch (ModelException e) {
                throw new ExtractionException(ExtractionException.Kind.INTERNAL, "VAE encoder failed: " + e.getMessage(), e);
            }
            ns += System.nanoTime() - a;
            if ((i & 15) == 0) {
                progress.at("embed", 0.8 + 0.2 * i / todo.size());
            }
        }
        return ns;
    }

    /** Why a recording is silent, or {@code null}. */
    static String silence(float[] x) {
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (!Float.isFinite(peak)) {
            return "it contains NaN or infinite samples";
        }
        return peak < 1e-4f ? "silent: its peak level is below -80 dBFS" : null;
    }

    /** The rejection reasons of {@code hits}, counted: "overlapped ... x3, clipped ... x1". */
    static String reasons(List<Hit> hits) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Hit h : hits) {
            if (h.status == Hit.Status.REJECTED) {
                counts.merge(h.reason.replaceAll(":.*", ""), 1, Integer::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%d %s", v, k)));
        return parts.isEmpty() ? "none rejected" : String.join(", ", parts);
    }
}
