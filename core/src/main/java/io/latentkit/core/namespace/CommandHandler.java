package io.latentkit.core.namespace;

/**
 * What a command node does with a message: check the arguments, start the work (usually a staged
 * command that completes on another thread) and reply through the call.
 *
 * <p>Threading: called on the transport's thread (OSC receiver, web server); must return at once.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * Handles one message.
     *
     * @return {@code false} if the arguments were not acceptable (the transport counts it as bad
     *     arguments; the handler has replied with the reason where a reply makes sense)
     */
    boolean handle(Args args, Call call);
}
