package io.latentkit.presets.kit;

import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the engine {@link Kit} a manifest describes, at the engine's rate: every sample decoded
 * once per gain and pitch, its part's pitch baked in by band-limited resampling and its gain by
 * scaling, then the pads' strikes, velocity layers (cycling or random) and parameters set,
 * {@code offBy} included.
 *
 * <p>Loader thread only (file I/O, decoding, resampling).
 */
final class KitAssembler {
    private final Path dir;
    private final String kitName;
    private final int rateHz;
    private final Map<String, Sample> cache = new HashMap<>();

    KitAssembler(Path dir, String kitName, int rateHz) {
        this.dir = dir;
        this.kitName = kitName;
        this.rateHz = rateHz;
    }

    Kit assemble(KitManifest m) throws LibraryException {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (DrumClass c : DrumClass.values()) {
            KitManifest.Instrument in = m.pads().get(c.oscName());
            pads[c.ordinal()] = in == null ? new Pad(c) : pad(c, in);
        }
        return new Kit(kitName, rateHz, pads);
    }

    private Pad pad(DrumClass c, KitManifest.Instrument in) throws LibraryException {
        List<VelocityLayer> layers = new ArrayList<>();
        for (KitManifest.Layer l : in.layers()) {
            Strike[] strikes = new Strike[l.strikes().size()];
            float[] chances = new float[strikes.length];
            for (int i = 0; i < strikes.length; i++) {
                KitManifest.Strike s = l.strikes().get(i);
                Sample[] samples = new Sample[s.parts().size()];
                float[] pans = new float[samples.length];
                for (int k = 0; k < samples.length; k++) {
                    KitManifest.Part p = s.parts().get(k);
                    samples[k] = sample(p.file(), p.gain(), p.pitch());
                    pans[k] = clamp(p.pan(), -1f, 1f);
                }
                strikes[i] = new Strike(samples, pans);
                chances[i] = s.chance() == null ? 1f : s.chance();
            }
            float min = clamp(l.min(), 0f, 1f);
            float max = Math.max(min, clamp(l.max(), 0f, 1f));
            layers.add(l.random() ? VelocityLayer.random(min, max, chances, strikes)
                    : VelocityLayer.cycling(min, max, strikes));
        }
        Pad p = new Pad(c, layers.toArray(new VelocityLayer[0]));
        p.set(PadParam.GAIN, in.gain());
        p.set(PadParam.PAN, in.pan());
        p.set(PadParam.CHOKE, in.choke());
        p.set(PadParam.PITCH, in.pitch());
        p.set(PadParam.MUTE, in.mute() ? 1f : 0f);
        if (in.offBy() != null) {
            p.offBy((int) PadParam.CHOKE.clamp(in.offBy()));
        }
        return p;
    }

    private Sample sample(String rel, float gain, float pitch) throws LibraryException {
        String key = rel + "|" + gain + "|" + pitch;
        Sample s = cache.get(key);
        if (s != null) {
            return s;
        }
        Path file = LibraryFolder.resolveInside(dir, rel);
        DecodedAudio a;
        try {
            a = AudioDecoder.decode(file);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, "kit '" + kitName + "': " + e.getMessage(), e);
        }
        // Pitch is baked in by resampling from a pretended source rate: a sample played p
        // semitones up lasts 2^(-p/12) as long.
        double shifted = a.sampleRateHz() * Math.pow(2, pitch / 12.0);
        int fromHz = (int) Math.round(Math.max(1000, Math.min(1_536_000, shifted)));
        DecodedAudio src = fromHz == a.sampleRateHz() ? a : new DecodedAudio(channels(a), fromHz);
        s = src.toSample(kitName + "/" + rel, rateHz);
        if (gain != 1f) {
            s = s.scaled(gain);
        }
        cache.put(key, s);
        return s;
    }

    private static float[][] channels(DecodedAudio a) {
        float[][] c = new float[a.channelCount()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = a.channel(i);
        }
        return c;
    }

    private static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
