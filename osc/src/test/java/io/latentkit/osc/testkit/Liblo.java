package io.latentkit.osc.testkit;

import java.net.InetAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Runs liblo's command-line tools (Debian liblo-tools): the real peer the interop tests talk to. */
public final class Liblo {
    private Liblo() {
    }

    /** Fails (never skips) with how to install the tools when one is missing. */
    public static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return fail(name + " not found on PATH: the OSC interop tests need liblo's command-line tools "
                + "(Debian/Ubuntu: apt-get install liblo-tools)");
    }

    /** Runs a tool to completion (20 s at most) and asserts it succeeded. */
    public static void run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, tool(cmd.get(0)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish");
            }
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** A free UDP port on loopback (released for a peer to bind). */
    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code oscdump -L} listening on a UDP port, its lines collected as they arrive. */
    public static final class OscDump implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        public final int port;

        public OscDump() {
            this.port = freeUdpPort();
            try {
                process = new ProcessBuilder(tool("oscdump"), "-L", Integer.toString(port))
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // The process ended.
                }
            }, "oscdump-reader");
            reader.setDaemon(true);
            reader.start();
        }

        public List<String> lines() {
            return lines;
        }

        /**
         * Waits until a line contains {@code text} (oscdump prints a timetag, then the address, the
         * type tags and the values); returns it.
         */
        public String await(String text, Runnable poke) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (String l : lines) {
                    if (l.contains(text)) {
                        return l;
                    }
                }
                if (!process.isAlive()) {
                    fail("oscdump exited: " + lines);
                }
                if (poke != null) {
                    poke.run();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return fail("oscdump never printed '" + text + "'; it printed " + lines);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
