package io.latentkit.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.sink.RecoveringJavaSoundSink;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.junit.jupiter.api.Test;

/**
 * The render path's string constants are interned and held before a render thread runs, so that a
 * C2 compilation the render thread asks for has nothing to allocate (see {@link ConstantStrings}).
 */
class ConstantStringsTest {
    /** Literals in a known order, for the class-file reader. */
    static final class Sample {
        static String text(int n) {
            return n > 0 ? "first literal" : n < 0 ? "zweites \u00e9l\u00e9ment \ud83e\udd41" : "count " + n + " of 3";
        }
    }

    @Test
    void readsEveryStringConstantOfAClassFileWithItsExactText() {
        List<String> constants = ConstantStrings.stringConstants(ConstantStrings.classFile(Sample.class));
        assertTrue(constants.contains("first literal"), constants.toString());
        assertTrue(constants.contains("zweites \u00e9l\u00e9ment \ud83e\udd41"), "non-Latin-1 text: " + constants);
        assertTrue(constants.contains("count \u0001 of 3"), "the concatenation recipe: " + constants);
        assertEquals(3, constants.size(), constants.toString());
    }

    @Test
    void everyStringConstantOfTheRenderPathsClassesIsInternedAndHeld() {
        int held = ConstantStrings.pinRenderPath();
        assertTrue(held > 1_000, "strings held: " + held);
        assertEquals(held, ConstantStrings.pinRenderPath(), "a second call pins nothing more");
        // The classes whose strings the render thread was seen to intern (JFR, -XX:-UseTLAB), ours,
        // and a JDK class outside the class-data archive.
        for (Class<?> c : List.of(BroadcastTransmitter.class, AbstractHistogram.class, SingleWriterRecorder.class,
                AgentRunner.class, RenderAgent.class, MissForensics.class, classNamed(
                        "java.util.concurrent.atomic.AtomicLongFieldUpdater$CASUpdater"))) {
            List<String> constants = ConstantStrings.stringConstants(ConstantStrings.classFile(c));
            assertTrue(!constants.isEmpty(), c + " has string constants");
            for (String s : constants) {
                assertTrue(ConstantStrings.holds(new String(s.toCharArray())), c.getName() + ": \"" + s + "\"");
            }
        }
    }

    @Test
    void theRecoveringSinkKeepsNoStringConstantInTheClassTheRenderThreadRuns() {
        // Its messages live in nested classes that only its monitor and writer threads run.
        assertEquals(List.of(), ConstantStrings.stringConstants(ConstantStrings.classFile(RecoveringJavaSoundSink.class)));
    }

    private static Class<?> classNamed(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name, e);
        }
    }
}
