package io.latentkit.engine.render;

import io.latentkit.engine.control.Telemetry;

/**
 * Output peak per channel since the previous report, reported through telemetry every few blocks
 * (about 50 times a second) with the number of sounding voices.
 *
 * <p>Threading: render thread only; allocation-free.
 */
final class PeakMeter {
    private final int everyBlocks;
    private float left;
    private float right;
    private int blocks;

    PeakMeter(int everyBlocks) {
        this.everyBlocks = Math.max(1, everyBlocks);
    }

    /** Measures one interleaved stereo block and reports when a report is due. */
    void measure(float[] interleaved, int frames, int voices, long frame, Telemetry telemetry) {
        float pl = left;
        float pr = right;
        for (int i = 0; i < frames; i++) {
            float a = Math.abs(interleaved[2 * i]);
            float b = Math.abs(interleaved[2 * i + 1]);
            if (a > pl) {
                pl = a;
            }
            if (b > pr) {
                pr = b;
            }
        }
        if (++blocks >= everyBlocks) {
            telemetry.publishMeter(pl, pr, voices, frame);
            pl = 0f;
            pr = 0f;
            blocks = 0;
        }
        left = pl;
        right = pr;
    }
}
