package io.latentkit.perf.compare;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Helpers for the harness's child programs: argument parsing ({@code key=value}) and the one
 * {@code RESULT k=v ...} line the orchestrator reads back.
 *
 * <p>Threading: static methods, any thread.
 */
final class Child {
    private Child() {
    }

    static Map<String, String> args(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + a);
            }
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return m;
    }

    static void result(Map<String, ?> values) {
        StringBuilder b = new StringBuilder("RESULT");
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        System.out.println(b);
        System.out.flush();
    }

    /** Bytes allocated so far by thread {@code id} ({@code -1} where unsupported). */
    static long allocatedBytes(long threadId) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun) {
            return sun.getThreadAllocatedBytes(threadId);
        }
        return -1;
    }

    static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
