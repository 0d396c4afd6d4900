package io.latentkit.engine.render;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Explains deadline misses: samples, every {@value #PERIOD_MS} ms on the housekeeping thread, what
 * the render thread and the machine went through, and when the miss counter moved in a window,
 * attributes that window's misses (one sample later, over that window and the next): to render
 * when the engine's own need exceeded real time, otherwise to the largest of the others:
 * <ul>
 *   <li><b>render</b>: CPU time the render thread spent beyond the audio it rendered (the first
 *   field of its {@code schedstat} against the blocks rendered; where that cannot be read, the
 *   render thread's cheap over-budget counter {@link EngineCounters#overBudgetNanos()});</li>
 *   <li><b>scheduling</b>: the render thread's run-queue delay (the second field of
 *   {@code /proc/self/task/TID/schedstat}), with its involuntary context switches
 *   ({@code nonvoluntary_ctxt_switches} in {@code status}) reported beside it;</li>
 *   <li><b>steal</b>: the machine's steal time per CPU ({@code /proc/stat});</li>
 *   <li><b>gc</b>: garbage-collection pauses ended in the window (GC notifications; pause
 *   collectors only, not concurrent cycles).</li>
 * </ul>
 * A window whose largest figure is under a tenth of a block counts as unexplained. The render
 * thread itself only keeps the over-budget counter; everything else is read here.
 *
 * <p>Threading: {@link #sample} on the housekeeping thread only; GC notifications arrive on the
 * JMX notification thread and only add to an atomic.
 */
public final class MissForensics {
    static final int PERIOD_MS = 20;
    private static final long CLOCK_TICK_NS = 10_000_000L; // USER_HZ = 100 on Linux

    private final EngineCounters counters;
    private final LongSupplier renderTid;
    private final long blockNanos;
    private final MissCauses causes;
    private final AtomicLong gcPauseNanos = new AtomicLong();
    private final byte[] buf = new byte[4096];
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private long tid = -1;
    private long lastSampleNs;
    private long lastMisses;
    private long pendingMisses;
    private final Reading last = new Reading();
    private final Reading prev = new Reading();
    /** Involuntary switches of the render thread in windows that had misses, for the log. */
    private long involuntaryInMissWindows;
    private boolean procReadable = true;

    MissForensics(EngineCounters counters, long blockNanos, LongSupplier renderTid) {
        this.counters = counters;
        this.blockNanos = blockNanos;
        this.renderTid = renderTid;
        this.causes = counters.missCauses();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // Concurrent cycles (ZGC's, Shenandoah's) do not stop the render thread; their pauses do.
            boolean pauses = !gc.getName().endsWith("Cycles") && !gc.getName().equals("ZGC");
            if (pauses && gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, h) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        gcPauseNanos.addAndGet(info.getGcInfo().getDuration() * 1_000_000L);
                    }
                }, null, null);
            }
        }
    }

    /** A forensics sampler for {@code engine}'s counters; {@code renderTid} gives the render thread's Linux TID (-1 unknown). */
    public static MissForensics create(EngineCounters counters, long blockNanos, LongSupplier renderTid) {
        return new MissForensics(counters, blockNanos, renderTid);
    }

    /** Samples if a period has passed; returns 1 when it attributed misses, else 0. */
    public int sample(long nowNs) {
        if (nowNs - lastSampleNs < PERIOD_MS * 1_000_000L) {
            return 0;
        }
        lastSampleNs = nowNs;
        if (tid < 0) {
            tid = renderTid.getAsLong();
        }
        long misses = counters.deadlineMisses();
        long overBudget = counters.overBudgetNanos();
        long runDelay = -1;
        long onCpu = -1;
        long involuntary = -1;
        if (tid > 0 && procReadable) {
            int n = read("/proc/self/task/" + tid + "/schedstat");
            if (n > 0) {
                // "<on-cpu ns> <run-queue wait ns> <timeslices>"
                onCpu = field(0, n, 0);
                runDelay = field(0, n, 1);
            }
            involuntary = involuntarySwitches(tid);
        }
        long blocks = counters.blocksRendered();
        long steal = stealTicks();
        long gc = gcPauseNanos.get();
        int attributedNow = 0;
        // Misses seen in the previous window are attributed now, over both windows: a GC
        // notification or a counter can lag the miss it explains by a few milliseconds.
        if (pendingMisses > 0) {
            long sched = runDelay >= 0 && prev.runDelay >= 0 ? runDelay - prev.runDelay : 0;
            long stolen = steal >= 0 && prev.steal >= 0 ? (steal - prev.steal) * CLOCK_TICK_NS / cpus : 0;
            long paused = gc - prev.gc;
            if (involuntary >= 0 && prev.involuntary >= 0) {
                involuntaryInMissWindows += involuntary - prev.involuntary;
            }
            MissCauses.Cause c;
            if (onCpu >= 0 && prev.onCpu >= 0) {
                // The engine's own share: CPU time the render thread spent beyond the audio it
                // rendered (waits, pauses and stolen time are not on-CPU time).
                long own = (onCpu - prev.onCpu) - (blocks - prev.blocks) * blockNanos;
                c = cause(own, sched, stolen, paused);
            } else {
                c = causeFromWallTime(overBudget - prev.overBudget, sched, stolen, paused);
            }
            causes.add(c, pendingMisses);
            attributedNow = 1;
        }
        long newMisses = misses - lastMisses;
        pendingMisses = newMisses;
        // The window the next attribution starts from: the one before the misses.
        prev.set(last);
        last.set(overBudget, runDelay, involuntary, steal, gc);
        last.onCpu = onCpu;
        last.blocks = blocks;
        lastMisses = misses;
        return attributedNow;
    }

    /** One sample's readings. */
    private static final class Reading {
        long overBudget;
        long runDelay = -1;
        long involuntary = -1;
        long steal = -1;
        long gc;
        long onCpu = -1;
        long blocks;

        void set(long o, long r, long i, long s, long g) {
            overBudget = o;
            runDelay = r;
            involuntary = i;
            steal = s;
            gc = g;
        }

        void set(Reading other) {
            set(other.overBudget, other.runDelay, other.involuntary, other.steal, other.gc);
            onCpu = other.onCpu;
            blocks = other.blocks;
        }
    }

    /**
     * Render when the engine needed more CPU time than the audio it rendered lasted (it would
     * have missed with a core of its own); otherwise the largest of the outside causes, or
     * unexplained when each is under a tenth of a block.
     */
    MissCauses.Cause cause(long ownNs, long schedulingNs, long stealNs, long gcNs) {
        long most = blockNanos / 10;
        if (ownNs > most) {
            return MissCauses.Cause.RENDER;
        }
        MissCauses.Cause best = MissCauses.Cause.UNEXPLAINED;
        if (schedulingNs > most) {
            best = MissCauses.Cause.SCHEDULING;
            most = schedulingNs;
        }
        if (stealNs > most) {
            best = MissCauses.Cause.STEAL;
            most = stealNs;
        }
        if (gcNs > most) {
            best = MissCauses.Cause.GC;
        }
        return best;
    }

    /**
     * As {@link #cause} where the render thread's CPU time cannot be read: its over-budget render
     * time is wall time, which a pause, a preemption or stolen CPU inside a block inflate, so the
     * engine's own share is what is left after them.
     */
    MissCauses.Cause causeFromWallTime(long overBudgetNs, long schedulingNs, long stealNs, long gcNs) {
        long own = overBudgetNs - schedulingNs - stealNs - gcNs;
        MissCauses.Cause outside = cause(0, schedulingNs, stealNs, gcNs);
        long outsideNs = switch (outside) {
            case SCHEDULING -> schedulingNs;
            case STEAL -> stealNs;
            case GC -> gcNs;
            default -> 0;
        };
        // Wall time cannot tell a slow block from a stopped one: the larger share decides.
        return own > blockNanos / 10 && own > outsideNs ? MissCauses.Cause.RENDER : outside;
    }

    /** The involuntary context switches the render thread took in windows with misses. */
    public long involuntarySwitchesInMissWindows() {
        return involuntaryInMissWindows;
    }

    private long involuntarySwitches(long t) {
        int n = read("/proc/self/task/" + t + "/status");
        if (n <= 0) {
            return -1;
        }
        String s = new String(buf, 0, n, StandardCharsets.US_ASCII);
        int at = s.indexOf("nonvoluntary_ctxt_switches:");
        if (at < 0) {
            return -1;
        }
        int i = at + "nonvoluntary_ctxt_switches:".length();
        while (i < n && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        return number(i, n);
    }

    private long stealTicks() {
        // "cpu  user nice system idle iowait irq softirq steal ..."
        int n = read("/proc/stat");
        return n <= 0 ? -1 : field(4, n, 7);
    }

    /** The {@code index}-th whitespace-separated number after {@code from}. */
    private long field(int from, int n, int index) {
        int i = from;
        for (int f = 0; f <= index; f++) {
            while (i < n && (buf[i] == ' ' || buf[i] == '\t')) {
                i++;
            }
            if (f == index) {
                return number(i, n);
            }
            while (i < n && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n') {
                i++;
            }
        }
        return -1;
    }

    private long number(int i, int n) {
        long v = 0;
        boolean any = false;
        while (i < n && buf[i] >= '0' && buf[i] <= '9') {
            v = v * 10 + (buf[i] - '0');
            i++;
            any = true;
        }
        return any ? v : -1;
    }

    private int read(String path) {
        try (RandomAccessFile f = new RandomAccessFile(path, "r")) {
            return Math.max(0, f.read(buf, 0, buf.length));
        } catch (IOException e) {
            if (path.startsWith("/proc/self/task")) {
                procReadable = Files.isReadable(Path.of("/proc/self/task"));
            }
            return -1;
        }
    }

    /**
     * The Linux TID of the thread named {@code name} in this process (its {@code comm}, which
     * Linux cuts to 15 characters), or -1.
     */
    public static long tidOfThreadNamed(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII).trim().equals(comm)) {
                        return Long.parseLong(t.getFileName().toString());
                    }
                } catch (IOException e) {
                    // The thread ended while we looked.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
