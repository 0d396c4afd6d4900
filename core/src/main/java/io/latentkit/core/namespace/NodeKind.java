package io.latentkit.core.namespace;

/**
 * How a transport reaches a node. The performance kinds have fast, allocation-free paths in each
 * transport (their operands say which pad or parameter); {@link #VALUE} nodes take one number
 * through their {@link ValueSetter}; {@link #QUERY} nodes are answered by the transport itself from
 * its own state (counters, subscriptions); {@link #COMMAND} nodes run their {@link CommandHandler}.
 *
 * <p>Immutable; any thread.
 */
public enum NodeKind {
    /** {@code /hit ,i[f]}: a pad by number. */
    HIT,
    /** {@code /hit/<class> [,f]}: the pad in the node's pad operand. */
    HIT_CLASS,
    /** {@code /note ,i[f]}: a pad by General MIDI note. */
    NOTE,
    /** {@code /pad/<n>/<param> ,f}: the parameter in the node's operands. */
    PAD_PARAM,
    /** Any other one-number parameter. */
    VALUE,
    /** Answered by the transport from its own state. */
    QUERY,
    /** Runs the node's command handler. */
    COMMAND,
    /** Sent by the server, never received: telemetry and replies (documented, not routed). */
    OUTPUT
}
