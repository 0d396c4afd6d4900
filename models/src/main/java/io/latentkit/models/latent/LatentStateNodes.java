package io.latentkit.models.latent;

import io.latentkit.core.DrumClass;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.CommandHandler;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import java.util.List;
import java.util.function.Supplier;

/**
 * What each pad is, as OSCQuery clients and the web console read it: {@code /latent/<n>/active}
 * (1 while pad {@code n} plays a latent point, 0 while it plays its kit's sample) and
 * {@code /latent/<n>/anchors} (the four corners' sounds, as {@code /latent/anchor} set them:
 * a library name, {@code pad:N} or {@code random}; four empty strings while the pad is not latent).
 * The namespace tree does not change when a pad becomes latent or reverts (every pad has its
 * {@code /latent/<n>/...} nodes from the start); these values change instead, and OSCQuery's
 * {@code LISTEN} carries them to every console. Read-only: a message sent to one is a read, answered
 * with its value to the sender (for OSC clients without OSCQuery).
 *
 * <p>Threading: {@link #register} at build time; the values are read from any thread (they read
 * the state the inference worker last published, and allocate).
 */
public final class LatentStateNodes {
    private static final List<Object> NOT_LATENT = List.of("", "", "", "");

    private LatentStateNodes() {
    }

    /** Adds the nodes to {@code ns}; {@code agent} may be {@code null} (no pad is ever latent). */
    public static void register(Namespace.Builder ns, LatentAgent agent) {
        for (DrumClass c : DrumClass.values()) {
            for (boolean byName : new boolean[] {false, true}) {
                String pad = byName ? c.oscName() : Integer.toString(c.pad());
                int index = c.pad();
                String active = "/latent/" + pad + "/active";
                Supplier<List<Object>> isLatent = () -> List.of(state(agent, index) == null ? 0 : 1);
                ns.add(Node.builder(active, NodeKind.COMMAND).template("/latent/<n>/active")
                        .types("i", 0).ranges(Range.strict(0, 1)).access(Access.READ).pad(index).patternVisible(!byName)
                        .description("1 while pad <n> plays a latent point, 0 while it plays its kit's sample (read-only: "
                                + "OSCQuery's VALUE and LISTEN; sent with no arguments, it answers with its value)")
                        .reply(active + " ,i 0|1").value(isLatent).handler(read(active, isLatent)).build());
                String anchors = "/latent/" + pad + "/anchors";
                Supplier<List<Object>> corners = () -> anchors(agent, index);
                ns.add(Node.builder(anchors, NodeKind.COMMAND).template("/latent/<n>/anchors")
                        .types("ssss", 0).access(Access.READ).pad(index).patternVisible(!byName)
                        .description("the sounds of pad <n>'s four corners (0 at x 0 y 0, 1 at x 1 y 0, 2 at x 0 y 1, "
                                + "3 at x 1 y 1), as /latent/anchor set them; empty while the pad is not latent "
                                + "(read-only, as /latent/<n>/active)")
                        .reply(anchors + " ,ssss").value(corners).handler(read(anchors, corners)).build());
            }
        }
    }

    /** Any message to a read-only node is a read: the answer is its value, to the sender. */
    private static CommandHandler read(String address, Supplier<List<Object>> value) {
        return (args, call) -> {
            call.reply(address, value.get());
            return true;
        };
    }

    private static LatentPadState state(LatentAgent agent, int pad) {
        if (agent == null) {
            return null;
        }
        for (LatentPadState s : agent.states()) {
            if (s.pad() == pad) {
                return s;
            }
        }
        return null;
    }

    private static List<Object> anchors(LatentAgent agent, int pad) {
        LatentPadState s = state(agent, pad);
        if (s == null) {
            return NOT_LATENT;
        }
        return List.of(s.anchors().get(0).sound(), s.anchors().get(1).sound(), s.anchors().get(2).sound(),
                s.anchors().get(3).sound());
    }
}
