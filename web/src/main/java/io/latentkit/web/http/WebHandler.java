package io.latentkit.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What plain HTTP requests get (WebSocket upgrades are taken before this): the console's files
 * under {@code /console} (from the jar, loaded once at start), and OSCQuery's answers for every other
 * path. Only {@code GET} and {@code HEAD}; anything else is 405.
 *
 * <p>Threading: Jetty's request threads; any number at once (the files are immutable, the answers
 * read the namespace).
 */
public final class WebHandler extends Handler.Abstract.NonBlocking {
    /** The console's files, inside the jar under {@code io/latentkit/web/console/}. */
    static final String[] CONSOLE_FILES = {"index.html", "console.css", "console.js", "osc.js", "widgets.js",
        "panels.js", "latent.js"};

    private record Asset(byte[] bytes, String contentType) {
    }

    private final OscQueryAnswers answers;
    private final Map<String, Asset> assets = new HashMap<>();

    public WebHandler(OscQueryAnswers answers) {
        this.answers = answers;
        for (String f : CONSOLE_FILES) {
            assets.put("/console/" + f, load(f));
        }
        assets.put("/console", assets.get("/console/index.html"));
        assets.put("/console/", assets.get("/console/index.html"));
    }

    private static Asset load(String name) {
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
        try (InputStream in = WebHandler.class.getResourceAsStream("/io/latentkit/web/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the jar: " + name);
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, 405, "only GET and HEAD");
            return true;
        }
        String path = Request.getPathInContext(request);
        Asset asset = path.equals("/console") || path.startsWith("/console/") ? assets.get(path) : null;
        if (asset != null) {
            send(response, callback, 200, asset.contentType(), asset.bytes(), head);
            return true;
        }
        if (path.startsWith("/console")) {
            Response.writeError(request, response, callback, 404, "no such console file");
            return true;
        }
        OscQueryAnswers.Answer a = answers.answer(path, request.getHttpURI().getQuery());
        if (a.status() == 204) {
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        send(response, callback, a.status(), "application/json", a.json().getBytes(StandardCharsets.UTF_8), head);
        return true;
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body, boolean head) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }
}
