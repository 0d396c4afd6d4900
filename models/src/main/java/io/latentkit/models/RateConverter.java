package io.latentkit.models;

/**
 * Sample-rate conversion for model input: a Kaiser-windowed sinc interpolator (32 zero crossings,
 * beta 8.6, cut-off at 0.95 of the lower Nyquist). Used only to bring files to the models' rate;
 * the engine's own resampler (engine.dsp.Resampler, issue in progress elsewhere) will replace it.
 *
 * <p>Stateless; any thread. Allocates the output.
 */
final class RateConverter {
    private static final int ZEROS = 32;
    private static final double BETA = 8.6;

    private RateConverter() {
    }

    static float[] convert(float[] in, int fromHz, int toHz) {
        if (fromHz == toHz) {
            return in.clone();
        }
        double ratio = (double) toHz / fromHz;
        int outLen = (int) Math.floor(in.length * ratio);
        float[] out = new float[outLen];
        double cutoff = 0.95 * Math.min(1.0, ratio); // relative to the input Nyquist
        double step = 1.0 / ratio;
        double halfWidth = ZEROS / cutoff;
        double i0Beta = bessel0(BETA);
        for (int j = 0; j < outLen; j++) {
            double centre = j * step;
            int lo = (int) Math.ceil(centre - halfWidth);
            int hi = (int) Math.floor(centre + halfWidth);
            double acc = 0;
            for (int i = Math.max(0, lo); i <= Math.min(in.length - 1, hi); i++) {
                double x = i - centre;
                double r = x / halfWidth;
                double w = bessel0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
                double a = Math.PI * cutoff * x;
                double sinc = a == 0 ? 1 : Math.sin(a) / a;
                acc += in[i] * cutoff * sinc * w;
            }
            out[j] = (float) acc;
        }
        return out;
    }

    private static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 30; k++) {
            term *= q / (k * k);
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }
}
