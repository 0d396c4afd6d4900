package io.latentkit.models.latent;

import java.util.ArrayList;
import java.util.List;

/**
 * One pad's latent state as the inference worker keeps it: whether the pad is latent, the four
 * corners of its morph square, their generation (bumped at every change, so that cached sounds and
 * the grid of older corners are never served), its position, how it got its current point, the
 * point of its current sound, and the grid being built for it.
 *
 * <p>Not thread-safe: the inference worker only. Other threads read the immutable
 * {@link LatentPadState} it publishes.
 */
final class LatentPad {
    final int pad;
    boolean latent;
    final String[] anchorNames = new String[4];
    final float[][] anchors = new float[4][];
    int generation;
    float x;
    float y;
    String mode = LatentPadState.XY;
    /** The point of the sound now live (or being made live), or {@code null}. */
    float[] z;
    /** Digest of the exact decode of {@link #z}, or -1 while only a blend is live. */
    long digest = -1;
    /** Morph: the pad it moves towards, the point it started from and the target's point. */
    int morphTarget = -1;
    float[] morphFrom;
    float[] morphTo;
    int morphGeneration;
    /** The exact decode owed after a grid blend was served: its cache key, or 0 for none. */
    long refineKey;
    float[] refineZ;
    long refineSeq;
    /** When the grid served this pad's last move ({@link System#nanoTime}); refinement waits for a pause. */
    long gridServedNanos;
    LatentGrid grid;

    LatentPad(int pad) {
        this.pad = pad;
    }

    /** Becomes latent with every corner at {@code home} (the encoding of the pad's own sample). */
    void becomeLatent(String homeName, float[] home) {
        latent = true;
        for (int i = 0; i < 4; i++) {
            anchorNames[i] = homeName;
            anchors[i] = home;
        }
        generation++;
        x = 0f;
        y = 0f;
        mode = LatentPadState.XY;
        z = home;
        digest = -1;
        morphTarget = -1;
        refineKey = 0;
        grid = null;
    }

    void setAnchor(int corner, String name, float[] point) {
        anchorNames[corner] = name;
        anchors[corner] = point;
        generation++;
        grid = null;
        refineKey = 0;
    }

    /** Back to the kit's sample: everything forgotten. */
    void clear() {
        latent = false;
        for (int i = 0; i < 4; i++) {
            anchorNames[i] = null;
            anchors[i] = null;
        }
        generation++;
        z = null;
        digest = -1;
        morphTarget = -1;
        morphFrom = null;
        morphTo = null;
        refineKey = 0;
        grid = null;
    }

    /** Takes over a preset's state. */
    void adopt(LatentPadState s, long exactDigest) {
        latent = true;
        for (int i = 0; i < 4; i++) {
            anchorNames[i] = s.anchors().get(i).sound();
            anchors[i] = s.anchors().get(i).z();
        }
        generation++;
        x = s.x();
        y = s.y();
        mode = s.mode();
        z = s.z();
        digest = exactDigest;
        morphTarget = -1;
        refineKey = 0;
        grid = null;
    }

    /** The state presets keep, or {@code null} when the pad is not latent. */
    LatentPadState state() {
        if (!latent) {
            return null;
        }
        List<LatentPadState.Anchor> as = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            as.add(new LatentPadState.Anchor(anchorNames[i], anchors[i]));
        }
        return new LatentPadState(pad, as, x, y, mode, z, digest);
    }
}
