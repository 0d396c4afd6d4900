package io.latentkit.web.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client (the JDK's) for OSCQuery tests: text messages and binary OSC messages land in
 * queues, decoded as {@link Osc.Message}; the close code is kept.
 */
public final class WsClient implements AutoCloseable {
    public final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<Osc.Message> messages = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private WsClient(URI uri, String origin) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            b.header("Origin", origin);
        }
        ws = b.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private ByteBuffer binary = ByteBuffer.allocate(1 << 20);

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    texts.add(text.toString());
                    text.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                binary.put(data);
                if (last) {
                    binary.flip();
                    byte[] b = new byte[binary.remaining()];
                    binary.get(b);
                    binary.clear();
                    messages.add(Osc.decode(b));
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    public static WsClient open(int port) {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/"), null);
    }

    public static WsClient open(int port, String origin) {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/"), origin);
    }

    public void command(String command, String data) {
        ws.sendText("{\"COMMAND\":\"" + command + "\",\"DATA\":\"" + data + "\"}", true).join();
    }

    public void send(byte[] osc) {
        ws.sendBinary(ByteBuffer.wrap(osc), true).join();
    }

    /** The next message to {@code address} matching {@code test}, waiting at most 10 s. */
    public Osc.Message await(String address, Predicate<Osc.Message> test) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            Osc.Message m = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no " + address + " message within 10 s");
            }
            if (m.address().equals(address) && test.test(m)) {
                return m;
            }
        }
    }

    @Override
    public void close() {
        disconnect();
    }

    /** Closes the connection (normal closure), as a page that is closed does. */
    public void disconnect() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }
}
