package io.latentkit.osc.transport;

import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.SlipDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSC sockets: one UDP channel and one TCP listening channel on the same port, plus the accepted
 * TCP connections, all driven by one thread as an agent duty cycle ({@link #doWork()} returns how much
 * it did; {@link #idle(long)} blocks in the selector until a socket is readable or {@link #wakeup()}).
 *
 * <p>Admission, in this order, before a byte is parsed: allowlist by source host (TCP: at accept, with
 * a cap on connections per host and in all), per-host token bucket, per-host work budget (each handled
 * packet is charged its measured cost against an equal share of this thread per active host, see {@link io.latentkit.osc.OscServerConfig.WorkBudget}), size
 * cap. A TCP connection that delivers no complete packet for the idle timeout, or leaves a packet
 * unfinished for the frame timeout (a one-byte-a-second sender), is closed. Then each packet goes to the {@link PacketHandler} inside its own
 * guard, so no packet can end the loop. Fairness: UDP is read in bursts of at most
 * {@value #UDP_BURST} datagrams, and each TCP connection gets at most one read buffer per cycle
 * (round robin), so one busy connection cannot starve the others.
 *
 * <p>Threading: every method except {@link #wakeup()}, {@link #port()} and {@link #close()} runs on the
 * receiver thread only.
 */
public final class OscReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OscReceiver.class);
    private static final int UDP_BURST = 64;

    private final OscCounters counters;
    private final PacketHandler handler;
    private final LongSupplier nanoClock;
    private final int maxPacketBytes;
    private final int maxConnections;
    private final OscServerConfig.TcpLimits tcpLimits;
    /** Open connections as last counted, for other threads. */
    private volatile int openCount;
    private final Selector selector;
    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final ByteBuffer udpReceive;
    private final byte[] udpBytes;
    private final ByteBuffer udpSend;
    private final UdpPeer udpPeer;
    private final SourceTable sources;
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final ConcurrentHashMap<Class<?>, Boolean> loggedErrors = new ConcurrentHashMap<>();
    private final int port;
    private int connections;
    /** Open connections, for flushing without iterating the selector's key set (which allocates). */
    private final TcpConnection[] open;
    private int work;
    /** The connection being read, for its frame handler. */
    private TcpConnection current;
    private long currentNanos;
    private final SlipDecoder.FrameHandler frameHandler = new SlipDecoder.FrameHandler() {
        @Override
        public void onFrame(byte[] frame, int offset, int length) {
            onStreamFrame(frame, offset, length);
        }

        @Override
        public void onFrameDropped(DropReason reason) {
            counters.drop(reason);
        }
    };

    /**
     * Binds UDP and TCP on {@code bindAddress:port} (port 0: a free port, the same for both).
     *
     * @param allow hosts allowed to send; empty means everyone (only for loopback binds)
     */
    public OscReceiver(InetAddress bindAddress, int port, List<Cidr> allow, int maxPacketBytes,
                       double ratePerSecond, double rateBurst, int receiveBufferBytes, int maxConnections,
                       OscServerConfig.TcpLimits tcpLimits, OscServerConfig.WorkBudget work,
                       PacketHandler handler, OscCounters counters, LongSupplier nanoClock) throws IOException {
        this.counters = counters;
        this.handler = handler;
        this.nanoClock = nanoClock;
        this.maxPacketBytes = maxPacketBytes;
        this.maxConnections = maxConnections;
        this.tcpLimits = tcpLimits;
        this.open = new TcpConnection[maxConnections];
        this.sources = new SourceTable(allow, ratePerSecond, rateBurst, work.burstNanos(), work.activeNanos());
        // One more byte than the cap: a datagram that fills the buffer was longer than the cap.
        this.udpBytes = new byte[Math.min(maxPacketBytes, 65_507) + 1];
        this.udpReceive = ByteBuffer.wrap(udpBytes);
        this.udpSend = ByteBuffer.allocate(65_507);
        this.selector = Selector.open();
        DatagramChannel u = null;
        ServerSocketChannel t = null;
        int bound = -1;
        // Port 0 picks a free UDP port; its TCP twin may be taken by someone else, so try again with
        // another free port a few times before giving up.
        for (int attempt = 0; ; attempt++) {
            try {
                u = DatagramChannel.open(bindAddress instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                u.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
                u.bind(new InetSocketAddress(bindAddress, port));
                bound = ((InetSocketAddress) u.getLocalAddress()).getPort();
                t = ServerSocketChannel.open();
                t.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                t.bind(new InetSocketAddress(bindAddress, bound), 64);
                u.configureBlocking(false);
                t.configureBlocking(false);
                u.register(selector, SelectionKey.OP_READ);
                t.register(selector, SelectionKey.OP_ACCEPT);
                break;
            } catch (IOException | RuntimeException e) {
                if (u != null) {
                    u.close();
                }
                if (t != null) {
                    t.close();
                }
                u = null;
                t = null;
                if (port == 0 && e instanceof BindException && attempt < 16) {
                    continue;
                }
                selector.close();
                throw e;
            }
        }
        this.port = bound;
        this.udp = u;
        this.tcp = t;
        this.udpPeer = new UdpPeer(udp, udpSend, null);
    }

    /** The bound port (UDP and TCP); any thread. */
    public int port() {
        return port;
    }

    /** The bound UDP address; any thread. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) udp.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Open TCP connections, as of the receiver thread's last accept or close; any thread. */
    public int connections() {
        return openCount;
    }

    /** Reads what is ready on every socket without blocking; returns the number of packets handled. */
    public int doWork() throws IOException {
        work = 0;
        for (int i = 0; i < UDP_BURST; i++) {
            udpReceive.clear();
            SocketAddress from = udp.receive(udpReceive);
            if (from == null) {
                break;
            }
            onDatagram((InetSocketAddress) from, udpReceive.position());
        }
        selector.selectNow(onKey);
        if (connections > 0) {
            expireConnections(nanoClock.getAsLong());
        }
        return work;
    }

    /** Closes connections idle for too long, or stuck inside an unfinished packet. */
    private void expireConnections(long now) {
        for (int i = connections - 1; i >= 0; i--) {
            TcpConnection c = open[i];
            boolean slow = c.partialSinceNanos != Long.MIN_VALUE && now - c.partialSinceNanos > tcpLimits.frameNanos();
            if (slow || now - c.lastFrameNanos > tcpLimits.idleNanos()) {
                counters.drop(DropReason.TCP_TIMEOUT);
                closeConnection(c.key);
            }
        }
    }

    /** Blocks until a socket is ready, {@link #wakeup()} is called, or {@code timeoutMs} passes. */
    public void idle(long timeoutMs) throws IOException {
        selector.select(onKey, Math.max(1, timeoutMs));
    }

    /** Ends an {@link #idle} early; any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    /** Flushes pending TCP replies; receiver thread. */
    public void flush() {
        for (int i = 0; i < connections; i++) {
            open[i].flush();
        }
    }

    private void onDatagram(InetSocketAddress from, int length) {
        work++;
        long now = nanoClock.getAsLong();
        counters.packet(length);
        SourceTable.Source s = sources.lookup(from.getAddress(), now, System.nanoTime());
        if (!s.allowed) {
            counters.drop(DropReason.NOT_ALLOWED);
            return;
        }
        if (!s.bucket.tryTake(now)) {
            counters.drop(DropReason.RATE_LIMITED);
            return;
        }
        if (length > maxPacketBytes) {
            counters.drop(DropReason.OVERSIZE);
            return;
        }
        long started = System.nanoTime();
        if (!s.work.admits(started, sources.workShare())) {
            counters.drop(DropReason.WORK_LIMITED);
            return;
        }
        udpPeer.target(from);
        guarded(udpBytes, 0, length, udpPeer, now);
        s.work.charge(System.nanoTime() - started);
    }

    private void guarded(byte[] b, int off, int len, OscPeer from, long now) {
        try {
            handler.onPacket(b, off, len, from, now);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Even the heap running out inside one packet's handling is counted, and the next
            // packet is read: the receiver thread never dies of what one sender sent.
            counters.drop(DropReason.INTERNAL_ERROR);
            if (loggedErrors.putIfAbsent(e.getClass(), Boolean.TRUE) == null) {
                LOG.error("OSC packet from {} failed; counted as internal_error, listener carries on (logged once per kind)",
                        from, e);
            }
        }
    }

    private void onKey(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.channel() == udp) {
                return; // read in doWork's burst loop
            }
            if (key.isAcceptable()) {
                accept();
                return;
            }
            TcpConnection c = (TcpConnection) key.attachment();
            if (key.isReadable()) {
                read(c, key);
            }
            if (key.isValid() && key.isWritable()) {
                c.flush();
                if (!c.hasPendingOutput()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            } else if (key.isValid() && c.hasPendingOutput()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            if (key.attachment() instanceof TcpConnection) {
                closeConnection(key);
            } else {
                LOG.warn("OSC accept failed: {}", e.toString());
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch = tcp.accept();
        if (ch == null) {
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
        long now = nanoClock.getAsLong();
        SourceTable.Source s = sources.lookup(remote.getAddress(), now, System.nanoTime());
        if (!s.allowed) {
            counters.drop(DropReason.NOT_ALLOWED);
            ch.close();
            return;
        }
        if (connections >= maxConnections || s.tcpConnections >= tcpLimits.maxPerHost()) {
            counters.drop(DropReason.TOO_MANY_PEERS);
            ch.close();
            return;
        }
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        TcpConnection c = new TcpConnection(ch, remote, maxPacketBytes, udp, udpSend, s);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        c.lastFrameNanos = now;
        s.tcpConnections++;
        open[connections++] = c;
        openCount = connections;
    }

    private void read(TcpConnection c, SelectionKey key) throws IOException {
        ByteBuffer b = c.readBuffer;
        b.clear();
        int n = c.channel().read(b);
        if (n < 0) {
            closeConnection(key);
            return;
        }
        current = c;
        currentNanos = nanoClock.getAsLong();
        c.completedFrame = false;
        c.framer.feed(b.array(), 0, n, frameHandler);
        current = null;
        if (c.completedFrame) {
            c.lastFrameNanos = currentNanos;
        }
        if (!c.framer.inFrame()) {
            c.partialSinceNanos = Long.MIN_VALUE;
        } else if (c.completedFrame || c.partialSinceNanos == Long.MIN_VALUE) {
            c.partialSinceNanos = currentNanos;
        }
        if (c.framer.broken()) {
            closeConnection(key);
        }
    }

    private void onStreamFrame(byte[] frame, int offset, int length) {
        TcpConnection c = current;
        work++;
        c.completedFrame = true;
        counters.packet(length);
        if (!c.source.bucket.tryTake(currentNanos)) {
            counters.drop(DropReason.RATE_LIMITED);
            return;
        }
        long started = System.nanoTime();
        if (!c.source.work.admits(started, sources.workShare())) {
            counters.drop(DropReason.WORK_LIMITED);
            return;
        }
        guarded(frame, offset, length, c, currentNanos);
        c.source.work.charge(System.nanoTime() - started);
    }

    private void closeConnection(SelectionKey key) {
        key.cancel();
        TcpConnection c = (TcpConnection) key.attachment();
        c.close();
        for (int i = 0; i < connections; i++) {
            if (open[i] == c) {
                open[i] = open[--connections];
                open[connections] = null;
                c.source.tcpConnections--;
                openCount = connections;
                break;
            }
        }
    }

    /** Closes every socket; any thread (the receiver loop must have stopped or will fail and stop). */
    @Override
    public void close() throws IOException {
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof TcpConnection) {
                ((TcpConnection) k.attachment()).close();
            }
        }
        udp.close();
        tcp.close();
        selector.close();
    }
}
