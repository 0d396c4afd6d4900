package io.latentkit.server.bounce;

import io.latentkit.core.kit.Kit;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.AppliedLog;
import io.latentkit.engine.control.ControlEvent;
import io.latentkit.engine.control.Stage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * {@code serve --record-control FILE}: writes every control event the render thread applied, with
 * the frame it applied it at, as JSON lines (see {@link ControlLogPlayer} for the format), from the
 * engine's {@link AppliedLog}. The render thread only copies events into that ring; this agent, on
 * the conductor's thread, does the writing. Closing it (after the engine stopped) drains what is
 * left and writes the last line: the frame the session ended at and how many events were lost.
 *
 * <p>Threading: {@link #doWork} on the conductor thread; {@link #close} once, after the conductor and
 * the engine stopped.
 */
public final class ControlLogWriter implements Agent, AutoCloseable {
    private final Path file;
    private final AppliedLog log;
    private final LongSupplier endFrame;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(256);
    private final AppliedLog.Handler write = this::write;
    private long events;
    private boolean closed;

    /**
     * Opens {@code file} and writes the header: the engine settings a re-render needs.
     *
     * @param endFrame the frame the session is at (read when closing, after the engine stopped)
     * @throws UncheckedIOException if the file cannot be written
     */
    public ControlLogWriter(Path file, AppliedLog log, EngineConfig config, String initialKit, LongSupplier endFrame) {
        this.file = file;
        this.log = log;
        this.endFrame = endFrame;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(ControlLogPlayer.header(config, initialKit));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write control log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int doWork() {
        int n = log.drain(write);
        if (n > 0) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("writing control log " + file + " failed", e);
            }
        }
        return n;
    }

    private void write(ControlEvent e) {
        if (e.type == ControlEvent.STAGE && e.ref instanceof Stage s && s.wasRejected()) {
            return; // nothing of it was applied
        }
        line.setLength(0);
        line.append("{\"f\":").append(e.frame).append(",\"type\":").append(e.type)
                .append(",\"pad\":").append(e.pad).append(",\"velocity\":").append(e.velocity)
                .append(",\"param\":").append(e.param).append(",\"value\":").append(e.value)
                .append(",\"tag\":").append(e.tag).append(",\"source\":").append(e.source);
        if (e.ref instanceof Stage s) {
            line.append(",\"replay\":").append(s.replay() == null ? "null" : s.replay());
        } else if (e.ref instanceof Kit k) {
            line.append(",\"replay\":{\"op\":\"kit\",\"name\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(k.name()))
                    .append("\"}");
        }
        line.append('}').append('\n');
        try {
            out.append(line);
        } catch (IOException ex) {
            throw new UncheckedIOException("writing control log " + file + " failed", ex);
        }
        events++;
    }

    /** Events written so far. */
    public long events() {
        return events;
    }

    @Override
    public String roleName() {
        return "latentkit-control-log";
    }

    /** Drains the rest, writes the end line and closes the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            log.drain(write);
            out.write("{\"end\":" + endFrame.getAsLong() + ",\"lost\":" + log.lost() + "}\n");
        } catch (IOException e) {
            throw new UncheckedIOException("finishing control log " + file + " failed", e);
        }
    }
}
