package io.latentkit.testsupport.audio;

import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/**
 * Test-scope Java Sound provider (registered in META-INF/services) offering one output device,
 * {@value CaptureMixer#NAME}, whose line records what is written to it. It stands in for the sound
 * card this machine lacks; the sink under test finds it through the real {@code AudioSystem}.
 */
public final class CaptureMixerProvider extends MixerProvider {
    @Override
    public Mixer.Info[] getMixerInfo() {
        return new Mixer.Info[] {CaptureMixer.INFO};
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        if (CaptureMixer.INFO.equals(info)) {
            return CaptureMixer.INSTANCE;
        }
        throw new IllegalArgumentException("not a capture mixer: " + info);
    }
}
