package io.latentkit.core.namespace;

/**
 * The arguments of one message sent to a namespace node, whatever carried it (an OSC packet, a
 * WebSocket frame, a MIDI control). Numbers of any type read as any numeric type, as OSC clients
 * send ints or floats interchangeably.
 *
 * <p>Threading: valid only during the handler call that received it, on that thread.
 */
public interface Args {
    /** Number of arguments. */
    int count();

    /** Whether argument {@code i} exists and is a number (booleans count as 0 and 1). */
    boolean isNumber(int i);

    /** Whether argument {@code i} exists and is a string. */
    boolean isString(int i);

    /** Argument {@code i} as an int (floats rounded to the nearest). */
    int intArg(int i);

    /** Argument {@code i} as a float. */
    float floatArg(int i);

    /** Argument {@code i} as a string (allocates). */
    String string(int i);
}
