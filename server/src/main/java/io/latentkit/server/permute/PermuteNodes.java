package io.latentkit.server.permute;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.TimeStretch;
import io.latentkit.core.namespace.Args;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.CommandHandler;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import io.latentkit.core.permute.PadPermutation;
import io.latentkit.engine.Engine;
import io.latentkit.osc.OscNodes;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The per-pad sound permutations of the control namespace (issue 17): {@code /pad/<n>/stretch ,f},
 * {@code /pad/<n>/reverse ,i}, {@code /pad/<n>/splice ,i other}, each a staged command
 * ({@link PadPermutations}) that answers {@code /done} once the permuted kit plays, or
 * {@code /fail} with the reason.
 *
 * <p>Threading: {@link #register} at build time; the handlers on the transport's receiver thread,
 * returning at once.
 */
public final class PermuteNodes {
    private PermuteNodes() {
    }

    /** Adds the permutation nodes, by pad number and by class name (an exact-only alias). */
    public static void register(Namespace.Builder ns, Engine engine) {
        PadPermutations perms = new PadPermutations(engine.proxy(), engine.commands());
        for (DrumClass c : DrumClass.values()) {
            for (boolean byName : new boolean[] {false, true}) {
                String pad = byName ? c.oscName() : Integer.toString(c.pad());
                int index = c.pad();
                ns.add(node("/pad/" + pad + "/stretch", "/pad/<n>/stretch", "f",
                        Range.strict(TimeStretch.MIN_FACTOR, TimeStretch.MAX_FACTOR), byName,
                        "time-stretches the pad's sound by a factor 0.5..2 (1: original) keeping its pitch and its "
                                + "attack", (args, call) -> stretch(perms, index, args, call)));
                ns.add(node("/pad/" + pad + "/reverse", "/pad/<n>/reverse", "i", Range.strict(0, 1), byName,
                        "plays the pad's sound back to front (1) or forwards (0)",
                        (args, call) -> reverse(perms, index, args, call)));
                ns.add(node("/pad/" + pad + "/splice", "/pad/<n>/splice", "i", Range.strict(-1, DrumClass.COUNT - 1),
                        byName, "the pad's attack followed by the tail of pad <other> 0..11 (-1: its own tail)",
                        (args, call) -> splice(perms, index, args, call)));
            }
        }
    }

    private static Node node(String address, String template, String types, Range range, boolean byName,
            String description, CommandHandler handler) {
        return Node.builder(address, NodeKind.COMMAND).template(template).types(types).ranges(range)
                .description(description + "; prepared off the audio thread and swapped in like a kit")
                .reply("/done ,ss " + template + " <detail> | /fail ,sss " + template + " <pad> <reason>")
                .patternVisible(!byName).handler(handler).build();
    }

    private static boolean stretch(PadPermutations perms, int pad, Args args, Call call) {
        String address = "/pad/" + pad + "/stretch";
        if (!args.isNumber(0)) {
            call.fail(address, Integer.toString(pad), "expected ,f stretch factor 0.5..2");
            return false;
        }
        float f = args.floatArg(0);
        if (!(f >= TimeStretch.MIN_FACTOR && f <= TimeStretch.MAX_FACTOR)) {
            call.fail(address, Integer.toString(pad), "stretch factor must be 0.5..2, got " + f);
            return false;
        }
        return stage(perms, pad, address, String.format(Locale.ROOT, "x%s", f), p -> p.withStretch(f), call);
    }

    private static boolean reverse(PadPermutations perms, int pad, Args args, Call call) {
        String address = "/pad/" + pad + "/reverse";
        if (!args.isNumber(0) || args.intArg(0) < 0 || args.intArg(0) > 1) {
            call.fail(address, Integer.toString(pad), "expected ,i 1 (reversed) or 0 (forwards)");
            return false;
        }
        boolean r = args.intArg(0) == 1;
        return stage(perms, pad, address, r ? "reversed" : "forwards", p -> p.withReversed(r), call);
    }

    private static boolean splice(PadPermutations perms, int pad, Args args, Call call) {
        String address = "/pad/" + pad + "/splice";
        if (!args.isNumber(0) || args.intArg(0) < -1 || args.intArg(0) >= DrumClass.COUNT) {
            call.fail(address, Integer.toString(pad), "expected ,i other pad 0..11, or -1 for the pad's own tail");
            return false;
        }
        int other = args.intArg(0);
        if (other == pad) {
            call.fail(address, Integer.toString(pad), "a pad cannot splice with itself; -1 restores its own tail");
            return false;
        }
        return stage(perms, pad, address, other < 0 ? "own tail" : "tail of pad " + other, p -> p.withSplice(other), call);
    }

    private static boolean stage(PadPermutations perms, int pad, String address, String detail,
            UnaryOperator<PadPermutation> change, Call call) {
        Call later = call.retain();
        perms.change(address + " " + detail, pad, change).whenComplete((stage, error) -> {
            if (error != null) {
                later.fail(address, Integer.toString(pad), OscNodes.reason(error));
            } else {
                later.done(address, detail);
            }
        });
        return true;
    }
}
