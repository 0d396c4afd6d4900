package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mDNS advertisement as a real JmDNS browser sees it: {@code _oscjson._tcp} on the HTTP port and
 * {@code _osc._udp} on the OSC port, under the server's name. Multicast needs an interface that
 * carries it, and this machine's loopback does not; so the probe runs in a network namespace of its
 * own ({@code unshare -n}, as root, as CI runs), whose loopback it may switch multicast on for,
 * leaving the machine's own interfaces alone and sending nothing off the machine.
 */
class MdnsAdvertiserTest {
    @Test
    void aJmdnsBrowserResolvesTheOscQueryAndOscServices() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        ProcessBuilder pb = new ProcessBuilder("unshare", "-n", "sh", "-c",
                "ip link set lo up && ip link set lo multicast on && exec \"$0\" -cp \"$1\" " + MdnsProbe.class.getName(),
                java, cp);
        pb.redirectErrorStream(true);
        pb.environment().put("CLASSPATH", "");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("osc")).toList();
        assertEquals(List.of("oscjson 19080", "osc 19000"), lines, out);
        assertTrue(new File(java).canExecute());
    }
}
