package io.latentkit.presets.preset;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.nio.file.Path;

/**
 * Child process of {@link CrashDuringSaveTest}: loads preset {@code crash} (its generation n, 0 if
 * none), prints {@code start n}, then saves generations n+1, n+2, ... forever, printing
 * {@code saved k} after each save returns. The parent kills it with SIGKILL.
 */
public final class SaveLoopChild {
    private SaveLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        PresetStore store = new PresetStore(new LibraryFolder(Path.of(args[0])));
        int n = 0;
        try {
            n = CrashDuringSaveTest.generation(store.load("crash"));
        } catch (LibraryException e) {
            if (e.kind() != LibraryException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        System.out.println("start " + n);
        System.out.flush();
        // Stops by itself if the parent is gone (its pipe closed), so no orphan keeps saving.
        // An optional second argument bounds the loop (used to prepare a class-data archive).
        long limit = args.length > 1 ? n + Long.parseLong(args[1]) : Long.MAX_VALUE;
        while (!System.out.checkError() && n < limit) {
            n++;
            store.save("crash", CrashDuringSaveTest.preset(n));
            System.out.println("saved " + n);
            System.out.flush();
        }
    }
}
