package io.latentkit.perf.compare;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixturesTest {
    @TempDir
    Path dir;

    @Test
    void sf2IsReadByTheJdkWithTwelveInstrumentsAndThreePresets() throws Exception {
        Path sf2 = dir.resolve("k.sf2");
        Fixtures.defaultKit(0.25).writeSf2(sf2, 0);
        Soundbank bank = MidiSystem.getSoundbank(sf2.toFile());
        assertEquals(3, bank.getInstruments().length, "presets");
        // Gervill lists SF2 instruments ("layers") and samples as resources: 12 of each.
        assertEquals(24, bank.getResources().length, "layers + samples");
    }

    @Test
    void wavIsReadByJavaSoundAtTheFixtureLength() throws Exception {
        Path wav = dir.resolve("s.wav");
        Fixtures fx = Fixtures.defaultKit(0.25);
        fx.writeWav(3, wav);
        try (var in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertEquals(fx.frames(), in.getFrameLength());
            assertEquals(48_000f, in.getFormat().getSampleRate());
        }
    }

    @Test
    void midiScoreHasOneNoteOnPerSlotAndPeriodAndNoOverlapOnAKey() throws Exception {
        Score score = new Score(64, 48_000 * 3, 48_000);
        Path mid = dir.resolve("s.mid");
        MidiScore.write(mid, score, 48_000);
        Sequence seq = MidiSystem.getSequence(mid.toFile());
        Track t = seq.getTracks()[0];
        int ons = 0;
        long[] lastOn = new long[16 * 128];
        Arrays.fill(lastOn, -1);
        for (int i = 0; i < t.size(); i++) {
            MidiEvent e = t.get(i);
            if (e.getMessage() instanceof ShortMessage m && m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) {
                int k = m.getChannel() * 128 + m.getData1();
                assertTrue(m.getChannel() != 9, "never the drum channel");
                assertTrue(lastOn[k] < 0 || e.getTick() - lastOn[k] >= 1000, "a key restarts only after its note");
                lastOn[k] = e.getTick();
                ons++;
            }
        }
        assertEquals(score.notes(), ons);
        assertEquals(16 * 3, ons);
    }

    @Test
    void synthDefHasTheScgfHeaderAndOneDefNamedLkplay() {
        ByteBuffer b = ByteBuffer.wrap(ScsynthFiles.synthDef());
        byte[] magic = new byte[4];
        b.get(magic);
        assertEquals("SCgf", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(2, b.getInt());
        assertEquals(1, b.getShort());
        byte[] name = new byte[b.get()];
        b.get(name);
        assertEquals(ScsynthFiles.DEF, new String(name, StandardCharsets.US_ASCII));
    }

    @Test
    void nrtScoreIsASequenceOfSizePrefixedBundlesEndingAtTheScoreEnd() throws Exception {
        Score score = new Score(8, 48_000, 24_000);
        List<Path> wavs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            wavs.add(dir.resolve("s" + i + ".wav"));
        }
        Path osc = dir.resolve("score.osc");
        ScsynthFiles.writeScore(osc, score, wavs, 48_000, 0);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(osc));
        int bundles = 0;
        long lastTag = -1;
        while (b.hasRemaining()) {
            int n = b.getInt();
            byte[] bundle = new byte[n];
            b.get(bundle);
            assertEquals("#bundle", new String(bundle, 0, 7, StandardCharsets.US_ASCII));
            long tag = ByteBuffer.wrap(bundle, 8, 8).getLong();
            assertTrue(tag >= lastTag, "bundles in time order");
            lastTag = tag;
            bundles++;
        }
        assertEquals(1 + score.notes() + 1, bundles);
        assertEquals(1L << 32, lastTag, "last bundle at 1.0 s");
    }

    @Test
    void voicesAtLoadInterpolatesAndMarksExtrapolation() {
        double[] in = Stats.voicesAtLoad(new int[] {100, 200}, new double[] {0.5, 0.9}, 0.7);
        assertEquals(150, in[0], 1e-9);
        assertEquals(0, in[1]);
        double[] above = Stats.voicesAtLoad(new int[] {100, 200}, new double[] {0.1, 0.2}, 0.7);
        assertEquals(700, above[0], 1e-9);
        assertEquals(1, above[1]);
    }

    @Test
    void pitchedSf2TunesEveryZoneByCoarseAndFineGenerators() throws Exception {
        Path sf2 = dir.resolve("p.sf2");
        Fixtures.defaultKit(0.25).writeSf2(sf2, -3.25);
        byte[] b = Files.readAllBytes(sf2);
        int at = indexOf(b, "igen".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer igen = ByteBuffer.wrap(b, at + 8, ByteBuffer.wrap(b, at + 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN).getInt()).order(ByteOrder.LITTLE_ENDIAN);
        int coarse = 0;
        int fine = 0;
        while (igen.remaining() >= 4) {
            int oper = igen.getShort();
            int amount = igen.getShort();
            if (oper == 51) {
                assertEquals(-3, amount, "coarseTune semitones");
                coarse++;
            } else if (oper == 52) {
                assertEquals(-25, amount, "fineTune cents");
                fine++;
            }
        }
        assertEquals(12, coarse);
        assertEquals(12, fine);
        assertEquals(3, MidiSystem.getSoundbank(sf2.toFile()).getInstruments().length, "still a valid bank");
    }

    @Test
    void pitchedScoreRestartsSlotsAfterThePlayedLength() {
        assertEquals(48_000, Score.playedFrames(48_000, 0));
        assertEquals(24_000, Score.playedFrames(48_000, 12));
        assertEquals(57_082, Score.playedFrames(48_000, -3)); // 48000 / 2^(-3/12) = 57,081.9
    }

    @Test
    void sweepExtendsUntilEveryEngineIsBracketedAndStopsEachOnceItIs() {
        Map<String, Integer> caps = new LinkedHashMap<>();
        caps.put("fast", Sweep.MAX_VOICES);
        caps.put("midi", 7_680);
        Sweep s = new Sweep(new int[] {256, 64}, caps);
        List<Integer> ranFast = new ArrayList<>();
        Integer n;
        for (int i = 0; (n = s.count(i)) != null; i++) {
            for (String e : s.engines(n)) {
                if (e.equals("fast")) {
                    ranFast.add(n);
                    s.record(e, n, n / 1000.0, n / 1000.0);
                } else {
                    s.record(e, n, n / 10_000.0, n / 10_000.0);
                }
            }
        }
        assertEquals(List.of(64, 256, 512, 1024, 2048, 4096, 7680), s.counts());
        assertEquals(List.of(64, 256, 512, 1024), ranFast, "fast stops once its load reached 70%");
        assertEquals(700, s.atTarget("fast")[0], 1e-9);
        assertEquals(7000, s.atTarget("midi")[0], 1e-9);
        assertTrue(s.notRun("fast", 2048).contains("bracketed"));
    }

    @Test
    void aSweepThatNeverReachesSeventyPercentSaysSoInsteadOfExtrapolating() {
        Sweep s = new Sweep(new int[] {64}, Map.of("slow", 128));
        Integer n;
        for (int i = 0; (n = s.count(i)) != null; i++) {
            s.record("slow", n, 0.1, 0.1);
        }
        assertEquals(List.of(64, 128), s.counts());
        assertTrue(Double.isNaN(s.atTarget("slow")[0]));
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no " + new String(what, StandardCharsets.US_ASCII));
    }
}
