package io.latentkit.engine.sink;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/**
 * Plays to a JACK server (jackd, or PipeWire's JACK API) as client {@code CLIENT} with two output
 * ports, {@code out_l} and {@code out_r}. The engine renders inside JACK's process callback, on the
 * thread JACK runs at real-time priority: each callback of {@code n} frames renders as many engine
 * blocks as it needs and copies them into the port buffers (a block left over waits for the next
 * callback, so any JACK period works with any block size). Deadline misses are JACK's xruns, as
 * JACK's xrun callback reports them. The ports connect to the server's physical playback ports
 * unless told otherwise ({@code connect} = none or a list of port names).
 *
 * <p>Allocation: the render path inside the callback allocates nothing; JNA's callback dispatch
 * around it does (its argument array and pointer wrappers). Both are measured and exposed:
 * {@link #renderBytes()} (the engine's part, read before and after it in every callback) and
 * {@link #callbackBytes()} (everything the JACK thread allocated since the first callback).
 *
 * <p>Threading: see {@link CallbackSink}. The xrun and shutdown callbacks run on JACK's
 * notification thread and only touch atomics.
 */
public final class JackSink implements CallbackSink {
    /** Where the ports connect: the physical playback ports, none, or the named ones. */
    public enum Connect { AUTO, NONE, NAMED }

    private final String clientName;
    private final String serverName;
    private final Connect connect;
    private final List<String> targets;
    private JackClient client;
    private JackPort outL;
    private JackPort outR;
    private int blockFrames;
    private int periodFrames;
    /** One rendered block, deinterleaved; {@code carried} frames of it from {@code carryFrom} wait. */
    private float[] carryL;
    private float[] carryR;
    private int carryFrom;
    private int carried;
    private volatile CallbackSink.Renderer renderer;
    private volatile Thread thread;
    private volatile long nativeTid = -1;
    private final AtomicLong xruns = new AtomicLong();
    private volatile boolean shutDown;
    private volatile long renderBytes;
    private volatile long callbackBytes;
    private volatile long callbacks;
    private long firstCallbackAllocated = -1;
    private final ThreadMXBean threads =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * A JACK sink.
     *
     * @param clientName the JACK client name (default "latentkit")
     * @param serverName the JACK server to use, or null for the default one ($JACK_DEFAULT_SERVER)
     * @param connect where the ports connect
     * @param targets port names for {@link Connect#NAMED}, left then right
     */
    public JackSink(String clientName, String serverName, Connect connect, List<String> targets) {
        this.clientName = clientName;
        this.serverName = serverName;
        this.connect = connect;
        this.targets = List.copyOf(targets);
    }

    /** libc's setenv: libjack reads JACK_DEFAULT_SERVER when a client opens. */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        /** glibc 2.30 and newer. */
        int gettid();
    }

    @Override
    public void open(int sampleRateHz, int blockFrames) throws AudioSinkException {
        try {
            if (serverName != null) {
                Native.load("c", LibC.class).setenv("JACK_DEFAULT_SERVER", serverName, 1);
            }
            Jack jack = Jack.getInstance();
            EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
            client = jack.openClient(clientName, EnumSet.of(JackOptions.JackNoStartServer), status);
            int rate = client.getSampleRate();
            if (rate != sampleRateHz) {
                close();
                throw new AudioSinkException("JACK server runs at " + rate + " Hz, latentkit at " + sampleRateHz
                        + " Hz: start latentkit with --rate " + rate);
            }
            outL = client.registerPort("out_l", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
            outR = client.registerPort("out_r", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
            periodFrames = client.getBufferSize();
        } catch (JackException | UnsatisfiedLinkError e) {
            close();
            throw new AudioSinkException("no JACK server" + (serverName != null ? " '" + serverName + "'" : "")
                    + " to connect to (" + oneLine(e) + ")", e);
        }
        this.blockFrames = blockFrames;
        carryL = new float[blockFrames];
        carryR = new float[blockFrames];
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    @Override
    public void start(CallbackSink.Renderer r) throws AudioSinkException {
        this.renderer = r;
        try {
            client.setXrunCallback(c -> xruns.incrementAndGet());
            client.onShutdown(c -> shutDown = true);
            client.setProcessCallback(this::process);
            client.activate();
            for (String[] pair : connections()) {
                Jack.getInstance().connect(client, pair[0], pair[1]);
            }
        } catch (JackException e) {
            throw new AudioSinkException("JACK client '" + clientName + "' could not start: " + oneLine(e), e);
        }
    }

    private List<String[]> connections() throws JackException {
        List<String[]> pairs = new ArrayList<>();
        List<String> to = switch (connect) {
            case NONE -> List.of();
            case NAMED -> targets;
            case AUTO -> List.of(Jack.getInstance().getPorts(client, null, JackPortType.AUDIO,
                    EnumSet.of(JackPortFlags.JackPortIsInput, JackPortFlags.JackPortIsPhysical)));
        };
        if (!to.isEmpty()) {
            pairs.add(new String[] {outL.getName(), to.get(0)});
            pairs.add(new String[] {outR.getName(), to.get(Math.min(1, to.size() - 1))});
        }
        return pairs;
    }

    /** JACK's process callback: on JACK's real-time thread. */
    private boolean process(JackClient c, int frames) {
        if (thread == null) {
            thread = Thread.currentThread();
            try {
                // Once, before the first block: the forensics sampler reads this thread's schedstat.
                nativeTid = Native.load("c", LibC.class).gettid();
            } catch (UnsatisfiedLinkError e) {
                nativeTid = -1;
            }
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        if (firstCallbackAllocated < 0) {
            firstCallbackAllocated = before;
        }
        FloatBuffer l = outL.getFloatBuffer();
        FloatBuffer r = outR.getFloatBuffer();
        int done = 0;
        while (done < frames) {
            if (carried == 0) {
                renderer.renderBlock(); // arrives in write(): carryFrom = 0, carried = blockFrames
            }
            int n = Math.min(carried, frames - done);
            for (int i = 0; i < n; i++) {
                l.put(done + i, carryL[carryFrom + i]);
                r.put(done + i, carryR[carryFrom + i]);
            }
            carryFrom += n;
            carried -= n;
            done += n;
        }
        long after = threads.getCurrentThreadAllocatedBytes();
        renderBytes += after - before;
        callbackBytes = after - firstCallbackAllocated;
        callbacks++;
        return true;
    }

    /** Called by the engine from inside {@link #process}: one rendered block. */
    @Override
    public void write(float[] interleaved, int frames) {
        for (int i = 0; i < frames; i++) {
            carryL[i] = interleaved[2 * i];
            carryR[i] = interleaved[2 * i + 1];
        }
        carryFrom = 0;
        carried = frames;
    }

    @Override
    public long deadlineMisses() {
        return xruns.get();
    }

    /** Bytes the engine's render path allocated inside the callbacks (0 is the contract). */
    public long renderBytes() {
        return renderBytes;
    }

    /** Bytes the JACK thread allocated in all since the first callback, JNA's dispatch included. */
    public long callbackBytes() {
        return callbackBytes;
    }

    /** Process callbacks so far. */
    public long callbacks() {
        return callbacks;
    }

    /** Whether the JACK server shut the client down (the server stopped). */
    public boolean isShutDown() {
        return shutDown;
    }

    /** The JACK period in frames (known once open). */
    public int periodFrames() {
        return periodFrames;
    }

    @Override
    public Thread callbackThread() {
        return thread;
    }

    @Override
    public long nativeThreadId() {
        return nativeTid;
    }

    @Override
    public String describe() {
        return "JACK client '" + clientName + "'" + (serverName != null ? " on server '" + serverName + "'" : "")
                + ", " + periodFrames + "-frame period, "
                + (connect == Connect.NONE ? "ports not connected" : "ports to " + targetsDescription());
    }

    private String targetsDescription() {
        try {
            List<String> t = new ArrayList<>();
            for (String[] p : connections()) {
                t.add(p[1]);
            }
            return t.isEmpty() ? "nothing (the server has no playback ports)" : String.join(", ", t);
        } catch (JackException e) {
            return "unknown ports";
        }
    }

    @Override
    public int latencyFrames() {
        return periodFrames;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
