package io.latentkit.server;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;

/**
 * {@code /models/reload}: reads {@code serve}'s models again from their folder and swaps them in
 * only when every file passes its checks ({@link ServeModels}); the running models stay otherwise.
 * It loads files, so beyond loopback it needs the file allowlist or the secret.
 *
 * <p>Threading: {@link #register} on the thread that builds the namespace; the handler on the OSC
 * receiver thread (it returns at once; the reply comes from the reload thread).
 */
public final class ModelNodes {
    private ModelNodes() {
    }

    /** @param models the server's models, or {@code null} (the node then answers {@code /fail}) */
    public static void register(Namespace.Builder ns, ServeModels models) {
        ns.add(Node.builder("/models/reload", NodeKind.COMMAND).touchesFiles(true)
                .description("loads the models again from serve's --models folder, checks every file (ONNX session, "
                        + "metadata, shapes, a probe with finite output) and swaps them in between two decodes; "
                        + "a set that fails leaves the running models in place")
                .reply("/done ,ss /models/reload models <version> | /fail ,ss /models/reload <reason>")
                .handler((args, call) -> {
                    if (models == null) {
                        call.fail("/models/reload", "this server has no models to reload");
                    } else {
                        models.reload(call);
                    }
                    return true;
                }).build());
    }
}
