package io.latentkit.engine.control;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;

/**
 * The engine's part of the control namespace: what a performer plays and sets. Hits and notes
 * ({@code /hit}, {@code /hit/<class>}, {@code /note}), every pad parameter by pad number and by
 * class name ({@code /pad/<n>/<param>}; one node per {@link PadParam} constant, so a new parameter
 * is one enum entry), and the tempo. Parameter values are the render thread's, read from the
 * engine's {@link EngineValues}; setters publish through the {@link EngineProxy} and never block or
 * allocate.
 *
 * <p>Threading: {@link #register} at build time, one thread; the nodes' setters from any thread.
 */
public final class EngineNodes {
    private static final Range PAD = Range.strict(0, DrumClass.COUNT - 1);
    private static final Range VELOCITY = Range.clamped(0, 1);
    private static final Range REPLY_ID = Range.ANY;

    private EngineNodes() {
    }

    /** Adds the engine's nodes, bound to {@code proxy} and {@code values}, to {@code ns}. */
    public static void register(Namespace.Builder ns, EngineProxy proxy, EngineValues values) {
        ns.add(Node.builder("/hit", NodeKind.HIT).types("ifi", 1).ranges(PAD, VELOCITY, REPLY_ID)
                .description("plays a pad (0..11) at a velocity (0..1, default 1); with a reply id, "
                        + "answers /started when its voice starts")
                .reply("/started ,iihh id pad frame target | /fail ,sis /hit id reason").build());
        for (DrumClass c : DrumClass.values()) {
            ns.add(Node.builder("/hit/" + c.oscName(), NodeKind.HIT_CLASS).template("/hit/<class>")
                    .types("fi", 0).ranges(VELOCITY, REPLY_ID).pad(c.pad())
                    .description("plays the pad of a drum class at a velocity (0..1, default 1), "
                            + "with an optional reply id as /hit")
                    .reply("/started | /fail, as /hit").build());
        }
        ns.add(Node.builder("/note", NodeKind.NOTE).types("ifi", 1).ranges(Range.strict(35, 81), VELOCITY, REPLY_ID)
                .description("plays the pad the General MIDI percussion map assigns to a note (35..81)")
                .reply("/started | /fail, as /hit").build());
        for (DrumClass c : DrumClass.values()) {
            for (PadParam p : PadParam.values()) {
                for (boolean byName : new boolean[] {false, true}) {
                    String pad = byName ? c.oscName() : Integer.toString(c.pad());
                    int slot = values.padSlot(c.pad(), p);
                    final int padIndex = c.pad();
                    ns.add(Node.builder("/pad/" + pad + "/" + p.oscName(), NodeKind.PAD_PARAM)
                            .template("/pad/<n>/" + p.oscName()).types("f")
                            .ranges(Range.clamped(p.min(), p.max())).unit(p.unit())
                            .description(p.description() + ", from the pad's next hit (<n> is 0..11 or the class name)")
                            .access(Access.READ_WRITE).pad(c.pad()).param(p.ordinal())
                            .value(values.board(), slot)
                            // Pads by class name are exact-only aliases, so /pad/*/gain sets each pad once.
                            .patternVisible(!byName)
                            .setter((v, at) -> proxy.setPadParam(padIndex, p, v, at)).build());
                }
            }
        }
        ns.add(Node.builder("/tempo", NodeKind.VALUE).types("f").ranges(Range.strict(20, 400)).unit("bpm")
                .description("tempo of the beat clock (the /beat telemetry, MIDI clock out)")
                .access(Access.READ_WRITE).value(values.board(), values.tempoSlot())
                .setter(proxy::setTempo).build());
    }
}
