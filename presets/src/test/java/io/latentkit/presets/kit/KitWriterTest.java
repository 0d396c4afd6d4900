package io.latentkit.presets.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;
import io.latentkit.presets.Fixtures;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@link KitWriter} on real files: a kit from decoded audio and copied files appears whole and
 * loads; taken names, replacement and removal; leftovers of a writer that died; and a child JVM
 * killed with SIGKILL while it replaces a kit again and again, after which the kit is always
 * exactly its old or its new version.
 */
class KitWriterTest {
    static final int RATE = 48_000;
    static final int KILLS = 12;

    @TempDir
    Path dir;

    LibraryFolder kits() {
        return new LibraryFolder(dir.resolve("kits"));
    }

    KitLibrary library() {
        return new KitLibrary(kits());
    }

    /** Generation {@code n}'s sound: 1000 frames at a level that names it. */
    static DecodedAudio audio(int n) {
        float[] x = new float[1000];
        Arrays.fill(x, level(n));
        return new DecodedAudio(new float[][] {x}, RATE);
    }

    static float level(int n) {
        return 0.001f * (n % 997 + 1);
    }

    static KitManifest manifest(String name, String title, Map<DrumClass, KitManifest.Instrument> pads) {
        return KitManifest.of(name, new KitManifest.Source("test", null, title), pads);
    }

    static KitManifest.Instrument one(String name, DrumClass c, String file) {
        return KitManifest.Instrument.of(name, c, List.of(KitManifest.Layer.of(0f, 1f, List.of(file))));
    }

    void write(String name, int generation, boolean replace) throws LibraryException {
        try (KitWriter.Draft d = new KitWriter(kits()).begin(name)) {
            String f = d.addAudio("kick", audio(generation));
            d.commit(manifest(name, "generation " + generation, Map.of(DrumClass.KICK, one("kick", DrumClass.KICK, f))),
                    replace);
        }
    }

    List<String> hidden() throws Exception {
        try (Stream<Path> s = Files.list(kits().root())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void decodedAudioAndCopiedFilesBecomeAKitThatListsAndLoadsLosslessly() throws Exception {
        float[] l = new float[3000];
        float[] r = new float[3000];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.sin(i * 0.01) * 0.7f;
            r[i] = (float) Math.cos(i * 0.013) * 0.3f;
        }
        DecodedAudio snare = new DecodedAudio(new float[][] {l, r}, 44_100);
        Path flac = Fixtures.kit("hydrogen-mini").resolve("snare_b.flac");
        KitWriter.Written w;
        try (KitWriter.Draft d = new KitWriter(kits()).begin("take 1")) {
            String s = d.addAudio("snare", snare);
            String s2 = d.addAudio("snare.wav", snare);
            String c = d.copyFile(flac);
            assertEquals("samples/snare.wav", s);
            assertEquals("samples/snare-2.wav", s2, "names are made unique");
            assertEquals("samples/snare_b.flac", c);
            w = d.commit(manifest("ignored", "take", Map.of(
                    DrumClass.SNARE, one("snare", DrumClass.SNARE, s).withGain(0.5f),
                    DrumClass.CLAP, one("clap", DrumClass.CLAP, c).withPitch(3f))), false);
        }
        assertEquals("take 1", w.manifest().name(), "the kit's own name wins");
        assertEquals(List.of("take 1"), library().list());
        assertEquals(List.of(), hidden(), "no staging folder left");
        assertArrayEquals(Files.readAllBytes(flac), Files.readAllBytes(w.folder().resolve("samples/snare_b.flac")));

        Kit kit = library().load("take 1", RATE);
        Sample loaded = kit.pad(DrumClass.SNARE).layer(0).sample(0);
        Sample direct = snare.toSample("direct", RATE);
        assertArrayEquals(direct.left(), loaded.left(), "the float WAV holds the decoded audio exactly");
        assertArrayEquals(direct.right(), loaded.right());
        assertEquals(0.5f, kit.pad(DrumClass.SNARE).gain());
        assertEquals(3f, kit.pad(DrumClass.CLAP).pitchSemitones());
        assertTrue(kit.pad(DrumClass.KICK).isEmpty());
    }

    @Test
    void aManifestNamingAFileTheDraftDoesNotHoldIsRefusedAndNothingAppears() throws Exception {
        try (KitWriter.Draft d = new KitWriter(kits()).begin("bad")) {
            d.addAudio("kick", audio(1));
            LibraryException e = assertThrows(LibraryException.class, () -> d.commit(manifest("bad", "t",
                    Map.of(DrumClass.KICK, one("kick", DrumClass.KICK, "samples/other.wav"))), false));
            assertEquals(LibraryException.Kind.BAD_INPUT, e.kind());
            assertEquals("kit 'bad': the manifest names 'samples/other.wav', which was not added", e.getMessage());
        }
        assertEquals(List.of(), library().list());
        assertEquals(List.of(), hidden(), "the closed draft left nothing behind");
        assertThrows(LibraryException.class, () -> new KitWriter(kits()).begin("../escape"));
    }

    @Test
    void aTakenNameIsRefusedUnlessReplacedAndRemoveTakesTheKitAway() throws Exception {
        write("k", 1, false);
        LibraryException taken = assertThrows(LibraryException.class, () -> write("k", 2, false));
        assertEquals(LibraryException.Kind.BAD_NAME, taken.kind());
        assertEquals("a kit named 'k' already exists (replace it with --force, or remove it first)", taken.getMessage());
        assertEquals("generation 1", library().manifest("k").source().title());
        write("k", 2, true);
        assertEquals("generation 2", library().manifest("k").source().title());
        assertEquals(level(2), library().load("k", RATE).pad(DrumClass.KICK).layer(0).sample(0).left()[0]);
        assertEquals(List.of(), hidden(), "the replaced kit was deleted");

        library().remove("k");
        assertEquals(List.of(), library().list());
        assertEquals(List.of(), hidden());
        LibraryException gone = assertThrows(LibraryException.class, () -> library().remove("k"));
        assertEquals(LibraryException.Kind.NOT_FOUND, gone.kind());
    }

    @Test
    void leftoversOfADeadWriterAreCleanedAndAKitItHadMovedAsideComesBack() throws Exception {
        write("kept", 1, false);
        write("replaced", 2, false);
        write("old", 1, false);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long dead = p.pid();
        Path root = kits().root();
        // A writer died after moving 'kept' aside, before its new version arrived; another after
        // the new 'replaced' arrived, before it deleted the old one; a third while staging.
        Files.move(root.resolve("kept"), root.resolve(".old-" + dead + "-1-kept"));
        Files.move(root.resolve("old"), root.resolve(".old-" + dead + "-3-replaced"));
        Files.createDirectories(root.resolve(".stage-" + dead + "-4/samples"));
        // A live writer's folders are left alone.
        long self = ProcessHandle.current().pid();
        Files.createDirectories(root.resolve(".stage-" + self + "-5"));

        assertEquals(List.of("kept"), new KitWriter(kits()).recover(), "the one put back");
        assertEquals(List.of("kept", "replaced"), library().list());
        assertEquals("generation 1", library().manifest("kept").source().title(), "put back");
        assertEquals("generation 2", library().manifest("replaced").source().title(), "the new version stays");
        assertEquals(List.of(".stage-" + self + "-5"), hidden());
    }

    @Test
    void aWriterKilledWhileReplacingAKitLeavesExactlyItsOldOrItsNewVersion() throws Exception {
        write("k", 0, false);
        Random random = new Random(21);
        int last = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(javaBin(), "-XX:TieredStopAtLevel=1", "-cp",
                    childClassPath(), ReplaceLoopChild.class.getName(), kits().root().toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("start", out.readLine());
            int reported = 0;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(400));
            while (System.nanoTime() < until) {
                if (out.ready()) {
                    String line = out.readLine();
                    if (line != null && line.startsWith("wrote ")) {
                        reported = Integer.parseInt(line.substring(6));
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
            child.toHandle().destroyForcibly();
            child.waitFor();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("wrote ")) {
                    reported = Integer.parseInt(line.substring(6));
                }
            }
            assertEquals(List.of("k"), library().list(), "after kill " + kill);
            KitManifest m = library().manifest("k");
            int g = Integer.parseInt(m.source().title().substring("generation ".length()));
            // Each child counts from 1; the kit is what it last reported, or the commit in flight
            // (or the previous child's last kit if this one wrote nothing).
            assertTrue(g == reported || g == reported + 1 || (reported == 0 && g == last), "kill " + kill
                    + ": generation " + g + ", child reported " + reported + ", before it " + last);
            assertEquals(level(g), library().load("k", RATE).pad(DrumClass.KICK).layer(0).sample(0).left()[0],
                    "the sample is the manifest's own generation");
            last = g;
        }
        assertEquals(List.of(), hidden(), "every leftover was cleaned up by the next writer or list");
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Just what the child needs: faster start-up than the test JVM's whole class path. */
    private static String childClassPath() {
        return String.join(File.pathSeparator, location(ReplaceLoopChild.class), location(KitWriter.class),
                location(DrumClass.class), location(AudioDecoder.class), location(ObjectMapper.class),
                location(JsonFactory.class), location(JsonProperty.class), location(LoggerFactory.class));
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
