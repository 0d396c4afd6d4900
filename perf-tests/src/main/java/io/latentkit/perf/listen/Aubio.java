package io.latentkit.perf.listen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer: aubio's {@code aubioonset} (Debian {@code aubio-tools}) on a WAV file, its onsets in
 * seconds read back as frames. Default settings unless arguments are given (hfc, 512-sample buffer,
 * 256 hop, threshold 0.3, 12 ms minimum inter-onset interval, -90 dB silence).
 *
 * <p>Stateless; any thread (one process per call).
 */
final class Aubio {
    private Aubio() {
    }

    static String version() {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", "aubio-tools").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return "aubioonset (Debian aubio-tools " + out + ", default settings)";
        } catch (IOException e) {
            return "aubioonset unavailable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static long[] onsets(Path wav, int rateHz, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("aubioonset", "-i", wav.toString(), "-r", "0"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("aubioonset failed on " + wav + " (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
        return out.lines().map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(s -> Math.round(Double.parseDouble(s) * rateHz)).toArray();
    }
}
