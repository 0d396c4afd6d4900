package io.latentkit.core.namespace;

/**
 * Sets a one-number parameter at an engine frame: what OSC, MIDI learn, the web console and presets
 * call to change a value node. The value has been checked against the node's range already.
 *
 * <p>Threading: any control thread (OSC receiver, MIDI input, web server); must not block and, for
 * nodes on the performance path, must not allocate.
 */
@FunctionalInterface
public interface ValueSetter {
    /**
     * Sets the value at {@code atFrame} (or as soon as possible for {@link Namespace#ASAP}).
     *
     * @return {@code false} when the engine could not take it (its control ring was full)
     */
    boolean set(float value, long atFrame);
}
