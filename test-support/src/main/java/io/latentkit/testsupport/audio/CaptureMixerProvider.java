package io.latentkit.testsupport.audio;

import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/**
 * Test-scope Java Sound provider (registered in META-INF/services) offering one output device,
 * {@value CaptureMixer#NAME}, whose line records what is written to it, and one capture device,
 * {@value MicMixer#NAME}, whose line plays a signal the test sets, at real-time pace. They stand in
 * for the sound card this machine lacks; the sinks and sources under test find them through the
 * real {@code AudioSystem}.
 */
public final class CaptureMixerProvider extends MixerProvider {
    @Override
    public Mixer.Info[] getMixerInfo() {
        return new Mixer.Info[] {CaptureMixer.INFO, MicMixer.INFO};
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        if (CaptureMixer.INFO.equals(info)) {
            return CaptureMixer.INSTANCE;
        }
        if (MicMixer.INFO.equals(info)) {
            return MicMixer.INSTANCE;
        }
        throw new IllegalArgumentException("not a capture mixer: " + info);
    }
}
