package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineNodes;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MIDI learn targets come from the control namespace: a knob can drive any writable value node
 * (here the tempo, which is no pad parameter) over the node's range, and an address the namespace
 * does not have cannot be learned.
 */
class NamespaceKnobTargetsTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void aKnobLearnedToTheTempoNodeSetsTheTempoOverTheNodesRange() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, 0.1f)),
                EngineClock.fixed(0, SR));
        Namespace.Builder b = Namespace.builder(engine.values().board());
        EngineNodes.register(b, engine.proxy(), engine.values());
        Namespace ns = b.build();
        VirtualController knobs = VirtualMidiDeviceProvider.plug("Tempo Knob");
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(), engine.clock())) {
            in.targetResolver(NamespaceKnobTargets.resolver(ns));
            assertThrows(IllegalArgumentException.class, () -> in.learn("/no/such/value"));
            CompletableFuture<MidiBinding> learning = in.learn("/tempo", Takeover.JUMP);
            knobs.play(new ShortMessage(ShortMessage.CONTROL_CHANGE, 0, 20, 64), -1); // the move that binds it
            MidiBinding binding = learning.get(5, TimeUnit.SECONDS);
            assertEquals("/tempo", binding.target());
            assertEquals(20f, binding.min());
            assertEquals(400f, binding.max());
            knobs.play(new ShortMessage(ShortMessage.CONTROL_CHANGE, 0, 20, 127), -1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ns.find("/tempo").floatValue() != 400f && System.nanoTime() < deadline) {
                OfflineRender.render(engine, 2_048);
                Thread.sleep(2);
            }
            assertEquals(400f, ns.find("/tempo").floatValue(), "the top of the knob is the top of the node's range");
        }
    }
}
