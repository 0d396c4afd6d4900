package io.latentkit.engine.control;

import io.latentkit.core.kit.Kit;

/**
 * Lets the render agent (another package) mark a {@link Stage} applied or rejected, without making
 * those mutators part of the stage's public face.
 *
 * <p>Threading: render thread only.
 */
public final class StageAccess {
    private StageAccess() {
    }

    /** The stage took effect at {@code frame}, replacing {@code replaced}. */
    public static void applied(Stage stage, long frame, Kit replaced) {
        stage.applied(frame, replaced);
    }

    /** The stage was refused as a whole at {@code frame}. */
    public static void rejected(Stage stage, long frame) {
        stage.rejected(frame);
    }
}
