package io.latentkit.perf.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The voice counts of part 1 and when an engine has been measured enough: the sweep starts with
 * the requested counts and goes on, doubling, until every engine's 70%-of-a-core point lies between
 * two measured counts (so the headline figure is interpolated, never extrapolated). An engine
 * stops being run once its median load, in wall time and in CPU time, reached 70% at some count; one that cannot play more
 * voices (the MIDI engines stop at 7,680) or that failed stops there, unbracketed.
 *
 * <p>Threading: the main thread only.
 */
final class Sweep {
    /** Largest count: latentkit's engine takes 16,384 voices, less the spare ones the child adds. */
    static final int MAX_VOICES = 15_360;
    /** The load (1 / real-time factor) whose voice count the report gives. */
    static final double TARGET_LOAD = 0.7;

    private final List<Integer> counts = new ArrayList<>();
    /** Per engine: voice count → median wall load. */
    private final Map<String, TreeMap<Integer, Double>> loads = new LinkedHashMap<>();
    /** Per engine: voice count → median CPU-time load. */
    private final Map<String, TreeMap<Integer, Double>> cpuLoads = new LinkedHashMap<>();
    private final Map<String, Integer> maxVoices = new LinkedHashMap<>();
    private final Map<String, String> stopped = new LinkedHashMap<>();

    Sweep(int[] requested, Map<String, Integer> engineMaxVoices) {
        new TreeSet<>(Arrays.stream(requested).boxed().toList()).forEach(counts::add);
        maxVoices.putAll(engineMaxVoices);
        for (String e : engineMaxVoices.keySet()) {
            loads.put(e, new TreeMap<>());
            cpuLoads.put(e, new TreeMap<>());
        }
    }

    /**
     * The count at {@code i}, extending the sweep when it is exhausted and an engine still needs
     * more: the next count doubles the last, or is the most an open engine can play if that is
     * less; null when no engine needs more.
     */
    Integer count(int i) {
        if (i < counts.size()) {
            return counts.get(i);
        }
        int last = counts.get(counts.size() - 1);
        int next = Integer.MAX_VALUE;
        for (String e : loads.keySet()) {
            int cap = Math.min(MAX_VOICES, maxVoices.get(e));
            if (open(e) && cap > last) {
                next = Math.min(next, Math.min(2 * last, cap));
            }
        }
        if (next == Integer.MAX_VALUE) {
            return null;
        }
        counts.add(next);
        return next;
    }

    List<Integer> counts() {
        return counts;
    }

    /** Engines to run at {@code n}: not yet bracketed, not stopped, able to play {@code n} voices. */
    List<String> engines(int n) {
        List<String> r = new ArrayList<>();
        for (String e : loads.keySet()) {
            if (open(e) && n <= maxVoices.get(e)) {
                r.add(e);
            }
        }
        return r;
    }

    private boolean open(String e) {
        return !stopped.containsKey(e) && !reachedTarget(e);
    }

    /** Both the wall-time and the CPU-time load reached the target at some count. */
    private boolean reachedTarget(String e) {
        return reached(loads.get(e)) && reached(cpuLoads.get(e));
    }

    private static boolean reached(TreeMap<Integer, Double> l) {
        for (double x : l.values()) {
            if (x >= TARGET_LOAD) {
                return true;
            }
        }
        return false;
    }

    void record(String engine, int n, double wallLoad, double cpuLoad) {
        loads.get(engine).put(n, wallLoad);
        cpuLoads.get(engine).put(n, cpuLoad);
    }

    void stop(String engine, String why) {
        stopped.putIfAbsent(engine, why);
    }

    /** Why {@code engine} was not run at {@code n}, or null if it was. */
    String notRun(String engine, int n) {
        if (loads.get(engine).containsKey(n)) {
            return null;
        }
        if (n > maxVoices.get(engine)) {
            return "not run (plays at most " + maxVoices.get(engine) + ")";
        }
        if (stopped.containsKey(engine)) {
            return "not run (" + stopped.get(engine) + ")";
        }
        return "not run (70% point already bracketed)";
    }

    /**
     * {voices at the target load, 0} interpolated between two measured counts, or {NaN, 1} when
     * the counts do not bracket it.
     */
    double[] atTarget(String engine) {
        return atTarget(loads.get(engine));
    }

    /** As {@link #atTarget(String)} in CPU time. */
    double[] atTargetCpu(String engine) {
        return atTarget(cpuLoads.get(engine));
    }

    /** As {@link #atTarget(String)}, for any voice count → load map. */
    static double[] atTarget(TreeMap<Integer, Double> engineLoads) {
        Integer prevN = null;
        double prevL = 0;
        for (Map.Entry<Integer, Double> en : engineLoads.entrySet()) {
            double l = en.getValue();
            if (Double.isNaN(l)) {
                continue;
            }
            if (prevN != null && (prevL - TARGET_LOAD) * (l - TARGET_LOAD) <= 0 && prevL != l) {
                return new double[] {prevN + (TARGET_LOAD - prevL) * (en.getKey() - prevN) / (l - prevL), 0};
            }
            prevN = en.getKey();
            prevL = l;
        }
        return new double[] {Double.NaN, 1};
    }
}
