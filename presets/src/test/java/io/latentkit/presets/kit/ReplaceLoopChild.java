package io.latentkit.presets.kit;

import io.latentkit.core.DrumClass;
import io.latentkit.presets.LibraryFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link KitWriterTest}: writes kit {@code k} again and again with
 * {@link KitWriter} (replacing it each time), generation n in its title and in the level of its one
 * sample, printing {@code wrote n} after each commit returns. The parent kills it with SIGKILL.
 */
public final class ReplaceLoopChild {
    private ReplaceLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        KitWriter writer = new KitWriter(new LibraryFolder(Path.of(args[0])));
        System.out.println("start");
        System.out.flush();
        // Stops by itself if the parent is gone (its pipe closed), so no orphan keeps writing.
        for (int n = 1; !System.out.checkError(); n++) {
            try (KitWriter.Draft d = writer.begin("k")) {
                String f = d.addAudio("kick", KitWriterTest.audio(n));
                d.commit(KitManifest.of("k", new KitManifest.Source("test", null, "generation " + n),
                        Map.of(DrumClass.KICK, KitManifest.Instrument.of("kick", DrumClass.KICK,
                                List.of(KitManifest.Layer.of(0f, 1f, List.of(f)))))), true);
            }
            System.out.println("wrote " + n);
            System.out.flush();
        }
    }
}
