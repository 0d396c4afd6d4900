package io.latentkit.midi;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import java.util.function.Function;

/**
 * MIDI learn targets from the control namespace: any writable one-number node (a pad parameter,
 * the tempo, and every value later features register) can be bound to a knob, with the node's
 * range as the knob's travel and its setter as the knob's action.
 *
 * <p>Threading: the resolver may be called from any thread; the targets' setters from a device's
 * delivery thread (they publish through the engine's proxy and never block).
 */
public final class NamespaceKnobTargets {
    private NamespaceKnobTargets() {
    }

    /** A resolver for {@link MidiInput#targetResolver}: canonical address -> target, or {@code null}. */
    public static Function<String, KnobTarget> resolver(Namespace ns) {
        return address -> {
            Node n = ns.find(address);
            if (n == null || !(n.kind() == NodeKind.PAD_PARAM || n.kind() == NodeKind.VALUE) || !n.access().writable()) {
                return null;
            }
            Range r = n.range();
            float min = r.min() == null ? 0f : r.min().floatValue();
            float max = r.max() == null ? 1f : r.max().floatValue();
            return new KnobTarget() {
                @Override
                public String address() {
                    return n.address();
                }

                @Override
                public float min() {
                    return min;
                }

                @Override
                public float max() {
                    return max;
                }

                @Override
                public boolean set(float value, long atFrame) {
                    return n.setter().set(value, atFrame);
                }

                @Override
                public float initialValue() {
                    return n.floatValue();
                }
            };
        };
    }
}
