package io.latentkit.extract;

import io.latentkit.core.DrumClass;
import java.util.List;
import java.util.Map;

/**
 * What an extraction found: every hit with what became of it, the pads chosen, notes for the
 * report (a recording that gave nothing, how toms were ranked) and where the time went.
 *
 * <p>Immutable once returned (its hits are no longer written); any thread.
 *
 * @param method which method found the hits
 * @param recordings the recordings, in the order their index in {@link Hit#recording()} refers to
 * @param hits every hit, by recording then onset
 * @param pads the pads filled
 * @param notes what a reader should know, one line each
 */
public record Extraction(ExtractMethod method, List<Recording> recordings, List<Hit> hits,
        Map<DrumClass, PadChoice> pads, List<String> notes, Timings timings) {

    /**
     * Nanoseconds per step, summed over the recordings.
     *
     * <p>Immutable; any thread.
     *
     * @param onsetNanos the STFT of the recording and the onset function
     * @param cutNanos cutting and checking the hits
     * @param featureNanos the mel spectrogram and each hit's log-mel
     * @param classifyNanos the classifier
     * @param embedNanos the VAE encoder
     * @param chooseNanos clustering and choosing
     */
    public record Timings(long onsetNanos, long cutNanos, long featureNanos, long classifyNanos, long embedNanos,
            long chooseNanos) {
        /** All steps. */
        public long totalNanos() {
            return onsetNanos + cutNanos + featureNanos + classifyNanos + embedNanos + chooseNanos;
        }
    }

    /** Hits in the kit (chosen, layers, alternates). */
    public long keptHits() {
        return hits.stream().filter(h -> h.status() != Hit.Status.UNUSED && h.status() != Hit.Status.REJECTED).count();
    }

    /** Hits rejected. */
    public long rejectedHits() {
        return hits.stream().filter(h -> h.status() == Hit.Status.REJECTED).count();
    }
}
