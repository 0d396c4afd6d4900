package io.latentkit.engine.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A private JACK server with the dummy driver ({@code jackd -n NAME -d dummy}, Debian's jackd2):
 * a real JACK server without a sound card, paced by the wall clock. Its name is unique to this
 * process, so parallel builds on one machine do not share a server.
 */
final class JackDummyServer implements AutoCloseable {
    final String name;
    final int periodFrames;
    private final Process process;
    private final Path log;

    private JackDummyServer(String name, int periodFrames, Process process, Path log) {
        this.name = name;
        this.periodFrames = periodFrames;
        this.process = process;
        this.log = log;
    }

    static JackDummyServer start(int rateHz, int periodFrames) throws IOException, InterruptedException {
        String name = "lktest" + ProcessHandle.current().pid() + "x" + System.nanoTime() % 100_000;
        Path log = Files.createTempFile("jackd-", ".log");
        Process p = new ProcessBuilder("jackd", "-n", name, "-d", "dummy", "-r", Integer.toString(rateHz), "-p",
                Integer.toString(periodFrames)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // jackd prints nothing reliable when ready; its server socket appears under /dev/shm.
        while (System.nanoTime() < deadline && p.isAlive() && !ready(name)) {
            Thread.sleep(50);
        }
        if (!p.isAlive() || !ready(name)) {
            p.destroyForcibly();
            throw new IOException("jackd -d dummy did not start: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        Thread.sleep(300); // the driver's first cycles
        return new JackDummyServer(name, periodFrames, p, log);
    }

    private static boolean ready(String name) {
        try (var s = Files.list(Path.of("/dev/shm"))) {
            return s.anyMatch(f -> f.getFileName().toString().contains(name));
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a JACK command-line client against this server and returns what it printed. */
    String run(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JACK_DEFAULT_SERVER", name);
        pb.environment().put("JACK_NO_START_SERVER", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
