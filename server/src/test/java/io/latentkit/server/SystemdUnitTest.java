package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contrib/systemd/latentkit.service} checked by systemd itself: {@code systemd-analyze verify}
 * on the unit with its ExecStart pointing at the real {@code bin/latentkit}, the settings the README
 * describes read from the file, and the unit run by a real systemd (Debian's {@code systemd}
 * package, 252 here) as process 1 of its own PID, mount and cgroup namespaces, where a kill -9 of the
 * server is restarted with {@code --recover}, {@code systemctl stop} is a clean exit 0 that is not
 * restarted, and a usage error (exit 2) is not restarted in a loop.
 */
class SystemdUnitTest {
    @TempDir
    Path dir;

    /** The unit as shipped. */
    private static Path unitFile() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("contrib/systemd/latentkit.service"))) {
            root = root.getParent();
        }
        return root.resolve("contrib/systemd/latentkit.service");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        Path unit = unitFile();
        Path launcher = unit.getParent().getParent().getParent().resolve("bin/latentkit");
        assertTrue(Files.isExecutable(launcher), launcher + " is the launcher the unit runs");
        String text = Files.readString(unit);
        assertTrue(text.contains("ExecStart=/opt/latentkit/bin/latentkit "), text);
        Path copy = dir.resolve("latentkit.service");
        Files.writeString(copy, text.replace("ExecStart=/opt/latentkit/bin/latentkit ", "ExecStart=" + launcher + " "));
        Run verify = run("systemd-analyze", "verify", copy.toString());
        assertEquals(0, verify.status, verify.output);
        assertEquals("", verify.output, "systemd-analyze verify says nothing about a good unit");

        // The same check sees a key systemd does not know (so the silence above means something).
        Files.writeString(copy, Files.readString(copy).replace("[Service]\n", "[Service]\nRestartSteps=5\n"));
        Run bad = run("systemd-analyze", "verify", copy.toString());
        assertTrue(bad.output.contains("Unknown key 'RestartSteps' in section [Service]"), bad.output);
    }

    @Test
    void theUnitRestartsOnFailureWithRecoverAndStopsWithSigterm() throws Exception {
        Map<String, Map<String, String>> unit = parse(Files.readString(unitFile()));
        Map<String, String> service = unit.get("Service");
        assertEquals("/opt/latentkit/bin/latentkit serve --recover", service.get("ExecStart"));
        assertEquals("simple", service.get("Type"));
        assertEquals("on-failure", service.get("Restart"), "a crash, a kill -9 or a non-zero exit restarts it");
        assertEquals("2", service.get("RestartSec"));
        assertEquals("2", service.get("RestartPreventExitStatus"), "a usage error (exit 2) is not retried");
        assertEquals("SIGTERM", service.get("KillSignal"), "serve stops in order on SIGTERM");
        assertEquals("30", service.get("TimeoutStopSec"));
        assertEquals("latentkit", service.get("User"));
        assertEquals("latentkit", service.get("StateDirectory"));
        assertEquals("LATENTKIT_HOME=/var/lib/latentkit", service.get("Environment"));
        assertEquals("0", unit.get("Unit").get("StartLimitIntervalSec"), "restarts for ever: no start limit");
        assertEquals("multi-user.target", unit.get("Install").get("WantedBy"));
    }

    @Test
    void underARealSystemdAKilledServerIsRestartedWithRecoverAndAStopIsClean() throws Exception {
        String id = run("id", "-u").output.trim();
        Assumptions.assumeTrue(id.equals("0"), "systemd as process 1 of new namespaces needs root (uid " + id + ")");
        Path systemd = Path.of("/lib/systemd/systemd");
        assertTrue(Files.isExecutable(systemd), "needs Debian's systemd package (" + systemd + ")");

        int port = freePort();
        Path home = dir.resolve("home");
        Path log = dir.resolve("serve.log");
        Path units = dir.resolve("units");
        Files.createDirectories(units);
        // Only these units exist for this systemd: the shipped unit, word for word, and the targets
        // it and the default dependencies name (empty here; nothing of the machine's own is started).
        Files.copy(unitFile(), units.resolve("latentkit.service"));
        Files.copy(unitFile(), units.resolve("latentkit-usage.service"));
        for (String target : List.of("sysinit", "basic", "shutdown", "network", "sound", "multi-user")) {
            Files.writeString(units.resolve(target + ".target"), "[Unit]\nDescription=" + target + "\n");
        }
        // The test's default target orders itself after the units so that systemd keeps them loaded
        // when they stop (and their exit status with them) instead of unloading them at once.
        Files.writeString(units.resolve("test.target"), "[Unit]\nAfter=latentkit.service latentkit-usage.service\n");
        // What an installer sets in a drop-in (`systemctl edit latentkit`): where the server is and
        // its options, its data folder; and, for the test, root (no latentkit user here) and a log file.
        Path bin = launcher();
        String common = "[Service]\nUser=\nStateDirectory=\nEnvironment=LATENTKIT_HOME=" + home + "\n"
                + "StandardOutput=append:" + log + "\nStandardError=inherit\nExecStart=\n";
        String options = " serve --recover --audio-out none --no-midi --osc-port " + port
                + " --http-port 0 --autosave-seconds 1";
        Files.createDirectories(units.resolve("latentkit.service.d"));
        Files.writeString(units.resolve("latentkit.service.d/test.conf"), common + "ExecStart=" + bin + options + "\n");
        Files.createDirectories(units.resolve("latentkit-usage.service.d"));
        Files.writeString(units.resolve("latentkit-usage.service.d/test.conf"),
                common + "ExecStart=" + bin + options + " --no-such-option\n");

        Path script = dir.resolve("pid1.sh");
        Files.writeString(script, PID1);
        Path pid1Log = dir.resolve("pid1.log");
        Process ns = new ProcessBuilder("sh", script.toString(), units.toString(), systemd.toString())
                .redirectErrorStream(true).redirectOutput(pid1Log.toFile()).start();
        Systemd sd = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(pid1Log).contains("exec systemd") && ns.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String setUp = Files.readString(pid1Log);
            // Like SmallDisk: a machine that lets root make no namespaces or mounts skips with the reason.
            Assumptions.assumeTrue(setUp.contains("exec systemd"), "cannot start systemd in new namespaces here: " + setUp);
            long pid1 = ns.toHandle().children().findFirst().orElseThrow().pid();
            sd = new Systemd(pid1, setUp);
            String state = "";
            while (!(state.equals("running") || state.equals("degraded"))) {
                assertTrue(System.nanoTime() < deadline && ns.isAlive(), state + "\n" + Files.readString(pid1Log));
                Thread.sleep(100);
                state = sd.ctl("is-system-running").output.trim();
            }

            // A usage error fails the unit once and is not restarted.
            assertEquals(0, sd.ctl("start", "latentkit-usage.service").status);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!sd.show("latentkit-usage.service", "ActiveState").equals("failed")) {
                assertTrue(System.nanoTime() < deadline, sd.ctl("status", "latentkit-usage.service").output);
                Thread.sleep(100);
            }
            Thread.sleep(4_000); // past RestartSec
            assertEquals("failed", sd.show("latentkit-usage.service", "ActiveState"));
            assertEquals("0", sd.show("latentkit-usage.service", "NRestarts"));
            assertEquals("exit-code", sd.show("latentkit-usage.service", "Result"));
            assertEquals("2", sd.show("latentkit-usage.service", "ExecMainStatus"));
            assertTrue(Files.readString(log).contains("no-such-option"), Files.readString(log));
            Files.writeString(log, "");

            // The server, started by systemd, answers; a kill -9 is restarted with --recover.
            Run start = sd.ctl("start", "latentkit.service");
            assertEquals(0, start.status, start.output);
            awaitBanners(log, 1);
            assertTrue(statusReply(port).startsWith("/status.reply"), "the server systemd started answers");
            Path autosave = home.resolve("presets/.autosave.json");
            while (!Files.exists(autosave)) {
                assertTrue(System.nanoTime() < deadline, Files.readString(log));
                Thread.sleep(100);
            }
            String first = sd.show("latentkit.service", "MainPID");
            Run kill = sd.in("kill", "-9", first);
            assertEquals(0, kill.status, kill.output);
            long killed = System.nanoTime();
            String second = first;
            while (second.equals(first) || second.equals("0")) {
                assertTrue(System.nanoTime() < deadline, "no new server after kill -9: "
                        + sd.ctl("show", "-p", "ActiveState,Result,NRestarts,ExecMainCode,ExecMainStatus",
                                "latentkit.service").output);
                Thread.sleep(20);
                second = sd.show("latentkit.service", "MainPID");
            }
            System.out.printf("systemd: a new server process %.2f s after kill -9 (RestartSec=2)%n",
                    (System.nanoTime() - killed) / 1e9);
            assertEquals("1", sd.show("latentkit.service", "NRestarts"));
            awaitBanners(log, 2);
            String all = Files.readString(log);
            assertTrue(all.contains("recover: the previous session did not stop cleanly"), all);
            assertTrue(statusReply(port).startsWith("/status.reply"), "the restarted server answers");

            // systemctl stop: SIGTERM, serve stops in order and exits 0; the unit is not restarted.
            Run stop = sd.ctl("stop", "latentkit.service");
            assertEquals(0, stop.status, stop.output);
            assertEquals("inactive", sd.show("latentkit.service", "ActiveState"));
            assertEquals("success", sd.show("latentkit.service", "Result"));
            assertEquals("1", sd.show("latentkit.service", "ExecMainCode"), "the server exited (1), not killed (2)");
            assertEquals("0", sd.show("latentkit.service", "ExecMainStatus"), Files.readString(log));
            assertTrue(Files.readString(log).contains("latentkit: stopped ("), Files.readString(log));
            Thread.sleep(4_000); // past RestartSec
            assertEquals("inactive", sd.show("latentkit.service", "ActiveState"));
            assertNotEquals("", Files.readString(autosave));
        } finally {
            if (sd != null) {
                ProcessHandle.of(sd.pid1).ifPresent(ProcessHandle::destroyForcibly); // ends the namespace
            }
            ns.destroyForcibly();
            ns.waitFor(30, TimeUnit.SECONDS);
            removeCgroup(Files.readString(pid1Log));
        }
    }

    /**
     * Runs systemd ($2) as process 1 of new PID, mount and cgroup namespaces, with the units in $1 only.
     * Its cgroups live under a new child of this process's own (cgroup v2) cgroup, so it manages
     * nothing of the machine's and the machine's limits still hold; its /run is a new tmpfs.
     */
    private static final String PID1 = """
            set -eu
            v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
            [ -n "$v2" ] || { echo "no cgroup2 hierarchy mounted"; exit 1; }
            rel=$(sed -n 's/^0:://p' /proc/self/cgroup)
            cg="$v2${rel%/}/latentkit-systemd-test-$$"
            mkdir "$cg"
            echo "cgroup $cg"
            echo $$ > "$cg/cgroup.procs"
            export units="$1" systemd="$2"
            exec unshare --cgroup --pid --fork --mount --mount-proc --propagation private sh -c '
              set -eu
              mount -t cgroup2 cgroup2 /sys/fs/cgroup
              mount -t tmpfs -o mode=755 tmpfs /run
              echo "exec systemd"
              container=latentkit-test SYSTEMD_UNIT_PATH="$units" exec "$systemd" --system --unit=test.target
            '
            """;

    /** A launcher like bin/latentkit (exec java ... "$@") over this build's classes. */
    private Path launcher() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path bin = dir.resolve("bin/latentkit");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, "#!/bin/sh\nexec '" + java + "' --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** Removes the cgroup the script made (and what systemd made under it), deepest first. */
    private static void removeCgroup(String pid1Log) throws Exception {
        String cg = pid1Log.lines().filter(l -> l.startsWith("cgroup ")).map(l -> l.substring(7)).findFirst().orElse(null);
        if (cg == null || !cg.contains("latentkit-systemd-test-")) {
            return;
        }
        for (int attempt = 0; attempt < 50 && Files.exists(Path.of(cg)); attempt++) {
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(Path.of(cg))) {
                dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            }
            for (Path d : dirs) {
                try {
                    Files.delete(d); // rmdir; busy while its processes are still being reaped
                } catch (IOException busy) {
                    // again below
                }
            }
            Thread.sleep(100);
        }
        assertTrue(!Files.exists(Path.of(cg)), "the test's cgroup " + cg + " is removed");
    }

    /** systemctl and other commands inside the namespaces of the systemd whose host pid is pid1. */
    private record Systemd(long pid1, String log) {
        Run in(String... command) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid1), "-m", "-p", "--"));
            cmd.addAll(List.of(command));
            return run(cmd.toArray(String[]::new));
        }

        Run ctl(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("systemctl", "--no-pager"));
            cmd.addAll(List.of(args));
            return in(cmd.toArray(String[]::new));
        }

        String show(String unit, String property) throws Exception {
            Run r = ctl("show", "-p", property, "--value", unit);
            assertEquals(0, r.status, r.output);
            return r.output.trim();
        }
    }

    private record Run(int status, String output) {
    }

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** [Section] -> key -> value (the last assignment of a key, as systemd reads a plain list). */
    private static Map<String, Map<String, String>> parse(String unit) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : unit.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                current = sections.computeIfAbsent(l.substring(1, l.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = l.indexOf('=');
            assertTrue(current != null && eq > 0, "a key=value line inside a section: " + line);
            current.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return sections;
    }

    private static void awaitBanners(Path log, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Files.readString(log).split("stop with", -1).length <= count) {
            assertTrue(System.nanoTime() < deadline, Files.readString(log));
            Thread.sleep(100);
        }
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Sends {@code /status} over UDP and returns the address of the reply. */
    private static String statusReply(int port) throws Exception {
        byte[] msg = {'/', 's', 't', 'a', 't', 'u', 's', 0, ',', 0, 0, 0};
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            int end = 0;
            while (end < reply.getLength() && reply.getData()[end] != 0) {
                end++;
            }
            return new String(reply.getData(), 0, end, StandardCharsets.US_ASCII);
        }
    }
}
