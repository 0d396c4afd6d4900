package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The README's address tables, the control namespace and the OSC router say the same thing: every
 * address the README documents is a node with the documented type tags, every node is documented,
 * and the running router knows every node it receives.
 */
class ReadmeNamespaceTest {
    private static final int SR = 48_000;

    /** Every README table row whose first cell is an address: address -> type tags (or ""). */
    private static Map<String, String> readmeRows() throws Exception {
        Path readme = Path.of("").toAbsolutePath();
        while (!Files.exists(readme.resolve("README.md")) || !Files.exists(readme.resolve("pom.xml"))
                || Files.exists(readme.resolve("src"))) {
            readme = readme.getParent();
        }
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(readme.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `/")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            String address = cells[1].trim().replace("`", "");
            String args = cells[2].trim();
            String tags;
            if (args.startsWith("—")) {
                tags = "";
            } else {
                assertTrue(args.startsWith("`,"), "README row for " + address + " must start its arguments with the "
                        + "type tags in backticks or a dash: " + args);
                tags = args.substring(1, args.indexOf('`', 1));
            }
            String before = rows.put(address, tags);
            assertTrue(before == null, "README documents " + address + " twice");
        }
        return rows;
    }

    @Test
    void everyDocumentedAddressIsANodeWithItsTypesAndEveryNodeIsDocumented() throws Exception {
        try (Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR))) {
            Namespace ns = ServerNamespace.build(engine, null, () -> null);
            Map<String, String> nodes = new TreeMap<>();
            for (Node n : ns.templates()) {
                nodes.put(n.template(), n.typeSignature());
            }
            assertEquals(nodes, readmeRows());
        }
    }

    @Test
    void theRunningRouterKnowsEveryNodeItReceives() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.warmupBlocks(0);
        engine.start(new NullSink(256));
        Namespace ns = ServerNamespace.build(engine, null, () -> null);
        try (OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
             DatagramSocket socket = new DatagramSocket()) {
            int sent = 0;
            for (Node n : ns.nodes()) {
                if (n.kind() == NodeKind.OUTPUT) {
                    continue;
                }
                byte[] b = new OscMessageWriter(512).begin(n.address(), "").toByteArray();
                socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), osc.port()));
                sent++;
            }
            // A fence: the receiver handles packets in order, so once the reply to an unknown address
            // arrives, every packet before it has been routed.
            byte[] fence = new OscMessageWriter(64).begin("/no/such/fence", "").toByteArray();
            socket.send(new DatagramPacket(fence, fence.length, InetAddress.getLoopbackAddress(), osc.port()));
            socket.setSoTimeout(20_000);
            byte[] buf = new byte[65_536];
            String reply;
            do {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                reply = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            } while (!reply.contains("/no/such/fence"));
            assertEquals(sent + 1, osc.counters().packets(), "every packet arrived");
            assertEquals(1, osc.counters().drops(DropReason.UNKNOWN_ADDRESS), "only the fence is unknown");
        } finally {
            engine.close();
        }
    }
}
