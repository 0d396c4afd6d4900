package io.latentkit.models;

import io.latentkit.core.dsp.FastMath;
import io.latentkit.core.kit.Sample;
import java.nio.FloatBuffer;

/**
 * The drum VAE: a log-mel encoder to a {@code latentSize}-d Gaussian, and a decoder from a latent
 * point to a full-resolution log-magnitude spectrogram at 48 kHz (513 bins x 128 frames), which
 * {@link PhaseReconstructor} turns back into a 48 kHz waveform.
 *
 * <p>Not thread-safe (owns session buffers, the preparer and the reconstructor's scratch);
 * confined to the inference worker in the server, or the caller's thread in the CLI.
 */
public final class DrumVae implements AutoCloseable {
    public static final String ENCODER_FILE = "vae_encoder.onnx";
    public static final String DECODER_FILE = "vae_decoder.onnx";
    /**
     * Fast Griffin-Lim iterations used by {@link #decode}: the fewest that still converge further
     * (spectral convergence) than SampleVAE's 10 zero-phase Griffin-Lim iterations on VAE decodes as
     * well as on real hits (7 do not on decodes); see {@code PhaseQualitySweep} and REPORT.md. Whether
     * decode plus these iterations fits the 15 ms budget is measured by {@code ModelLatencyBenchmark}.
     */
    public static final int DEFAULT_ITERATIONS = 8;

    /** Where fast Griffin-Lim starts: see {@link PhaseReconstructor}. */
    public enum PhaseStart {
        /** Each bin's phase advancing at its centre frequency: costs nothing; the live default. */
        PHASE_VOCODER,
        /**
         * Phase-gradient heap integration: about 3 ms more per sound on one core, worth about four
         * iterations; with many iterations it converges further in the same time (the CLI's choice).
         */
        PGHI
    }

    private final FeatureSpec spec;
    private final OnnxModel encoder;
    private final OnnxModel decoder;
    private final ClipPreparer preparer;
    private final PhaseReconstructor reconstructor;
    private final float[] logMel;
    private final float[] magnitude;
    /** The decoder's raw [bin][frame] log-magnitudes, copied out of the output buffer in one bulk get. */
    private final float[] decoded;
    /**
     * Fade-out over the last {@code fadeSamples} of every decoded sound: the square of the clip
     * preparation's half-Hann, so that the last 5 ms lie at least 60 dB under any level before it.
     */
    private final float[] fade;
    private final LatentPrior prior;

    DrumVae(OnnxModel encoder, OnnxModel decoder, FeatureSpec spec) throws ModelLoadException {
        String a = encoder.metadata().get("training_data_digest");
        String b = decoder.metadata().get("training_data_digest");
        if (!a.equals(b) || !encoder.metadata().get("version").equals(decoder.metadata().get("version"))) {
            throw new ModelLoadException(ENCODER_FILE + " and " + DECODER_FILE + " come from different trainings");
        }
        this.spec = spec;
        this.encoder = encoder;
        this.decoder = decoder;
        this.preparer = new ClipPreparer(spec);
        this.reconstructor = new PhaseReconstructor(spec.nFft(), spec.hop(), spec.clipFrames(), spec.clipSamples());
        this.logMel = new float[preparer.logMelSize()];
        this.magnitude = new float[spec.clipFrames() * spec.bins()];
        this.decoded = new float[spec.clipFrames() * spec.bins()];
        this.fade = new float[spec.fadeSamples()];
        for (int i = 0; i < fade.length; i++) {
            double g = 0.5 + 0.5 * Math.cos(Math.PI * i / fade.length);
            fade[i] = (float) (g * g);
        }
        String p = decoder.metadata().get(LatentPrior.KEY);
        this.prior = p == null ? LatentPrior.standardNormal(spec.latentSize())
                : LatentPrior.parse(p, spec.latentSize(), DECODER_FILE);
    }

    /**
     * Where random points come from: the mixture fitted to the training sounds' encodings that the
     * decoder's metadata carries (the standard normal for a decoder without one).
     */
    public LatentPrior prior() {
        return prior;
    }

    static DrumVae open(byte[] encoderBytes, byte[] decoderBytes, int threads, FeatureSpec spec)
            throws ModelLoadException {
        long[] in = {1, spec.melBands(), spec.clipFrames()};
        OnnxModel enc = OnnxModel.open(ENCODER_FILE, encoderBytes, "vae_encoder", in,
                new long[][] {{1, spec.latentSize()}, {1, spec.latentSize()}}, threads, spec);
        OnnxModel dec;
        try {
            dec = OnnxModel.open(DECODER_FILE, decoderBytes, "vae_decoder", new long[] {1, spec.latentSize()},
                    new long[][] {{1, spec.bins(), spec.clipFrames()}}, threads, spec);
        } catch (ModelLoadException e) {
            enc.close();
            throw e;
        }
        try {
            return new DrumVae(enc, dec, spec);
        } catch (ModelLoadException e) {
            enc.close();
            dec.close();
            throw e;
        } catch (RuntimeException e) {
            // The transforms could not be made (an invalid latentkit.fft, FFTW failing to plan).
            enc.close();
            dec.close();
            throw new ModelLoadException(DECODER_FILE + ": phase reconstruction: " + e.getMessage(), e);
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    public int latentSize() {
        return spec.latentSize();
    }

    public OnnxModel encoderModel() {
        return encoder;
    }

    public OnnxModel decoderModel() {
        return decoder;
    }

    public PhaseReconstructor reconstructor() {
        return reconstructor;
    }

    /** Encodes one hit (mono, at the model rate). */
    public Latent encode(float[] samples) throws ModelException {
        return encode(samples, 0, samples.length);
    }

    /** Encodes {@code samples[from, to)} (mono, at the model rate). */
    public Latent encode(float[] samples, int from, int to) throws ModelException {
        preparer.prepare(samples, from, to, logMel);
        return encodeLogMel(logMel);
    }

    /** Encodes a precomputed log-mel (band-major). */
    public Latent encodeLogMel(float[] logMelBandMajor) throws ModelException {
        FloatBuffer in = encoder.input();
        in.clear();
        in.put(logMelBandMajor, 0, logMel.length);
        encoder.run();
        float[] mean = new float[spec.latentSize()];
        float[] logVar = new float[spec.latentSize()];
        encoder.output(0).get(0, mean);
        encoder.output(1).get(0, logVar);
        return new Latent(mean, logVar);
    }

    /**
     * Decodes a latent point to frame-major linear magnitudes ({@code frames * bins}) in
     * {@code magOut}; allocation-free.
     */
    public void decodeMagnitude(float[] z, float[] magOut) throws ModelException {
        if (z.length != spec.latentSize()) {
            throw new IllegalArgumentException("latent size " + z.length + ", model takes " + spec.latentSize());
        }
        for (float v : z) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("latent point has a non-finite coordinate");
            }
        }
        FloatBuffer in = decoder.input();
        in.clear();
        in.put(z);
        decoder.run();
        final float[] raw = decoded;
        decoder.output(0).get(0, raw);
        final int bins = spec.bins();
        final int frames = spec.clipFrames();
        final float floor = spec.logFloor();
        // The model writes [bin][frame]; the reconstructor wants [frame][bin]: transposed in blocks
        // of 16 bins so that the writes of a frame stay in one cache line.
        for (int k0 = 0; k0 < bins; k0 += 16) {
            final int k1 = Math.min(bins, k0 + 16);
            for (int t = 0; t < frames; t++) {
                final int row = t * bins;
                for (int k = k0; k < k1; k++) {
                    // exp of a log-magnitude (OnnxModel.run has already refused non-finite output);
                    // clamped so that a wild but finite output cannot overflow.
                    float v = FastMath.exp(Math.min(raw[k * frames + t], 12f)) - floor;
                    magOut[row + k] = v > 0f ? v : 0f;
                }
            }
        }
    }

    /**
     * Decodes a latent point to a 48 kHz waveform, peak-normalised to 0.9, its last
     * {@code fadeSamples} faded out (so it ends in silence, never with a click).
     */
    public float[] decode(float[] z) throws ModelException {
        return decode(z, DEFAULT_ITERATIONS);
    }

    /**
     * Decodes to an engine {@link Sample} at the model rate (48 kHz, the engine rate), ready to be
     * handed to the render thread through the control ring.
     */
    public Sample decodeSample(String name, float[] z) throws ModelException {
        return Sample.mono(name, decode(z), spec.sampleRateHz());
    }

    /** Decodes with a chosen number of fast Griffin-Lim iterations from the phase-vocoder start. */
    public float[] decode(float[] z, int iterations) throws ModelException {
        return decode(z, iterations, PhaseStart.PHASE_VOCODER);
    }

    /** Decodes with a chosen start and number of fast Griffin-Lim iterations. */
    public float[] decode(float[] z, int iterations, PhaseStart start) throws ModelException {
        float[] out = new float[spec.clipSamples()];
        decodeInto(z, iterations, start, out);
        return out;
    }

    /** Decodes from the phase-vocoder start into {@code out}; allocation-free apart from the model. */
    public void decodeInto(float[] z, int iterations, float[] out) throws ModelException {
        decodeInto(z, iterations, PhaseStart.PHASE_VOCODER, out);
    }

    /** Decodes into {@code out} ({@code clipSamples} long); allocation-free apart from the model. */
    public void decodeInto(float[] z, int iterations, PhaseStart start, float[] out) throws ModelException {
        decodeMagnitude(z, magnitude);
        if (start == PhaseStart.PGHI) {
            reconstructor.pghiFastGriffinLim(magnitude, iterations, out);
        } else {
            reconstructor.fastGriffinLim(magnitude, iterations, out);
        }
        float peak = 0f;
        for (float v : out) {
            if (!Float.isFinite(v)) {
                throw new NonFiniteOutputException("phase reconstruction produced a non-finite sample");
            }
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0f) {
            float g = 0.9f / peak;
            for (int i = 0; i < out.length; i++) {
                out[i] *= g;
            }
        }
        // The decoder was trained on clips that end in this fade; phase reconstruction leaves a
        // little energy there, and a sound must never end with a step.
        int f0 = out.length - fade.length;
        for (int i = 0; i < fade.length; i++) {
            out[f0 + i] *= fade[i];
        }
    }

    /** The magnitudes of the last decode, frame-major; do not write. */
    public float[] lastMagnitude() {
        return magnitude;
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
        reconstructor.close();
        preparer.close();
    }
}
