package io.latentkit.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code latentkit serve --supervise}: runs the server as a child JVM (same JVM, flags, class path
 * and options) and restarts it with {@code --recover} when it dies, so an installation survives a
 * crash or a {@code kill -9} with at most the last autosave lost. It restarts at once the first
 * times and backs off (doubling up to a minute) when the server keeps dying; a server that exits 0
 * (stopped on purpose) or 2 (bad usage) is not restarted. SIGINT and SIGTERM to the supervisor stop
 * the server cleanly first, then the supervisor exits 0.
 *
 * <p>Threading: {@link #run} on the main thread; the shutdown hook stops the child.
 */
public final class Supervisor {
    /** Deaths within this window count towards backing off. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Deaths within the window that are restarted at once. */
    static final int QUICK_RESTARTS = 3;
    static final long FIRST_BACKOFF_MS = 2_000;
    static final long MAX_BACKOFF_MS = 60_000;

    private final List<String> serveArgs;
    private final PrintWriter err;
    private volatile Process child;
    private volatile boolean stopping;

    /** @param serveArgs the options {@code serve} was given, without {@code --supervise} */
    public Supervisor(List<String> serveArgs, PrintWriter err) {
        this.serveArgs = List.copyOf(serveArgs);
        this.err = err;
    }

    /** The command that starts one server. */
    List<String> command(boolean recover) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("serve");
        cmd.addAll(serveArgs);
        if (recover && !serveArgs.contains("--recover")) {
            cmd.add("--recover");
        }
        return cmd;
    }

    /** Supervises until stopped; returns the exit code for the supervisor. */
    public int run() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Read first: once the child is gone the main thread returns and sets the flag itself.
            boolean bySignal = !Main.exitingOnItsOwn();
            stopping = true;
            Process p = child;
            if (p != null && p.isAlive()) {
                p.destroy(); // SIGTERM: the server stops in order and exits 0
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (bySignal) {
                Runtime.getRuntime().halt(0);
            }
        }, "latentkit-supervisor-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Deque<Long> deaths = new ArrayDeque<>();
        long backoffMs = FIRST_BACKOFF_MS;
        boolean recover = false;
        try {
            while (!stopping) {
                Process p;
                try {
                    p = new ProcessBuilder(command(recover)).inheritIO().start();
                } catch (IOException e) {
                    say("cannot start the server: " + e.getMessage());
                    return 1;
                }
                child = p;
                say("server started (pid " + p.pid() + ")" + (recover ? " with --recover" : ""));
                int code = p.waitFor();
                if (stopping) {
                    break;
                }
                if (code == 0 || code == 2) {
                    say("server (pid " + p.pid() + ") exited " + code + "; not restarting");
                    return code;
                }
                long now = System.nanoTime();
                deaths.addLast(now);
                while (!deaths.isEmpty() && now - deaths.peekFirst() > WINDOW_NANOS) {
                    deaths.removeFirst();
                }
                long waitMs = 0;
                if (deaths.size() > QUICK_RESTARTS) {
                    waitMs = backoffMs;
                    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                } else {
                    backoffMs = FIRST_BACKOFF_MS;
                }
                say("server (pid " + p.pid() + ") died (exit " + code + describeSignal(code) + "); restarting with "
                        + "--recover" + (waitMs > 0 ? " in " + waitMs / 1000.0 + " s (" + deaths.size()
                        + " deaths in the last minute)" : ""));
                recover = true;
                if (waitMs > 0) {
                    Thread.sleep(waitMs);
                }
            }
            return 0;
        } finally {
            done.countDown();
        }
    }

    private static String describeSignal(int code) {
        return code > 128 && code < 160 ? ", signal " + (code - 128) : "";
    }

    private void say(String line) {
        err.println("latentkit: supervisor: " + line);
        err.flush();
    }
}
