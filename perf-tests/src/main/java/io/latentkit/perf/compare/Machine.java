package io.latentkit.perf.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine and the peer programs' versions. Any thread. */
final class Machine {
    private Machine() {
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first non-blank line a command prints, or why there is none. */
    static String firstLine(String... cmd) {
        try {
            Process p = Proc.track(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    return l.trim().replace("|", "/");
                }
            }
            return "no output";
        } catch (IOException | InterruptedException e) {
            return "not found (" + cmd[0] + ")";
        }
    }
}
