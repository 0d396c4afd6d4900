package io.latentkit.models.latent;

import io.latentkit.core.DrumClass;

/**
 * The names {@code /latent/anchor} takes for a sound: {@code random} (a point drawn from the
 * prior), {@code pad:N} or {@code pad:CLASS} (a pad's current sound: its point if latent, else the
 * encoding of its sample), or the name of a sound in the library's {@code sounds/} folder.
 *
 * <p>Stateless; any thread.
 */
public final class LatentSounds {
    private LatentSounds() {
    }

    /** Whether {@code s} is a sound name of one of the three forms (the library may still lack it). */
    public static boolean isSoundName(String s) {
        if ("random".equals(s)) {
            return true;
        }
        if (s != null && s.startsWith("pad:")) {
            try {
                padOf(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return LatentLibrary.isPlainName(s);
    }

    /** The pad of {@code pad:N} or {@code pad:CLASS}. */
    public static int padOf(String s) {
        String p = s.substring("pad:".length());
        try {
            int n = Integer.parseInt(p);
            if (n >= 0 && n < DrumClass.COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            for (DrumClass c : DrumClass.values()) {
                if (c.oscName().equals(p)) {
                    return c.pad();
                }
            }
        }
        throw new IllegalArgumentException("'" + s + "' names no pad (pad:0..pad:" + (DrumClass.COUNT - 1)
                + " or pad:CLASS)");
    }
}
