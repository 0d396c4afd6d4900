package io.latentkit.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps the render thread's core for the render thread, where the operating system lets us
 * (Linux, through JNA): the render thread pinned to the last CPU and every other thread of the
 * process kept off it ({@code sched_setaffinity}), the render thread at real-time priority
 * ({@code SCHED_FIFO}, where {@code RLIMIT_RTPRIO} or root allows it), and the process's memory
 * locked ({@code mlockall}) so that no page of a kit or of the heap faults mid-show. Each measure
 * that the system refuses is reported and skipped; none is required.
 *
 * <p>Threading: a control thread, once, after the render thread has started.
 */
public final class RealtimeIsolation {
    /** One measure, selectable on its own (for measuring them one at a time). */
    public enum Measure { PIN, FIFO, MLOCK }

    /** The real-time priority asked for: low among real-time threads (JACK's run at 10 and more). */
    static final int FIFO_PRIORITY = 5;
    private static final int SCHED_FIFO = 1;
    private static final int RLIMIT_RTPRIO = 14;
    private static final int MCL_CURRENT = 1;
    private static final int MCL_FUTURE = 2;

    private interface LibC extends Library {
        int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

        int getrlimit(int resource, long[] rlim) throws LastErrorException;

        int mlockall(int flags) throws LastErrorException;

        int setpriority(int which, int who, int prio) throws LastErrorException;

        int geteuid();
    }

    private RealtimeIsolation() {
    }

    /** Parses {@code auto} (every measure), {@code off} (none) or a comma list of {@code pin,fifo,mlock}. */
    public static Set<Measure> parse(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return EnumSet.allOf(Measure.class);
        }
        if (s.equals("off")) {
            return EnumSet.noneOf(Measure.class);
        }
        EnumSet<Measure> m = EnumSet.noneOf(Measure.class);
        for (String part : s.split(",")) {
            try {
                m.add(Measure.valueOf(part.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--realtime must be auto, off or a list of pin,fifo,mlock, got '" + spec + "'");
            }
        }
        return m;
    }

    /**
     * Applies {@code measures} to the render thread with Linux thread id {@code renderTid} and
     * returns one phrase per measure, saying what it got (for the start-up banner).
     */
    public static List<String> apply(Set<Measure> measures, long renderTid) {
        List<String> got = new ArrayList<>();
        if (measures.isEmpty()) {
            got.add("off");
            return got;
        }
        LibC c;
        try {
            c = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            got.add("unavailable (no C library through JNA: " + e.getMessage() + ")");
            return got;
        }
        if (renderTid <= 0) {
            got.add("render thread not found; nothing applied");
            return got;
        }
        if (measures.contains(Measure.PIN)) {
            got.add(pin(c, (int) renderTid));
        }
        if (measures.contains(Measure.FIFO)) {
            got.add(fifo(c, (int) renderTid));
        }
        if (measures.contains(Measure.MLOCK)) {
            got.add(mlock(c));
        }
        return got;
    }

    private static String pin(LibC c, int renderTid) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) {
            return "not pinned (one CPU)";
        }
        if (cpus > 64) {
            cpus = 64;
        }
        int renderCpu = cpus - 1;
        long all = cpus == 64 ? -1L : (1L << cpus) - 1;
        long renderMask = 1L << renderCpu;
        try {
            c.sched_setaffinity(renderTid, Long.BYTES, new long[] {renderMask});
        } catch (LastErrorException e) {
            return "not pinned (sched_setaffinity: errno " + e.getErrorCode() + ")";
        }
        // Every other thread now, and the threads they start later (which inherit the mask).
        int moved = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                int tid = Integer.parseInt(t.getFileName().toString());
                if (tid == renderTid) {
                    continue;
                }
                try {
                    c.sched_setaffinity(tid, Long.BYTES, new long[] {all & ~renderMask});
                    moved++;
                } catch (LastErrorException e) {
                    // The thread ended while we listed them.
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "render thread on CPU " + renderCpu + " (other threads not moved: " + e.getMessage() + ")";
        }
        return "render thread on CPU " + renderCpu + ", " + moved + " other threads off it";
    }

    private static String fifo(LibC c, int renderTid) {
        long[] lim = new long[2];
        boolean root = c.geteuid() == 0;
        try {
            c.getrlimit(RLIMIT_RTPRIO, lim);
        } catch (LastErrorException e) {
            lim[0] = 0;
        }
        if (!root && lim[0] < FIFO_PRIORITY) {
            return "no real-time priority (RLIMIT_RTPRIO " + lim[0] + "; e.g. add the user to the audio group"
                    + " with rtprio " + FIFO_PRIORITY + " or more in /etc/security/limits.d)";
        }
        try {
            c.sched_setscheduler(renderTid, SCHED_FIFO, new int[] {FIFO_PRIORITY});
            return "SCHED_FIFO priority " + FIFO_PRIORITY;
        } catch (LastErrorException e) {
            return "no real-time priority (sched_setscheduler: errno " + e.getErrorCode() + ")";
        }
    }

    /**
     * Gives the thread with Linux thread id {@code tid} real-time priority {@code priority}
     * ({@code SCHED_FIFO}), and returns what it got, for a banner or a report.
     */
    public static String fifo(long tid, int priority) {
        try {
            LibC c = Native.load("c", LibC.class);
            c.sched_setscheduler((int) tid, SCHED_FIFO, new int[] {priority});
            return "SCHED_FIFO priority " + priority;
        } catch (UnsatisfiedLinkError e) {
            return "unavailable (no C library through JNA)";
        } catch (LastErrorException e) {
            return "no real-time priority (sched_setscheduler: errno " + e.getErrorCode() + ")";
        }
    }

    /** Sets the nice value of the thread with Linux thread id {@code tid}; returns what it got. */
    public static String nice(long tid, int nice) {
        try {
            LibC c = Native.load("c", LibC.class);
            c.setpriority(0, (int) tid, nice);
            return "nice " + nice;
        } catch (UnsatisfiedLinkError e) {
            return "unavailable (no C library through JNA)";
        } catch (LastErrorException e) {
            return "nice unchanged (setpriority: errno " + e.getErrorCode() + ")";
        }
    }

    private static String mlock(LibC c) {
        try {
            c.mlockall(MCL_CURRENT | MCL_FUTURE);
            return "memory locked";
        } catch (LastErrorException e) {
            return "memory not locked (mlockall: errno " + e.getErrorCode() + "; RLIMIT_MEMLOCK too small?)";
        }
    }
}
