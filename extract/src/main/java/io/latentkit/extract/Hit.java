package io.latentkit.extract;

import io.latentkit.core.DrumClass;

/**
 * One hit found in a recording and what became of it: where it starts and ends, how clean it is,
 * its class, its place in latent space, and whether it went into the kit (and as what) or why
 * not. The extraction fills it step by step; the report reads it.
 *
 * <p>Mutable; owned by the extracting thread, then read-only once the extraction is returned.
 */
public final class Hit {
    /** What became of a hit. */
    public enum Status {
        /** The pad's sound. */
        CHOSEN,
        /** A velocity layer of its pad (its level differs from the chosen hit's). */
        LAYER,
        /** Kept in the kit as an alternate (a runner-up a performer can swap in). */
        ALTERNATE,
        /** Usable but not kept (the kit has better hits of its class). */
        UNUSED,
        /** Not usable: {@link #reason()} says why. */
        REJECTED
    }

    final int recording;
    final int onset;
    int start;
    int end;
    float peak;
    float preDb = -120f;
    float decayDb;
    boolean cutByNext;
    DrumClass drumClass;
    float confidence;
    float runnerUpProbability;
    float[] latent;
    int cluster = -1;
    float penalty;
    Status status = Status.UNUSED;
    String reason;
    DrumClass pad;

    Hit(int recording, int onset) {
        this.recording = recording;
        this.onset = onset;
        this.start = onset;
        this.end = onset;
    }

    /** Index of its recording among those extracted from. */
    public int recording() {
        return recording;
    }

    /** The onset the detector found, in samples from the recording's start. */
    public int onset() {
        return onset;
    }

    /** First sample of the cut (the onset). */
    public int start() {
        return start;
    }

    /** End of the cut (exclusive): where it decayed or the next hit began. */
    public int end() {
        return end;
    }

    /** Peak level, linear full scale. */
    public float peak() {
        return peak;
    }

    /** Level of what sounded just before the onset, in dB relative to the hit's peak. */
    public float preDb() {
        return preDb;
    }

    /** How far the hit had decayed at its end, in dB below its peak. */
    public float decayDb() {
        return decayDb;
    }

    /** Whether the next hit ended it before it decayed. */
    public boolean cutByNext() {
        return cutByNext;
    }

    /** Its class, or {@code null} if it was rejected before classification. */
    public DrumClass drumClass() {
        return drumClass;
    }

    /** The classifier's probability of {@link #drumClass()}. */
    public float confidence() {
        return confidence;
    }

    /** Its VAE latent mean, or {@code null} if it was not embedded. */
    public float[] latent() {
        return latent;
    }

    /** Its cluster within its class, or -1. */
    public int cluster() {
        return cluster;
    }

    /** How unclean it is (overlap, cut, ambiguity): 0 is a clean, unambiguous hit. */
    public float penalty() {
        return penalty;
    }

    public Status status() {
        return status;
    }

    /** Why it was rejected or not kept, or {@code null}. */
    public String reason() {
        return reason;
    }

    /** The pad it went to (chosen, layer, or alternate), or {@code null}. */
    public DrumClass pad() {
        return pad;
    }

    void reject(String why) {
        status = Status.REJECTED;
        reason = why;
    }

    /** Whether it is still a candidate for the kit. */
    boolean usable() {
        return status != Status.REJECTED;
    }
}
