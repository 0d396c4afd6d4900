package io.latentkit.core.namespace;

import java.util.List;

/**
 * The context of one message to a command node: when it should take effect and where its replies
 * go. Replies follow the OSC conventions of latentkit ({@code /done ,s address [detail]} and
 * {@code /fail ,s address [subject] reason}); a transport renders them in its own encoding.
 *
 * <p>Threading: a call is valid during the handler on the transport's thread; {@link #retain()}
 * returns a handle that may be used later from any thread (replies are then queued to the
 * transport's thread).
 */
public interface Call {
    /** The engine frame the message asks for, or {@link Namespace#ASAP}. */
    long frame();

    /** Replies {@code /done ,ss address detail} (no detail: {@code /done ,s address}). */
    void done(String address, String detail);

    /** Replies {@code /fail ,ss address reason}. */
    void fail(String address, String reason);

    /** Replies {@code /fail ,sss address subject reason}. */
    void fail(String address, String subject, String reason);

    /** Replies with any message: each argument a String, Integer, Long or Float. */
    void reply(String address, List<Object> arguments);

    /** A handle for replies after the handler has returned (staged commands). */
    Call retain();

    /** A call whose replies go nowhere (MIDI, scripts, tests). */
    Call SILENT = new Call() {
        @Override
        public long frame() {
            return Namespace.ASAP;
        }

        @Override
        public void done(String address, String detail) {
        }

        @Override
        public void fail(String address, String reason) {
        }

        @Override
        public void fail(String address, String subject, String reason) {
        }

        @Override
        public void reply(String address, List<Object> arguments) {
        }

        @Override
        public Call retain() {
            return this;
        }
    };
}
