package io.latentkit.engine.control;

/**
 * The render thread's side of a clock: told the frame and the wall time at the start of every
 * block.
 *
 * <p>Threading: render thread only; allocation-free.
 */
public interface FrameCounter {
    void advance(long blockStartFrame, long nanoTime);
}
