package io.latentkit.osc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.osc.OscNodes;
import io.latentkit.testsupport.TestKits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The standard namespace resolves every address OSC routes, from bytes, without building strings. */
class NamespaceRoutesTest {
    private final Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(48_000, pad -> TestKits.dc(10, 0.5f)));
    private final Namespace ns = OscNodes.standard(engine, null, () -> null);

    @AfterEach
    void close() {
        engine.close();
    }

    private Node lookup(String a) {
        byte[] b = ("xx" + a).getBytes(StandardCharsets.US_ASCII);
        int i = ns.lookup(b, 2, b.length - 2);
        return i < 0 ? null : ns.node(i);
    }

    @Test
    void everyPadParameterResolvesByNumberAndByClassNameAndOnlyTheNumberIsPatternVisible() {
        for (DrumClass c : DrumClass.values()) {
            for (PadParam p : PadParam.values()) {
                for (String a : new String[] {"/pad/" + c.pad() + "/" + p.oscName(), "/pad/" + c.oscName() + "/" + p.oscName()}) {
                    Node n = lookup(a);
                    assertEquals(NodeKind.PAD_PARAM, n.kind(), a);
                    assertEquals(c.pad(), n.pad(), a);
                    assertEquals(p.ordinal(), n.param(), a);
                    assertEquals("/pad/<n>/" + p.oscName(), n.template());
                    assertEquals(a.contains("/" + c.pad() + "/"), n.patternVisible(), a);
                }
            }
        }
    }

    @Test
    void unknownPrefixAndOutputAddressesDoNotResolve() {
        assertEquals(null, lookup("/hi"));
        assertEquals(null, lookup("/hit/"));
        assertEquals(null, lookup("/pad/12/gain"));
        assertEquals(null, lookup("/started"), "outputs are documented, never routed");
        assertTrue(ns.find("/started") != null);
    }

    @Test
    void padValuesAreTheRenderThreadsOnTheBoard() {
        Node gain = lookup("/pad/snare/gain");
        assertEquals(1f, gain.floatValue());
        assertTrue(gain.access().readable() && gain.access().writable());
        assertFalse(lookup("/hit").access().readable());
        assertEquals(120f, lookup("/tempo").floatValue());
    }
}
