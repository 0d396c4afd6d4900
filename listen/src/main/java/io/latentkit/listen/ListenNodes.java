package io.latentkit.listen;

import io.latentkit.core.DrumClass;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Listen mode's part of the control namespace: {@code /listen ,i} on/off, {@code /listen/threshold
 * ,f}, {@code /listen/gap ,f}, {@code /listen/map ,si}, the enrolment commands {@code /listen/learn
 * ,s} and {@code /listen/forget ,s}, the {@code /listen/classes} and {@code /listen/status}
 * queries and the {@code /listen/hit
 * ,sfih} telemetry. The nodes exist whether or not {@code serve} listens (the namespace is one
 * document); without listen mode each command answers {@code /fail} with the reason.
 *
 * <p>Threading: {@link #register} at build time, one thread; handlers on the transport's thread,
 * returning at once (learn and forget reply later, from the listen thread).
 */
public final class ListenNodes {
    /** {@code /listen/capture/last}'s default name: the local date and time it was asked at. */
    private static final DateTimeFormatter LAST_NAME = DateTimeFormatter.ofPattern("'last-'yyyyMMdd-HHmmss");

    /** The reason every command gives when {@code serve} runs without {@code --listen}. */
    public static final String OFF = "listen mode is off (start serve with --listen)";

    private ListenNodes() {
    }

    /** @param controls listen mode's controls, read at each message ({@code null} without listen mode) */
    public static void register(Namespace.Builder ns, Supplier<ListenControls> controls) {
        register(ns, controls, () -> null);
    }

    /**
     * As {@link #register(Namespace.Builder, Supplier)}, with the library's recordings folder that
     * {@code /listen/capture} records into ({@code null} from it: no library, the command fails).
     */
    public static void register(Namespace.Builder ns, Supplier<ListenControls> controls, Supplier<Path> recordings) {
        captureNodes(ns, controls, recordings);
        ns.add(Node.builder("/listen/feedback", NodeKind.COMMAND).types("i").ranges(Range.strict(0, 1))
                .description("turns the feedback guard on (1, the default) or off (0): with it on, our own drums heard "
                        + "again through the input (a speaker into the microphone) trigger nothing and are counted "
                        + "(feedback_suppressed in /listen/status); a machine-tight input (a drum machine) wants it off")
                .reply("/done ,ss /listen/feedback on|off, or /fail ,ss /listen/feedback <reason>")
                .value(() -> value(controls, c -> c.feedbackGuard() ? 1 : 0))
                .handler((args, call) -> {
                    if (!args.isNumber(0) || args.intArg(0) < 0 || args.intArg(0) > 1) {
                        call.fail("/listen/feedback", "expected ,i 1 or 0");
                        return false;
                    }
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen/feedback", OFF);
                        return true;
                    }
                    c.feedbackGuard(args.intArg(0) == 1);
                    call.done("/listen/feedback", c.feedbackGuard() ? "on" : "off");
                    return true;
                }).build());
        ns.add(Node.builder("/listen", NodeKind.COMMAND).types("i").ranges(Range.strict(0, 1))
                .description("turns triggering from the input on (1) or off (0); the detector keeps listening")
                .reply("/done ,ss /listen on|off, or /fail ,ss /listen <reason>")
                .value(() -> value(controls, c -> c.enabled() ? 1 : 0))
                .handler((args, call) -> {
                    if (!args.isNumber(0) || args.intArg(0) < 0 || args.intArg(0) > 1) {
                        call.fail("/listen", "expected ,i 1 or 0");
                        return false;
                    }
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen", OFF);
                        return true;
                    }
                    c.enabled(args.intArg(0) == 1);
                    call.done("/listen", c.enabled() ? "on" : "off");
                    return true;
                }).build());
        ns.add(number("/listen/threshold", "onset threshold 0..100 (default "
                + StreamingOnsetDetector.DEFAULT_SENSITIVITY + "): how far the spectral flux must rise above its "
                + "recent median; higher finds fewer, louder hits", 0, 100, controls,
                (c, v) -> c.threshold(v), c -> c.threshold()));
        ns.add(number("/listen/gap", "the closest two onsets may be, 0..2000 ms (default "
                + Math.round(ListenConfig.defaults().onset().minGapMs()) + "; about 120 for a beatboxer)",
                0, 2000, controls, (c, v) -> c.minGapMs(v), c -> (float) c.minGapMs()));
        ns.add(Node.builder("/listen/map", NodeKind.COMMAND).types("si")
                .ranges(Range.ANY, Range.strict(-1, DrumClass.COUNT - 1))
                .description("maps a class (a drum class or a learned one) to a pad 0..11, or -1: reported, plays nothing")
                .reply("/done ,ss /listen/map <class>=<pad>, or /fail ,sss /listen/map <class> <reason>")
                .handler((args, call) -> {
                    if (!args.isString(0) || !args.isNumber(1)) {
                        call.fail("/listen/map", "expected ,si class pad");
                        return false;
                    }
                    String name = args.string(0);
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen/map", name, OFF);
                        return true;
                    }
                    try {
                        c.map(name, args.intArg(1));
                    } catch (IllegalArgumentException e) {
                        call.fail("/listen/map", name, e.getMessage());
                        return false;
                    }
                    call.done("/listen/map", name.trim().toLowerCase(Locale.ROOT) + "=" + args.intArg(1));
                    return true;
                }).build());
        ns.add(later("/listen/learn", "records the next examples (default " + ListenConfig.DEFAULT_LEARN_EXAMPLES
                + ") of a class of the performer's; from then on the learned classes decide every hit",
                "class", controls, ListenControls::learn));
        ns.add(later("/listen/forget", "forgets one learned class, or every one with 'all' (the drum classifier "
                + "decides again once none is left)", "class|all", controls, ListenControls::forget));
        ns.add(Node.builder("/listen/classes", NodeKind.COMMAND)
                .description("the learned classes (one being learned ends in '*')")
                .reply("/listen/classes.reply ,s... one string per class, or /fail ,ss /listen/classes <reason>")
                .handler((args, call) -> {
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen/classes", OFF);
                        return true;
                    }
                    call.reply("/listen/classes.reply", List.copyOf(c.learnedClasses()));
                    return true;
                }).build());
        ns.add(Node.builder("/listen/status", NodeKind.COMMAND)
                .description("listen mode's counters: onsets, hits decided, drums triggered, missed slots, input lost, "
                        + "stalls, ...; then the latency L in force (latency_us; latency_auto 1 when auto chose it at"
                        + " start) and its window (window_us)")
                .reply("/listen/status.reply ,sh... one name and count per counter, or /fail ,ss /listen/status <reason>")
                .handler((args, call) -> {
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen/status", OFF);
                        return true;
                    }
                    List<Object> pairs = new ArrayList<>();
                    c.counters().asMap().forEach((name, count) -> {
                        pairs.add(name);
                        pairs.add(count);
                    });
                    // The latency in force (auto: as chosen at start) and the window it leaves.
                    pairs.add("latency_us");
                    pairs.add(Math.round(c.latencyMs() * 1000));
                    pairs.add("window_us");
                    pairs.add(Math.round(c.windowMs() * 1000));
                    pairs.add("latency_auto");
                    pairs.add(c.autoLatency() ? 1L : 0L);
                    call.reply("/listen/status.reply", pairs);
                    return true;
                }).build());
        ns.add(Node.builder("/listen/hit", NodeKind.OUTPUT).types("sfih", 4)
                .description("a hit heard: class, confidence 0..1, pad played (-1: none), engine frame it plays at")
                .access(Access.READ).build());
        ns.add(Node.builder("/listen/hit/class", NodeKind.OUTPUT).template("/listen/hit/<class>").types("f")
                .description("the same hit as one float per class, its confidence (a channel per class for "
                        + "TouchDesigner)")
                .access(Access.READ).build());
    }

    private static void captureNodes(Namespace.Builder ns, Supplier<ListenControls> controls, Supplier<Path> recordings) {
        ns.add(Node.builder("/listen/capture", NodeKind.COMMAND).types("s").touchesFiles(true)
                .description("records the input into the library's recordings/<name>.wav until /listen/capture/stop "
                        + "(then /kit/extract <name> <kit> makes a kit of it); at most 3 hours")
                .reply("/done ,ss /listen/capture <name>, or /fail ,sss /listen/capture <name> <reason>")
                .handler((args, call) -> {
                    if (!args.isString(0)) {
                        call.fail("/listen/capture", "expected ,s name");
                        return false;
                    }
                    String name = args.string(0).endsWith(".wav") ? args.string(0) : args.string(0) + ".wav";
                    if (!plainName(name)) {
                        call.fail("/listen/capture", args.string(0), "a recording is a name in the library, not a path");
                        return false;
                    }
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen/capture", args.string(0), OFF);
                        return true;
                    }
                    Path dir = recordings.get();
                    if (dir == null) {
                        call.fail("/listen/capture", args.string(0), "no library configured");
                        return true;
                    }
                    try {
                        Files.createDirectories(dir);
                        call.done("/listen/capture", c.startCapture(dir.resolve(name)));
                    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                        call.fail("/listen/capture", args.string(0), e.getMessage());
                    }
                    return true;
                }).build());
        ns.add(Node.builder("/listen/capture/last", NodeKind.COMMAND).types("fs", 1).touchesFiles(true)
                .ranges(Range.strict(0, ListenConfig.defaults().ringSeconds()), Range.ANY)
                .unit("s")
                .description("saves the last seconds of input (what was just played, up to the input ring's "
                        + "length) as recordings/<name>.wav, by default last-<date>-<time>; never replaces a file")
                .reply("/done ,ss /listen/capture/last <name>.wav: <seconds> s once written, or /fail ,ss "
                        + "/listen/capture/last <reason>")
                .handler((args, call) -> {
                    if (!args.isNumber(0) || (args.count() > 1 && !args.isString(1))) {
                        call.fail("/listen/capture/last", "expected ,f seconds or ,fs seconds name");
                        return false;
                    }
                    String name = args.count() > 1 ? args.string(1) : LAST_NAME.format(LocalDateTime.now());
                    name = name.endsWith(".wav") ? name : name + ".wav";
                    if (!plainName(name)) {
                        call.fail("/listen/capture/last", "a recording is a name in the library, not a path");
                        return false;
                    }
                    ListenControls c = controls.get();
                    Path dir = recordings.get();
                    if (c == null || dir == null) {
                        call.fail("/listen/capture/last", c == null ? OFF : "no library configured");
                        return true;
                    }
                    Call reply = call.retain();
                    try {
                        Files.createDirectories(dir);
                        c.saveLastSeconds(args.floatArg(0), dir.resolve(name)).whenComplete((summary, error) -> {
                            if (error != null) {
                                reply.fail("/listen/capture/last", reason(error));
                            } else {
                                reply.done("/listen/capture/last", summary);
                            }
                        });
                    } catch (IOException | IllegalArgumentException e) {
                        reply.fail("/listen/capture/last", e.getMessage());
                    }
                    return true;
                }).build());
        ns.add(Node.builder("/listen/capture/stop", NodeKind.COMMAND).touchesFiles(true)
                .description("stops recording the input; the file appears whole once written, or not at all "
                        + "(a recording the disk cut short is kept up to there, and the summary says so)")
                .reply("/done ,ss /listen/capture/stop <name>: <seconds> s once written, or /fail ,ss "
                        + "/listen/capture/stop <reason>")
                .handler((args, call) -> {
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail("/listen/capture/stop", OFF);
                        return true;
                    }
                    Call reply = call.retain();
                    c.stopCapture().whenComplete((summary, error) -> {
                        if (error != null) {
                            reply.fail("/listen/capture/stop", reason(error));
                        } else {
                            reply.done("/listen/capture/stop", summary);
                        }
                    });
                    return true;
                }).build());
    }

    /** A file name without folders (the check the library's other commands make). */
    static boolean plainName(String name) {
        if (name.isEmpty() || name.length() > 128 || name.startsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == '/' || ch == '\\' || ch == ':' || ch < ' ') {
                return false;
            }
        }
        return true;
    }

    /**
     * The listener that sends each hit to telemetry subscribers as {@code /listen/hit ,sfih} and
     * {@code /listen/hit/<class> ,f}; {@code send} takes an address and its arguments, from the
     * listen thread.
     */
    public static ListenHitListener telemetry(BiConsumer<String, Object[]> send) {
        return hit -> {
            send.accept("/listen/hit", new Object[] {hit.className(), hit.confidence(), hit.pad(), hit.triggerFrame()});
            send.accept("/listen/hit/" + hit.className(), new Object[] {hit.confidence()});
        };
    }

    private interface FloatSetter {
        void set(ListenControls c, float v);
    }

    private static Node number(String address, String description, double min, double max,
            Supplier<ListenControls> controls, FloatSetter set, Function<ListenControls, Float> get) {
        return Node.builder(address, NodeKind.COMMAND).types("f").ranges(Range.strict(min, max))
                .description(description)
                .reply("/done ,ss " + address + " <value>, or /fail ,ss " + address + " <reason>")
                .value(() -> value(controls, get::apply))
                .handler((args, call) -> {
                    if (!args.isNumber(0)) {
                        call.fail(address, "expected ,f " + (int) min + ".." + (int) max);
                        return false;
                    }
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail(address, OFF);
                        return true;
                    }
                    try {
                        set.set(c, args.floatArg(0));
                    } catch (IllegalArgumentException e) {
                        call.fail(address, e.getMessage());
                        return false;
                    }
                    call.done(address, String.valueOf(get.apply(c)));
                    return true;
                }).build();
    }

    /** A command whose work completes on the listen thread; its reply follows then. */
    private static Node later(String address, String description, String what, Supplier<ListenControls> controls,
            BiFunction<ListenControls, String, CompletableFuture<String>> run) {
        return Node.builder(address, NodeKind.COMMAND).types("s").description(description)
                .reply("/done ,ss " + address + " <summary> once done, or /fail ,sss " + address + " <class> <reason>")
                .handler((args, call) -> {
                    if (!args.isString(0)) {
                        call.fail(address, "expected ,s " + what);
                        return false;
                    }
                    String name = args.string(0);
                    ListenControls c = controls.get();
                    if (c == null) {
                        call.fail(address, name, OFF);
                        return true;
                    }
                    Call reply = call.retain();
                    run.apply(c, name).whenComplete((summary, error) -> {
                        if (error != null) {
                            reply.fail(address, name, reason(error));
                        } else {
                            reply.done(address, summary);
                        }
                    });
                    return true;
                }).build();
    }

    private static List<Object> value(Supplier<ListenControls> controls, Function<ListenControls, Number> get) {
        ListenControls c = controls.get();
        return c == null ? List.of() : List.of(get.apply(c));
    }

    private static String reason(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
