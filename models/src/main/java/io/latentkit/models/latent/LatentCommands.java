package io.latentkit.models.latent;

import io.latentkit.engine.control.StagedCommands;
import io.latentkit.models.ModelException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The latent pads' commands ({@code /latent/anchor}, {@code /latent/generate},
 * {@code /latent/revert}, {@code /latent/commit}) as the inference worker runs them, each answered
 * with {@code /done} or {@code /fail}; split from {@link LatentAgent}, which takes them from the
 * pads' queues.
 *
 * <p>Threading: the inference worker only (the replies leave from whichever thread completes the
 * stage or the file write).
 */
final class LatentCommands {
    private LatentCommands() {
    }

    /** Runs {@code c} for pad slot {@code s}; its sender hears the result (or the failure). */
    static void run(LatentWork work, LatentSlot s, LatentSlot.Command c, LatentStats stats, LatentLibrary library,
            StagedCommands commands) {
        try {
            switch (c.address()) {
                case "/latent/anchor" -> answer(work.anchor(s, c.corner(), c.sound(), c.seq()), c, s,
                        "pad " + s.pad + " corner " + c.corner() + " " + c.sound());
                case "/latent/generate" -> work.generate(s, c.variance(), c.seq());
                case "/latent/revert" -> answer(work.revert(s), c, s, "pad " + s.pad);
                default -> commitNow(work, s, c, library, commands);
            }
        } catch (ModelException | RuntimeException e) {
            stats.failures.incrementAndGet();
            if (c.call() != null) {
                c.call().fail(c.address(), "pad " + s.pad, LatentWork.reason(e));
            } else {
                s.fail(c.seq(), LatentWork.reason(e));
            }
        }
    }

    /** {@code /done} with {@code what} once {@code f} completes, or {@code /fail} with the reason. */
    private static void answer(CompletableFuture<?> f, LatentSlot.Command c, LatentSlot s, String what) {
        f.whenComplete((st, err) -> {
            if (err != null) {
                c.call().fail(c.address(), "pad " + s.pad, LatentWork.reason(err));
            } else {
                c.call().done(c.address(), what);
            }
        });
    }

    /** The exact sound is made here; the files are written on the loader thread. */
    private static void commitNow(LatentWork work, LatentSlot s, LatentSlot.Command c, LatentLibrary library,
            StagedCommands commands) throws ModelException {
        if (library == null) {
            throw new IllegalStateException("no sound library in this server");
        }
        SoundCache.Entry e = work.exactSound(work.pad(s.pad));
        int rate = work.space.rateHz();
        String model = work.space.modelId();
        commands.run("/latent/commit " + c.sound(), () -> {
            try {
                return library.commit(c.sound(), e.modelRate(), rate, e.z(), model);
            } catch (IOException io) {
                throw new IllegalStateException("cannot write sound '" + c.sound() + "': " + io.getMessage(), io);
            }
        }).whenComplete((path, err) -> {
            if (err != null) {
                c.call().fail("/latent/commit", c.sound(), LatentWork.reason(err));
            } else {
                c.call().done("/latent/commit", c.sound());
            }
        });
    }
}
