package io.latentkit.server;

import io.latentkit.engine.control.ControlThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's control-side duty cycles on one thread ({@code latentkit-conductor}): the engine's
 * housekeeping (retired kits, staged-command completions, errors the render thread could only
 * count), the autosave, the tempo follower and whatever later features add. None of them needs
 * more than a few milliseconds of latency, so they share one thread instead of one each; the
 * render thread, the OSC receiver and the loader keep their own.
 *
 * <p>Threading: {@link #add} and {@link #start} on the thread that starts the server, in order;
 * {@link #close} from the shutdown hook. The agents run on the conductor thread only.
 */
public final class Conductor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Conductor.class);

    private final List<Agent> agents = new ArrayList<>();
    private final ControlThreads controlThreads;
    private AgentRunner runner;

    /** @param controlThreads keeps the conductor's thread alive through an Error and reports it (the engine's) */
    public Conductor(ControlThreads controlThreads) {
        this.controlThreads = Objects.requireNonNull(controlThreads, "controlThreads");
    }

    /** Adds an agent; before {@link #start} only. */
    public Conductor add(Agent agent) {
        if (runner != null) {
            throw new IllegalStateException("conductor already started");
        }
        agents.add(agent);
        return this;
    }

    /** Starts the conductor thread. */
    public void start() {
        if (agents.isEmpty()) {
            return;
        }
        // Spin a little, then park up to a millisecond: completions and tempo changes are followed
        // within about a millisecond, an idle conductor costs next to nothing.
        runner = new AgentRunner(new BackoffIdleStrategy(10, 10, 10_000, 1_000_000),
                t -> LOG.warn("conductor agent failed (continuing): {}", t.toString()), null,
                controlThreads.agent("latentkit-conductor", new CompositeAgent(agents)));
        AgentRunner.startOnThread(runner).setName("latentkit-conductor");
    }

    /** The agents, in order. */
    public List<Agent> agents() {
        return List.copyOf(agents);
    }

    /** Stops the conductor thread after the current duty cycle. */
    @Override
    public void close() {
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
