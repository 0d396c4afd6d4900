package io.latentkit.presets.kit.source.sfz;

import io.latentkit.core.DrumClass;
import io.latentkit.presets.kit.source.ParsedKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups SFZ regions into the instruments a pad can play, by what sounds when a key is struck:
 * keys struck to the same set of regions are one instrument. Within it, velocities that reach the
 * same regions are one velocity layer; within a layer, the regions a hit plays together (SFZ
 * layers: two microphones on one drum) form a strike, and {@code seq_length}/{@code seq_position}
 * or {@code lorand}/{@code hirand} make the cycle or the random draw of strikes. Every region keeps
 * its own gain, pitch and pan.
 *
 * <p>The pad plays at the region's key centre when the instrument's keys include it (natural
 * pitch: a whole-keyboard region, or {@code key=}), else at its first key, pitched by
 * {@code pitch_keytrack} as sfizz would. {@code group}/{@code off_by} become choke groups with a
 * direction: a pad turned off by a group, never by its own hits.
 *
 * <p>One parse, one thread.
 */
final class SfzInstruments {
    /** Longest round-robin cycle built from several {@code seq_length}s. */
    static final int MAX_CYCLE = 64;
    private static final int MAX_CHOKE_IDS = 16;

    /** A region that can play, with its sample file and its keys clamped to 0..127. */
    private record Usable(SfzRegion region, Path sample, int lo, int hi) {
    }

    private final SfzWarnings warnings;
    private final Map<Long, Integer> chokeIds = new LinkedHashMap<>();
    /** Groups some region is turned off by: only hits of these groups choke. */
    private final Set<Long> offTargets = new HashSet<>();
    /** Groups some region belongs to: only these can turn a region off. */
    private final Set<Long> groups = new HashSet<>();

    SfzInstruments(SfzWarnings warnings) {
        this.warnings = warnings;
    }

    List<ParsedKit.Instrument> build(List<SfzRegion> regions, SfzSamplePaths paths, Set<String> embedded) {
        List<Usable> usable = usable(regions, paths, embedded);
        for (Usable u : usable) {
            groups.add(u.region().group());
            if (u.region().offBy() != null) {
                offTargets.add(u.region().offBy());
            }
        }
        // Keys struck to the same regions: one instrument (not necessarily contiguous keys).
        Map<BitSet, List<Integer>> byRegions = new LinkedHashMap<>();
        for (int k = 0; k < 128; k++) {
            BitSet set = new BitSet(usable.size());
            for (int i = 0; i < usable.size(); i++) {
                if (k >= usable.get(i).lo() && k <= usable.get(i).hi()) {
                    set.set(i);
                }
            }
            if (!set.isEmpty()) {
                byRegions.computeIfAbsent(set, s -> new ArrayList<>()).add(k);
            }
        }
        List<ParsedKit.Instrument> out = new ArrayList<>();
        for (Map.Entry<BitSet, List<Integer>> e : byRegions.entrySet()) {
            List<Usable> regs = new ArrayList<>();
            e.getKey().stream().forEach(i -> regs.add(usable.get(i)));
            out.add(instrument(regs, e.getValue()));
        }
        return out;
    }

    private List<Usable> usable(List<SfzRegion> regions, SfzSamplePaths paths, Set<String> embedded) {
        int trigger = 0;
        int noSample = 0;
        int generator = 0;
        int noKey = 0;
        int never = 0;
        List<Usable> out = new ArrayList<>();
        for (SfzRegion r : regions) {
            int lo = Math.max(0, r.lokey());
            int hi = Math.min(127, r.hikey());
            if (!r.trigger().playsOnHit()) {
                trigger++;
            } else if (r.sample() == null || r.sample().isBlank()) {
                noSample++;
            } else if (r.sample().startsWith("*")) {
                generator++;
            } else if (r.lokey() < 0 || r.hikey() < 0 || lo > hi) {
                noKey++;
            } else if (r.lovel() > r.hivel() || r.lorand() >= r.hirand() || r.seqPosition() > r.seqLength()) {
                never++;
            } else if (embedded.contains(r.sample())) {
                warnings.refused(r.sample(), "embedded in the SFZ file (base64data), which is not supported");
            } else {
                SfzSamplePaths.Resolved p = paths.resolve(r.defaultPath(), r.sample());
                if (p.path() == null) {
                    warnings.refused(r.defaultPath() + r.sample(), p.refusal());
                } else {
                    out.add(new Usable(r, p.path(), lo, hi));
                }
            }
        }
        count(trigger, "with a release or legato trigger (a pad hit plays attack regions)");
        count(noSample, "without a sample");
        count(generator, "with a generated sound (sample=*sine and the like)");
        count(noKey, "that no key plays");
        count(never, "that never play (empty velocity or random range, seq_position beyond seq_length)");
        return out;
    }

    private void count(int n, String what) {
        if (n > 0) {
            warnings.add("SFZ: " + n + " region(s) " + what + " skipped");
        }
    }

    private ParsedKit.Instrument instrument(List<Usable> regs, List<Integer> keys) {
        int played = gmNote(keys);
        List<ParsedKit.Layer> layers = new ArrayList<>();
        int from = -1;
        BitSet run = null;
        for (int v = 1; v <= 128; v++) {
            BitSet set = new BitSet();
            for (int i = 0; v <= 127 && i < regs.size(); i++) {
                if (regs.get(i).region().coversVelocity(v)) {
                    set.set(i);
                }
            }
            if (run != null && !set.equals(run)) {
                if (!run.isEmpty()) {
                    layers.add(layer(from, v - 1, select(regs, run), keys, played));
                }
                run = null;
            }
            if (run == null) {
                run = set;
                from = v;
            }
        }
        SfzRegion first = regs.get(0).region();
        for (Usable u : regs) {
            if (u.region().group() != first.group() || !Objects.equals(u.region().offBy(), first.offBy())) {
                warnings.add("SFZ: regions of different groups on one key; the first region's group and off_by are used");
                break;
            }
        }
        int choke = offTargets.contains(first.group()) ? chokeId(first.group()) : 0;
        int offBy = first.offBy() == null || !groups.contains(first.offBy()) ? 0 : chokeId(first.offBy());
        String name = SfzParser.baseName(first.sample()) + (keys.size() == 1 ? " (key " + keys.get(0) + ")"
                : " (keys " + keys.get(0) + "-" + keys.get(keys.size() - 1) + ")");
        return new ParsedKit.Instrument(name, played, 1f, 0f, choke, offBy, 0f, false, layers);
    }

    /** The instrument's first key that is a GM drum note, else its first key. */
    private static int gmNote(List<Integer> keys) {
        for (int k : keys) {
            if (DrumClass.padForGmNote(k) >= 0) {
                return k;
            }
        }
        return keys.get(0);
    }

    private static List<Usable> select(List<Usable> regs, BitSet set) {
        List<Usable> l = new ArrayList<>();
        set.stream().forEach(i -> l.add(regs.get(i)));
        return l;
    }

    private ParsedKit.Layer layer(int loVel, int hiVel, List<Usable> regs, List<Integer> keys, int played) {
        float min = loVel <= 1 ? 0f : loVel / 127f;
        float max = hiVel / 127f;
        boolean random = regs.stream().anyMatch(u -> u.region().isRandom());
        boolean sequence = regs.stream().anyMatch(u -> u.region().seqLength() > 1);
        List<ParsedKit.Strike> strikes = new ArrayList<>();
        if (random) {
            if (sequence) {
                warnings.add("SFZ: seq_* and lorand/hirand on one key and velocity: the sequence is ignored");
            }
            TreeSet<Double> bounds = new TreeSet<>(List.of(0.0, 1.0));
            for (Usable u : regs) {
                bounds.add(u.region().lorand());
                bounds.add(u.region().hirand());
            }
            Double a = null;
            boolean gap = false;
            for (double b : bounds) {
                if (a != null) {
                    List<ParsedKit.Part> parts = new ArrayList<>();
                    for (Usable u : regs) {
                        if (u.region().lorand() <= a && u.region().hirand() >= b) {
                            parts.add(part(u, keys, played));
                        }
                    }
                    if (parts.isEmpty()) {
                        gap = true;
                    } else if (!strikes.isEmpty() && strikes.get(strikes.size() - 1).parts().equals(parts)) {
                        ParsedKit.Strike last = strikes.remove(strikes.size() - 1);
                        strikes.add(new ParsedKit.Strike(last.chance() + (float) (b - a), parts));
                    } else {
                        strikes.add(new ParsedKit.Strike((float) (b - a), parts));
                    }
                }
                a = b;
            }
            if (gap) {
                warnings.add("SFZ: random draws that play no region are shared among the others");
            }
        } else {
            int cycle = 1;
            for (Usable u : regs) {
                cycle = lcm(cycle, u.region().seqLength());
            }
            if (cycle > MAX_CYCLE) {
                cycle = regs.stream().mapToInt(u -> u.region().seqLength()).max().orElse(1);
                warnings.add("SFZ: seq_length values with a common cycle over " + MAX_CYCLE + " hits; cycling "
                        + cycle);
            }
            for (int k = 0; k < cycle; k++) {
                List<ParsedKit.Part> parts = new ArrayList<>();
                for (Usable u : regs) {
                    if (k % u.region().seqLength() == u.region().seqPosition() - 1) {
                        parts.add(part(u, keys, played));
                    }
                }
                if (parts.isEmpty()) {
                    warnings.add("SFZ: a round-robin position that plays no region is skipped");
                } else {
                    strikes.add(new ParsedKit.Strike(1f, parts));
                }
            }
        }
        return new ParsedKit.Layer(min, max, random, strikes);
    }

    private ParsedKit.Part part(Usable u, List<Integer> keys, int played) {
        SfzRegion r = u.region();
        int at = keys.contains(r.pitchKeycenter()) ? r.pitchKeycenter() : played;
        double pitch = (at - r.pitchKeycenter()) * r.pitchKeytrack() / 100 + r.tune() / 100 + r.transpose();
        if (pitch < -24 || pitch > 24) {
            warnings.add("SFZ: a region pitched beyond 24 semitones plays at +-24");
        }
        double gain = r.gain();
        if (gain > 16) {
            warnings.add("SFZ: a region louder than +24 dB plays at +24 dB");
        }
        return new ParsedKit.Part(u.sample(), (float) Math.max(0, Math.min(16, gain)),
                (float) Math.max(-24, Math.min(24, pitch)), (float) Math.max(-1, Math.min(1, r.pan() / 100)));
    }

    private int chokeId(long group) {
        Integer id = chokeIds.get(group);
        if (id == null) {
            if (chokeIds.size() >= MAX_CHOKE_IDS) {
                warnings.add("SFZ: more than " + MAX_CHOKE_IDS + " choking groups; the others do not choke");
                return 0;
            }
            id = chokeIds.size() + 1;
            chokeIds.put(group, id);
        }
        return id;
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        long l = (long) a / x * b;
        return l > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE / 2 : (int) l;
    }
}
