package io.latentkit.osc;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Args;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.engine.Engine;
import io.latentkit.engine.control.EngineNodes;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import java.util.ArrayList;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * OSC's part of the control namespace: the queries it answers from its own state ({@code /status},
 * {@code /version}, {@code /notify}, {@code /sync}), the library commands ({@code /kit/*},
 * {@code /preset/*}, {@code /midi/learn}) as staged commands, and the messages it sends (replies and
 * telemetry), so that they are documented with the rest.
 *
 * <p>Threading: {@link #register} at build time, one thread; the command handlers on the OSC
 * receiver thread, completing on the engine's loader thread.
 */
public final class OscNodes {
    /** Query codes (the parameter operand of the query nodes), answered by the dispatcher. */
    public static final int STATUS = 1;
    public static final int NOTIFY = 2;
    public static final int SYNC = 3;
    public static final int VERSION = 4;
    public static final int STARTED_FORMAT = 5;

    private OscNodes() {
    }

    /**
     * Adds OSC's nodes to {@code ns}.
     *
     * @param kits the kit library, or {@code null} when there is none ({@code /kit/*} answer {@code /fail})
     * @param actions the server's actions (presets, MIDI learn, models), read at each message;
     *     {@code null} from it until the server connects them
     */
    public static void register(Namespace.Builder ns, Engine engine, KitLoader kits, Supplier<ServerActions> actions) {
        StagedCommands commands = engine.commands();
        int rate = engine.config().sampleRateHz();
        ns.add(query("/status", STATUS, "", "voices, CPU average and peak %, sample rate, deadline misses, late events, "
                + "drops; then a name and count per non-zero drop reason, and the models' state",
                "/status.reply ,iffiiii[si...]"));
        ns.add(query("/notify", NOTIFY, "i", "subscribes (1) or unsubscribes (0) the sender to telemetry for 30 s",
                "/done ,s /notify"));
        ns.add(query("/sync", SYNC, "i", "answers once the engine has handled every event sent before it",
                "/synced ,i id"));
        ns.add(query("/format/started", STARTED_FORMAT, "i", "how the sender's /started replies carry frames: 0 as int64 "
                + "(,iihh, the default); 1 as int32 pairs each below 2^24, exact in a 32-bit float, for clients that "
                + "cannot read h (Pure Data's oscparse): /started ,iiiiii id pad frame_hi frame_lo target_hi "
                + "target_lo, frame = hi * 16777216 + lo", "/done ,s /format/started"));
        ns.add(query("/version", VERSION, "", "the server's version", "/version.reply ,ss latentkit <version>"));
        ns.add(Node.builder("/kit/load", NodeKind.COMMAND).types("s").touchesFiles(true)
                .description("loads a kit of the kit library off the audio thread and swaps it in click-free")
                .reply("/done ,ss /kit/load <name> | /fail ,sss /kit/load <name> <reason>")
                .handler((args, call) -> kitLoad(args, call, kits, commands, rate)).build());
        ns.add(Node.builder("/kit/list", NodeKind.COMMAND)
                .description("the kits the server can load").reply("/kit/list.reply ,s...")
                .handler((args, call) -> kitList(call, kits, commands)).build());
        ns.add(action("/preset/save", "saves the performance (kit, pad parameters, tempo, MIDI mapping) atomically",
                actions, ServerActions::presetSave, true));
        ns.add(action("/preset/load", "loads a preset: its kit with its pad settings, swapped in click-free, its "
                + "tempo and MIDI mapping", actions, ServerActions::presetLoad, true));
        ns.add(Node.builder("/preset/list", NodeKind.COMMAND)
                .description("the saved presets").reply("/preset/list.reply ,s...")
                .handler((args, call) -> presetList(call, actions)).build());
        ns.add(action("/midi/learn", "binds the next MIDI control moved to a parameter (snare/pitch, /pad/1/decay, /tempo)",
                actions, ServerActions::midiLearn, false));
        outputs(ns);
    }

    private static Node query(String address, int code, String types, String description, String reply) {
        return Node.builder(address, NodeKind.QUERY).types(types).param(code).description(description)
                .access(Access.READ).reply(reply).build();
    }

    /** The messages the server sends: documented in the namespace, never routed. */
    private static void outputs(Namespace.Builder ns) {
        String[][] out = {
            {"/started", "iihh", "a hit's voice started: reply id, pad, frame of its first sample, frame asked for (-1 immediate)"},
            {"/done", "ss", "a command succeeded: its address, and a detail"},
            {"/fail", "sss", "a command failed: its address, its subject, and the reason"},
            {"/synced", "i", "every event sent before /sync id was handled"},
            {"/meter/l", "f", "left output peak since the previous send, 0..1, about 30 Hz while subscribed"},
            {"/meter/r", "f", "right output peak since the previous send, 0..1"},
            {"/voices", "f", "voices sounding"},
            {"/beat", "f", "beat number of the beat clock, on every beat"},
        };
        for (String[] o : out) {
            ns.add(Node.builder(o[0], NodeKind.OUTPUT).types(o[1], o[1].length()).description(o[2])
                    .access(Access.READ).build());
        }
    }

    private static boolean kitLoad(Args args, Call call, KitLoader kits, StagedCommands commands, int rate) {
        if (!args.isString(0)) {
            call.fail("/kit/load", "expected ,s kit name");
            return false;
        }
        String name = args.string(0);
        if (!isPlainName(name)) {
            call.fail("/kit/load", name, "kit names are names in the library, not paths");
            return false;
        }
        if (kits == null) {
            call.fail("/kit/load", name, "no kit library configured");
            return true;
        }
        Call later = call.retain();
        commands.submit("/kit/load " + name, () -> {
            Kit kit = kits.loadNow(name);
            if (kit == null) {
                throw new IllegalArgumentException("no such kit");
            }
            if (kit.sampleRateHz() != rate) {
                throw new IllegalArgumentException("kit is at " + kit.sampleRateHz() + " Hz, engine at " + rate + " Hz");
            }
            // How a recorded session's offline render loads the same kit again (issue 17).
            return new Stage(null).kit(kit).replay("{\"op\":\"kit\",\"name\":\""
                    + new String(JsonStringEncoder.getInstance().quoteAsString(name)) + "\"}");
        }).whenComplete((stage, error) -> {
            if (error != null) {
                later.fail("/kit/load", name, reason(error));
            } else {
                later.done("/kit/load", name);
            }
        });
        return true;
    }

    private static boolean kitList(Call call, KitLoader kits, StagedCommands commands) {
        if (kits == null) {
            call.fail("/kit/list", "no kit library configured");
            return true;
        }
        Call later = call.retain();
        commands.run("/kit/list", kits::list).whenComplete((names, error) -> {
            if (error != null) {
                later.fail("/kit/list", reason(error));
            } else {
                later.reply("/kit/list.reply", new ArrayList<>(names));
            }
        });
        return true;
    }

    private static boolean presetList(Call call, Supplier<ServerActions> actions) {
        ServerActions a = actions.get();
        if (a == null) {
            call.fail("/preset/list", "not available in this server");
            return true;
        }
        Call later = call.retain();
        a.presetList().whenComplete((names, error) -> {
            if (error != null) {
                later.fail("/preset/list", reason(error));
            } else {
                later.reply("/preset/list.reply", new ArrayList<>(names));
            }
        });
        return true;
    }

    /**
     * {@code /preset/save|/preset/load|/midi/learn ,s name} -> {@code /done <address> <detail>} or
     * {@code /fail <address> <name> <reason>}.
     */
    private static Node action(String address, String description, Supplier<ServerActions> actions,
            BiFunction<ServerActions, String, CompletionStage<String>> run, boolean plainName) {
        return Node.builder(address, NodeKind.COMMAND).types("s").description(description).touchesFiles(plainName)
                .reply("/done ,ss " + address + " <detail> | /fail ,sss " + address + " <name> <reason>")
                .handler((args, call) -> {
                    if (!args.isString(0)) {
                        call.fail(address, "expected ,s name");
                        return false;
                    }
                    String name = args.string(0);
                    // A learn target is a pad parameter (snare/pitch, /pad/1/decay); preset names are plain names.
                    if (plainName ? !isPlainName(name) : !isLearnTarget(name)) {
                        call.fail(address, name, plainName ? "preset names are names in the library, not paths"
                                : "expected a parameter such as snare/pitch, /pad/1/decay or /tempo");
                        return false;
                    }
                    ServerActions a = actions.get();
                    if (a == null) {
                        call.fail(address, name, "not available in this server");
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

    /** A pad parameter in any short form, or an OSC address (the learn itself says whether it is a value). */
    private static boolean isLearnTarget(String s) {
        if (s.startsWith("/") && s.length() <= 256 && s.chars().allMatch(c -> c > ' ' && c < 127)) {
            return true;
        }
        try {
            PadTarget.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code name} is a plain name inside a library folder (no path, no escape). */
    public static boolean isPlainName(String name) {
        if (name.isEmpty() || name.length() > 128 || name.equals(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || c < ' ') {
                return false;
            }
        }
        return true;
    }

    /** The one-line reason of a failure. */
    public static String reason(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }

    /** A namespace with the engine's and OSC's nodes: what {@code serve} and the OSC tests route. */
    public static Namespace standard(Engine engine, KitLoader kits, Supplier<ServerActions> actions) {
        Namespace.Builder b = Namespace.builder(engine.values().board());
        EngineNodes.register(b, engine.proxy(), engine.values());
        register(b, engine, kits, actions);
        return b.build();
    }
}
