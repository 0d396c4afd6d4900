package io.latentkit.models.latent;

import io.latentkit.core.DrumClass;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Args;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import java.util.List;

/**
 * The latent pads' part of the control namespace: the morph commands ({@code /latent/anchor},
 * {@code /latent/xy}, {@code /latent/morph}, {@code /latent/z}, {@code /latent/generate},
 * {@code /latent/revert}, {@code /latent/commit}), one value node per pad and axis
 * ({@code /latent/<n>/x}, {@code /latent/<n>/y}: one number each, so MIDI learn and the console
 * reach the position with nothing of their own), and the telemetry they send
 * ({@code /latent/pos}, {@code /latent/ready}). Arguments are checked here, on the sender's thread:
 * a bad one (NaN, out of range, a malformed sound name) gets {@code /fail} and changes nothing; the
 * work itself is queued to the {@link LatentAgent}.
 *
 * <p>Threading: {@link #register} at build time, one thread; handlers and setters on the
 * transports' threads. The setters allocate one small request object and never block.
 */
public final class LatentNodes {
    private static final Range PAD = Range.strict(0, DrumClass.COUNT - 1);
    private static final Range UNIT = Range.strict(0, 1);
    private static final Range CORNER = Range.strict(0, 3);
    private static final Range VARIANCE = Range.strict(0, 4);

    private LatentNodes() {
    }

    /**
     * Adds the latent nodes to {@code ns}.
     *
     * @param agent the server's latent pads, or {@code null} where there are none (every command
     *     answers {@code /fail})
     */
    public static void register(Namespace.Builder ns, LatentAgent agent) {
        ns.add(command("/latent/anchor", "iis", 3, "sets corner 0..3 of a pad's morph square to a sound: a library "
                + "sound's name, pad:N or pad:CLASS (that pad's sound), or random; the pad becomes latent at the "
                + "encoding of its own sample", "/done ,ss /latent/anchor <detail> | /fail ,sss /latent/anchor pad <reason>",
                agent, LatentNodes::anchor, PAD, CORNER, Range.ANY));
        ns.add(command("/latent/xy", "iffi", 3, "moves a pad to (x, y) of its morph square, 0..1 (bilinear between "
                + "the corners, along great circles); with an id, answers /latent/pos and /latent/ready once live",
                "/latent/pos ,iff, /latent/ready ,iih | /fail ,sss /latent/xy pad <reason>",
                agent, LatentNodes::xy, PAD, UNIT, UNIT, Range.ANY));
        ns.add(command("/latent/morph", "iifi", 3, "moves a pad from its sound towards pad target's sound, t of the "
                + "way (0..1, along the great circle); with an id, answers as /latent/xy",
                "/latent/pos, /latent/ready | /fail, as /latent/xy", agent, LatentNodes::morph, PAD, PAD, UNIT, Range.ANY));
        ns.add(Node.builder("/latent/z", NodeKind.COMMAND).types("if", 2).variadic()
                .ranges(PAD, Range.ANY)
                .description("sets a pad's whole latent vector (as many floats as the model's points have, then an "
                        + "optional int id), for clients that run their own mapping")
                .reply("/latent/pos, /latent/ready | /fail, as /latent/xy")
                .handler((args, call) -> z(agent, args, call)).build());
        ns.add(command("/latent/generate", "ifi", 1, "a new sound for a pad: a random point of the prior, or with a "
                + "variance (0..4, in prior standard deviations) a variation of its sound; with an id, answers as "
                + "/latent/xy", "/latent/pos, /latent/ready | /fail, as /latent/xy",
                agent, LatentNodes::generate, PAD, VARIANCE, Range.ANY));
        ns.add(command("/latent/revert", "i", 1, "hands a latent pad back to its kit's sample",
                "/done ,ss /latent/revert <detail> | /fail ,sss /latent/revert pad <reason>",
                agent, (a, args, call) -> {
                    a.revert(args.intArg(0), call.retain());
                    return true;
                }, PAD));
        ns.add(command("/latent/commit", "is", 2, "freezes a latent pad's sound as a sound of the library (a WAV and "
                + "its latent vector in sounds/, written atomically; kit import takes the folder)",
                "/done ,ss /latent/commit <name> | /fail ,sss /latent/commit <name> <reason>",
                agent, LatentNodes::commit, PAD, Range.ANY));
        int base = ns.board().reserve(2 * DrumClass.COUNT);
        if (agent != null) {
            agent.bindValues(ns.board(), base);
        }
        for (DrumClass c : DrumClass.values()) {
            for (boolean byName : new boolean[] {false, true}) {
                String pad = byName ? c.oscName() : Integer.toString(c.pad());
                for (int axis = 0; axis < 2; axis++) {
                    final int padIndex = c.pad();
                    final boolean isX = axis == 0;
                    String name = isX ? "x" : "y";
                    ns.add(Node.builder("/latent/" + pad + "/" + name, NodeKind.VALUE)
                            .template("/latent/<n>/" + name).types("f").ranges(Range.clamped(0, 1))
                            .description(name + " of a pad's position in its morph square, 0..1 (<n> is 0..11 or the "
                                    + "class name): the /latent/xy of MIDI learn and the console")
                            .access(Access.READ_WRITE).pad(padIndex).value(ns.board(), base + 2 * padIndex + axis)
                            .patternVisible(!byName)
                            .setter((v, at) -> agent != null && (isX ? agent.setX(padIndex, v) : agent.setY(padIndex, v)))
                            .build());
                }
            }
        }
        LatentStateNodes.register(ns, agent);
        ns.add(Node.builder("/latent/pos", NodeKind.OUTPUT).types("iff").access(Access.READ)
                .description("a latent pad's position once its sound is live: pad, x, y (to the sender of a request "
                        + "with an id)").build());
        ns.add(Node.builder("/latent/ready", NodeKind.OUTPUT).types("iih").access(Access.READ)
                .description("the sound a request with an id asked for (or a newer one) is live: pad, id, engine frame")
                .build());
    }

    /** A command's argument checks and work, with the agent known to exist and to have its models. */
    @FunctionalInterface
    private interface Handler {
        boolean handle(LatentAgent agent, Args args, Call call);
    }

    private static Node command(String address, String types, int required, String description, String reply,
            LatentAgent agent, Handler h, Range... ranges) {
        return Node.builder(address, NodeKind.COMMAND).types(types, required).ranges(ranges).description(description)
                .reply(reply).touchesFiles("/latent/commit".equals(address)).handler((args, call) -> {
                    String bad = check(args, types, required, ranges);
                    if (bad != null) {
                        call.fail(address, bad);
                        return false;
                    }
                    String subject = "pad " + args.intArg(0);
                    if (agent == null) {
                        call.fail(address, subject, "latent pads are not available in this server");
                        return true;
                    }
                    if (agent.unavailableReason().isPresent()) {
                        call.fail(address, subject, agent.unavailableReason().get());
                        return true;
                    }
                    return h.handle(agent, args, call);
                }).build();
    }

    /** Why the arguments do not fit the types and ranges, or {@code null} when they do. */
    private static String check(Args args, String types, int required, Range[] ranges) {
        if (args.count() < required || args.count() > types.length()) {
            return "expected ," + types.substring(0, required)
                    + (required < types.length() ? "[" + types.substring(required) + "]" : "");
        }
        for (int i = 0; i < args.count(); i++) {
            char t = types.charAt(i);
            if (t == 's') {
                if (!args.isString(i)) {
                    return "argument " + (i + 1) + " must be a string";
                }
                continue;
            }
            if (!args.isNumber(i)) {
                return "argument " + (i + 1) + " must be a number";
            }
            float v = args.floatArg(i);
            if (!Float.isFinite(v)) {
                return "argument " + (i + 1) + " is not a finite number";
            }
            if (t == 'i' && v != Math.rint(v)) {
                return "argument " + (i + 1) + " must be a whole number";
            }
            Range r = ranges[i];
            if (!r.isAny() && !r.admits(v)) {
                return "argument " + (i + 1) + " must be " + r.min().floatValue() + ".." + r.max().floatValue()
                        + ", got " + v;
            }
        }
        return null;
    }

    private static boolean anchor(LatentAgent a, Args args, Call call) {
        String sound = args.string(2);
        if (!LatentSounds.isSoundName(sound)) {
            call.fail("/latent/anchor", "pad " + args.intArg(0), "'" + sound + "' is not a sound: a library sound's "
                    + "name, pad:N, pad:CLASS or random");
            return false;
        }
        a.anchor(args.intArg(0), args.intArg(1), sound, call.retain());
        return true;
    }

    private static boolean xy(LatentAgent a, Args args, Call call) {
        boolean hasId = args.count() > 3;
        a.move(args.intArg(0), args.floatArg(1), args.floatArg(2), "/latent/xy", call.retain(), hasId,
                hasId ? args.intArg(3) : 0);
        return true;
    }

    private static boolean morph(LatentAgent a, Args args, Call call) {
        boolean hasId = args.count() > 3;
        a.morph(args.intArg(0), args.intArg(1), args.floatArg(2), "/latent/morph", call.retain(), hasId,
                hasId ? args.intArg(3) : 0);
        return true;
    }

    private static boolean generate(LatentAgent a, Args args, Call call) {
        boolean hasId = args.count() > 2;
        a.generate(args.intArg(0), args.count() > 1 ? args.floatArg(1) : Float.NaN, call.retain(), hasId,
                hasId ? args.intArg(2) : 0);
        return true;
    }

    private static boolean commit(LatentAgent a, Args args, Call call) {
        String name = args.string(1);
        if (!LatentLibrary.isPlainName(name)) {
            call.fail("/latent/commit", name, "sound names are plain names in the library, not paths");
            return false;
        }
        a.commit(args.intArg(0), name, call.retain());
        return true;
    }

    private static boolean z(LatentAgent a, Args args, Call call) {
        if (args.count() < 1 || !args.isNumber(0) || !PAD.admits(args.floatArg(0)) || args.floatArg(0) != Math.rint(args.floatArg(0))) {
            call.fail("/latent/z", "expected ,if... pad then the latent vector");
            return false;
        }
        int pad = args.intArg(0);
        if (a == null) {
            call.fail("/latent/z", "pad " + pad, "latent pads are not available in this server");
            return true;
        }
        if (a.unavailableReason().isPresent()) {
            call.fail("/latent/z", "pad " + pad, a.unavailableReason().get());
            return true;
        }
        int size = a.latentSize();
        int n = args.count() - 1;
        if (n != size && n != size + 1) {
            call.fail("/latent/z", "pad " + pad, "expected " + size + " floats (then an optional id), got " + n + " numbers");
            return false;
        }
        float[] z = new float[size];
        for (int i = 0; i < size; i++) {
            if (!args.isNumber(1 + i) || !Float.isFinite(args.floatArg(1 + i)) || Math.abs(args.floatArg(1 + i)) > 100f) {
                call.fail("/latent/z", "pad " + pad, "coordinate " + i + " must be a finite number within ±100");
                return false;
            }
            z[i] = args.floatArg(1 + i);
        }
        boolean hasId = n == size + 1;
        if (hasId && !args.isNumber(args.count() - 1)) {
            call.fail("/latent/z", "pad " + pad, "the id must be a number");
            return false;
        }
        a.z(pad, z, "/latent/z", call.retain(), hasId, hasId ? args.intArg(args.count() - 1) : 0);
        return true;
    }

    /** The commands' addresses, for documentation and tests. */
    public static final List<String> COMMANDS = List.of("/latent/anchor", "/latent/xy", "/latent/morph", "/latent/z",
            "/latent/generate", "/latent/revert", "/latent/commit");
}
