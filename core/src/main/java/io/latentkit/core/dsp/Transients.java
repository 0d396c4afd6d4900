package io.latentkit.core.dsp;

/**
 * Where a drum sound's attack is: its onset (the first frame within 40 dB of the peak) and its peak
 * (the loudest frame over all channels). Drum samples are one hit, so the loudest frame is the
 * attack's.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Transients {
    /** The onset threshold relative to the peak: -40 dB. */
    public static final double ONSET_RELATIVE = 0.01;

    private Transients() {
    }

    /** Index of the largest absolute value over all channels (0 for silence or empty input). */
    public static int peakFrame(float[]... channels) {
        int best = 0;
        float max = -1f;
        for (float[] ch : channels) {
            for (int i = 0; i < ch.length; i++) {
                float a = Math.abs(ch[i]);
                if (a > max) {
                    max = a;
                    best = i;
                }
            }
        }
        return best;
    }

    /** The first frame whose absolute value (any channel) reaches 1% of the peak; 0 for silence. */
    public static int onsetFrame(float[]... channels) {
        float max = 0f;
        for (float[] ch : channels) {
            for (float v : ch) {
                max = Math.max(max, Math.abs(v));
            }
        }
        if (max == 0f) {
            return 0;
        }
        float threshold = (float) (max * ONSET_RELATIVE);
        int first = Integer.MAX_VALUE;
        for (float[] ch : channels) {
            for (int i = 0; i < ch.length && i < first; i++) {
                if (Math.abs(ch[i]) >= threshold) {
                    first = i;
                }
            }
        }
        return first == Integer.MAX_VALUE ? 0 : first;
    }

    /**
     * Attack sharpness: frames from 10% to 90% of the maximum of the 1 ms RMS envelope (summed
     * over channels), the envelope's first crossings of each level.
     */
    public static int riseFrames(int sampleRateHz, float[]... channels) {
        int len = channels[0].length;
        int w = Math.max(1, sampleRateHz / 1000);
        double[] env = new double[len];
        double sum = 0;
        double max = 0;
        for (int i = 0; i < len; i++) {
            for (float[] ch : channels) {
                sum += (double) ch[i] * ch[i];
                if (i >= w) {
                    sum -= (double) ch[i - w] * ch[i - w];
                }
            }
            env[i] = Math.sqrt(Math.max(0, sum) / w);
            max = Math.max(max, env[i]);
        }
        int t10 = -1;
        for (int i = 0; i < len; i++) {
            if (t10 < 0 && env[i] >= 0.1 * max) {
                t10 = i;
            }
            if (env[i] >= 0.9 * max) {
                return i - Math.max(0, t10);
            }
        }
        return 0;
    }
}
