package io.latentkit.osc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private final Routes routes = new Routes();

    private int lookup(String a) {
        byte[] b = ("xx" + a).getBytes(StandardCharsets.US_ASCII);
        return routes.lookup(b, 2, b.length - 2);
    }

    @Test
    void everyPadParameterResolvesByNumberAndByClassName() {
        for (DrumClass c : DrumClass.values()) {
            for (PadParam p : PadParam.values()) {
                for (String a : new String[] {"/pad/" + c.pad() + "/" + p.oscName(), "/pad/" + c.oscName() + "/" + p.oscName()}) {
                    int r = lookup(a);
                    assertEquals(Routes.PAD_PARAM, routes.kind(r), a);
                    assertEquals(c.pad(), routes.pad(r), a);
                    assertEquals(p.ordinal(), routes.param(r), a);
                }
            }
        }
    }

    @Test
    void unknownAndPrefixAddressesDoNotResolve() {
        assertEquals(-1, lookup("/hi"));
        assertEquals(-1, lookup("/hit/"));
        assertEquals(-1, lookup("/pad/12/gain"));
    }
}
