package io.latentkit.engine.sequence;

import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Args;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import io.latentkit.engine.control.EngineProxy;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.BiFunction;
import java.util.function.LongPredicate;

/**
 * The sequencer's part of the control namespace: transport ({@code /pattern/play}, {@code stop},
 * {@code continue}), live edits ({@code /pattern/cell ,iif}, {@code mute}, {@code bars},
 * {@code clear}), {@code /swing ,f}, the library commands ({@code /pattern/load}, {@code save},
 * {@code generate}) and the {@code /pattern/step ,ii} telemetry. Transport and edits take effect at
 * the message's frame (a bundle's timetag), through the control ring.
 *
 * <p>Threading: {@link #register} at build time, one thread; handlers on the transport's thread,
 * returning at once.
 */
public final class PatternNodes {
    private PatternNodes() {
    }

    /**
     * @param actions the server's pattern library and generator, read at each message ({@code null}
     *     from it where there is none: those commands answer {@code /fail})
     */
    public static void register(Namespace.Builder ns, EngineProxy proxy, Supplier<PatternActions> actions) {
        SequencerProxy seq = new SequencerProxy(proxy);
        ns.add(transport("/pattern/play", "plays the pattern chain from its first bar (the first step at the "
                + "message's frame)", seq::play));
        ns.add(transport("/pattern/stop", "stops the sequencer, keeping its position", seq::stop));
        ns.add(transport("/pattern/continue", "resumes from the position it stopped at (or a MIDI song position)",
                seq::resume));
        ns.add(Node.builder("/pattern/cell", NodeKind.COMMAND).types("iif")
                .ranges(Range.strict(0, Pattern.ROWS - 1), Range.strict(0, Pattern.MAX_TICKS - 1), Range.clamped(0, 1))
                .description("sets a cell: row (pad 0..11), tick in the chain (32 per beat, 128 per bar, 0..2047), "
                        + "velocity 0..1 (0 clears); heard the next time the tick comes round")
                .reply("/fail ,ss /pattern/cell <reason> when refused")
                .handler((args, call) -> cell(seq, args, call)).build());
        ns.add(Node.builder("/pattern/mute", NodeKind.COMMAND).types("ii")
                .ranges(Range.strict(0, Pattern.ROWS - 1), Range.strict(0, 1))
                .description("mutes (1) or unmutes (0) a row of the pattern")
                .reply("/fail ,ss /pattern/mute <reason> when refused")
                .handler((args, call) -> {
                    if (!args.isNumber(0) || !args.isNumber(1) || !rowOk(args.intArg(0))) {
                        call.fail("/pattern/mute", "expected ,ii row 0..11 and 0 or 1");
                        return false;
                    }
                    return busy(seq.mute(args.intArg(0), args.intArg(1) != 0, call.frame()), "/pattern/mute", call);
                }).build());
        ns.add(Node.builder("/pattern/bars", NodeKind.COMMAND).types("i").ranges(Range.strict(1, Pattern.MAX_BARS))
                .description("sets the chain's length, 1..16 bars (bars beyond it keep their cells)")
                .reply("/fail ,ss /pattern/bars <reason> when refused")
                .handler((args, call) -> {
                    if (!args.isNumber(0) || args.intArg(0) < 1 || args.intArg(0) > Pattern.MAX_BARS) {
                        call.fail("/pattern/bars", "expected ,i 1..16");
                        return false;
                    }
                    return busy(seq.bars(args.intArg(0), call.frame()), "/pattern/bars", call);
                }).build());
        ns.add(transport("/pattern/clear", "clears every cell and mute of the pattern playing", seq::clear));
        ns.add(Node.builder("/swing", NodeKind.VALUE).types("f").ranges(Range.strict(0, 1))
                .description("the sequencer's swing, 0..1: the off-beat sixteenth moves from 50% (0) to 75% (1) "
                        + "of its eighth")
                .access(Access.WRITE).setter((v, at) -> seq.swing(v, at)).build());
        ns.add(library("/pattern/load", "loads a saved pattern; while playing it takes over at the next bar line",
                actions, PatternActions::load));
        ns.add(library("/pattern/save", "saves the pattern playing (atomic, versioned JSON)", actions,
                PatternActions::save));
        ns.add(Node.builder("/pattern/generate", NodeKind.COMMAND).types("iff", 1)
                .ranges(Range.strict(0, Pattern.MAX_BARS - 1), Range.clamped(0, 1), Range.clamped(0, 1))
                .description("generates one bar into chain bar slot 0..15: density 0..1 (default: the model's), "
                        + "variation 0..1 (default 0: a fresh bar; above 0 a variation of the bar in the slot)")
                .reply("/done ,ss /pattern/generate <detail> | /fail ,sss /pattern/generate <slot> <reason>")
                .handler((args, call) -> generate(args, call, actions)).build());
        ns.add(Node.builder("/pattern/step", NodeKind.OUTPUT).types("ii", 2)
                .description("the sequencer is on a beat: bar of its chain, tick in the bar (0, 32, 64, 96)")
                .access(Access.READ).build());
    }

    /** A node that takes no arguments and publishes one sequencer control at the message's frame. */
    private static Node transport(String address, String description, LongPredicate publish) {
        return Node.builder(address, NodeKind.COMMAND).description(description)
                .reply("/fail ,ss " + address + " <reason> when the engine is busy")
                .handler((args, call) -> busy(publish.test(call.frame()), address, call)).build();
    }

    private static boolean busy(boolean published, String address, Call call) {
        if (!published) {
            call.fail(address, "engine busy (control ring full)");
        }
        return true;
    }

    private static boolean rowOk(int row) {
        return row >= 0 && row < Pattern.ROWS;
    }

    private static boolean cell(SequencerProxy seq, Args args, Call call) {
        if (!args.isNumber(0) || !args.isNumber(1) || !args.isNumber(2)) {
            call.fail("/pattern/cell", "expected ,iif row tick velocity");
            return false;
        }
        int row = args.intArg(0);
        int tick = args.intArg(1);
        float v = args.floatArg(2);
        if (!rowOk(row) || tick < 0 || tick >= Pattern.MAX_TICKS || v != v) {
            call.fail("/pattern/cell", "row must be 0..11, tick 0.." + (Pattern.MAX_TICKS - 1) + ", velocity a number");
            return false;
        }
        return busy(seq.cell(row, tick, Math.max(0f, Math.min(1f, v)), call.frame()), "/pattern/cell", call);
    }

    private static Node library(String address, String description, Supplier<PatternActions> actions,
            BiFunction<PatternActions, String, CompletionStage<String>> run) {
        return Node.builder(address, NodeKind.COMMAND).types("s").description(description)
                .reply("/done ,ss " + address + " <name> | /fail ,sss " + address + " <name> <reason>")
                .handler((args, call) -> {
                    if (!args.isString(0)) {
                        call.fail(address, "expected ,s name");
                        return false;
                    }
                    String name = args.string(0);
                    PatternActions a = actions.get();
                    if (a == null) {
                        call.fail(address, name, "no pattern library in this server");
                        return true;
                    }
                    Call later = call.retain();
                    run.apply(a, name).whenComplete((detail, error) -> {
                        if (error != null) {
                            later.fail(address, name, reason(error));
                        } else {
                            later.done(address, detail);
                        }
                    });
                    return true;
                }).build();
    }

    private static boolean generate(Args args, Call call, Supplier<PatternActions> actions) {
        if (!args.isNumber(0)) {
            call.fail("/pattern/generate", "expected ,i[ff] slot [density] [variation]");
            return false;
        }
        int slot = args.intArg(0);
        if (slot < 0 || slot >= Pattern.MAX_BARS) {
            call.fail("/pattern/generate", Integer.toString(slot), "slot must be 0..15");
            return false;
        }
        float density = args.isNumber(1) ? clamp01(args.floatArg(1)) : Float.NaN;
        float variation = args.isNumber(2) ? clamp01(args.floatArg(2)) : 0f;
        PatternActions a = actions.get();
        if (a == null) {
            call.fail("/pattern/generate", Integer.toString(slot), "no pattern generator in this server");
            return true;
        }
        Call later = call.retain();
        a.generate(slot, density, variation).whenComplete((detail, error) -> {
            if (error != null) {
                later.fail("/pattern/generate", Integer.toString(slot), reason(error));
            } else {
                later.done("/pattern/generate", detail);
            }
        });
        return true;
    }

    private static float clamp01(float v) {
        return v != v ? 0f : Math.max(0f, Math.min(1f, v));
    }

    private static String reason(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }
}
