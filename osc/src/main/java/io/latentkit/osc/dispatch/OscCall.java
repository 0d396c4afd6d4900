package io.latentkit.osc.dispatch;

import io.latentkit.core.namespace.Call;
import io.latentkit.osc.transport.OscPeer;
import java.util.List;
import java.util.function.Consumer;

/**
 * A message to a command node, as OSC delivered it: the frame its bundle's timetag maps to, and the
 * peer its replies go to (the sender, or its host on the reply port the message named). One call
 * object is reused for every message; {@link #retain()} makes a stable one for replies that come
 * later, which are queued back to the receiver thread.
 *
 * <p>Threading: receiver thread; a retained call may be used from any thread.
 */
final class OscCall implements Call {
    private final Replies replies;
    private final Consumer<Runnable> post;
    private long frame;
    private OscPeer to;

    OscCall(Replies replies, Consumer<Runnable> post) {
        this.replies = replies;
        this.post = post;
    }

    /** Receiver thread: points the reused call at the next message. */
    OscCall reset(long atFrame, OscPeer replyTo) {
        this.frame = atFrame;
        this.to = replyTo;
        return this;
    }

    OscPeer peer() {
        return to;
    }

    @Override
    public long frame() {
        return frame;
    }

    @Override
    public void done(String address, String detail) {
        if (detail == null) {
            replies.done(to, address);
        } else {
            replies.done(to, address, detail);
        }
    }

    @Override
    public void fail(String address, String reason) {
        replies.fail(to, address, reason);
    }

    @Override
    public void fail(String address, String subject, String reason) {
        replies.fail(to, address, subject, reason);
    }

    @Override
    public void reply(String address, List<Object> arguments) {
        replies.message(to, address, arguments);
    }

    @Override
    public Call retain() {
        return new Retained(frame, to.retain());
    }

    /** A call kept beyond its message: every reply is posted to the receiver thread. */
    private final class Retained implements Call {
        private final long atFrame;
        private final OscPeer peer;

        Retained(long atFrame, OscPeer peer) {
            this.atFrame = atFrame;
            this.peer = peer;
        }

        @Override
        public long frame() {
            return atFrame;
        }

        @Override
        public void done(String address, String detail) {
            post.accept(() -> {
                if (detail == null) {
                    replies.done(peer, address);
                } else {
                    replies.done(peer, address, detail);
                }
            });
        }

        @Override
        public void fail(String address, String reason) {
            post.accept(() -> replies.fail(peer, address, reason));
        }

        @Override
        public void fail(String address, String subject, String reason) {
            post.accept(() -> replies.fail(peer, address, subject, reason));
        }

        @Override
        public void reply(String address, List<Object> arguments) {
            List<Object> copy = List.copyOf(arguments);
            post.accept(() -> replies.message(peer, address, copy));
        }

        @Override
        public Call retain() {
            return this;
        }
    }
}
