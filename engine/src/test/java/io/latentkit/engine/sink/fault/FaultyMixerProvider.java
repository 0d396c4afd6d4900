package io.latentkit.engine.sink.fault;

import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/**
 * Test-scope Java Sound provider (registered in META-INF/services) offering one output device,
 * {@value FaultyMixer#NAME}, that the test can stall, make throw, or unplug ({@link FaultyMixer#fault}).
 * The sink under test finds it through the real {@code AudioSystem}; while it is unplugged it is not
 * listed at all, as a removed USB interface is not.
 */
public final class FaultyMixerProvider extends MixerProvider {
    @Override
    public Mixer.Info[] getMixerInfo() {
        return FaultyMixer.INSTANCE.present() ? new Mixer.Info[] {FaultyMixer.INFO} : new Mixer.Info[0];
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        if (FaultyMixer.INFO.equals(info) && FaultyMixer.INSTANCE.present()) {
            return FaultyMixer.INSTANCE;
        }
        throw new IllegalArgumentException("no such mixer: " + info);
    }
}
