package io.latentkit.server;

import io.latentkit.core.namespace.Call;
import io.latentkit.listen.ListenMode;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import io.latentkit.models.OnnxModel;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.osc.OscNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of {@code serve}: where they come from (the shipped ones, or the folder of
 * {@code --models}), the inference worker that runs them for the latent pads, and
 * {@code /models/reload}, which reads the folder again and checks the new set fully on its own
 * thread ({@link Models#load(Path, int)}: sessions, metadata, shapes and a probe that must give
 * finite numbers) before the worker swaps it in between two units of model work. A set that fails
 * leaves the running one in place and the sender gets {@code /fail} with the one-line reason; so
 * does a reload while another is under way. Models that could not be loaded at start leave the
 * server playing kits, with latent pads and extraction refused with the reason until a reload
 * succeeds.
 *
 * <p>Threading: any thread; loading on the {@code latentkit-model-reload} thread, the swap on the
 * inference worker; {@link #started} once, from the thread that finished the first load.
 */
public final class ServeModels implements AutoCloseable {
    /** How long a reload waits for the worker to take the new models (a unit of work or two). */
    static final long SWAP_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(ServeModels.class);

    private final Path folder;
    private final LatentAgent latent;
    private final ExecutorService reloader;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();
    private volatile InferenceWorker worker;
    private volatile Models current = Models.unavailable("loading");
    private volatile ServeActions actions;
    private volatile ListenMode listen;
    private volatile Supplier<Models> listenLoader;

    /**
     * @param folder the folder of {@code --models}, or {@code null} for the shipped models
     * @param latent the latent pads, or {@code null}
     */
    public ServeModels(Path folder, LatentAgent latent) {
        this.folder = folder;
        this.latent = latent;
        this.reloader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "latentkit-model-reload");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    /** Where the models come from, for messages. */
    public String source() {
        return folder == null ? "the shipped models" : folder.toString();
    }

    /** A fresh set from the source; never throws: a failure gives an unavailable instance with the reason. */
    public Models load() {
        return load(folder);
    }

    /** A set from {@code folder} ({@code null}: the shipped models), or an unavailable instance with the reason. */
    public static Models load(Path folder) {
        try {
            return loadChecked(folder);
        } catch (ModelLoadException e) {
            return Models.unavailable(e.getMessage());
        }
    }

    private static Models loadChecked(Path folder) throws ModelLoadException {
        return folder == null ? Models.loadShipped(Models.DEFAULT_THREADS) : Models.load(folder, Models.DEFAULT_THREADS);
    }

    /**
     * Listen mode's own copy of the models (issue 15) joins every reload: {@code loader} loads it
     * from listen mode's source; it is checked before anything is swapped, then replaced on the
     * listen thread after the worker's.
     */
    public void listen(ListenMode mode, Supplier<Models> loader) {
        this.listenLoader = loader;
        this.listen = mode;
    }

    /** Where {@code /status.reply} reads whether models are there. */
    public void actions(ServeActions a) {
        this.actions = a;
        a.models(current);
    }

    /**
     * The first load finished: the worker that runs the latent pads (made even without models, so
     * that a reload can fill it), the latent pads attached or told why not.
     */
    public InferenceWorker started(Models first) {
        current = first;
        InferenceWorker w = new InferenceWorker(first);
        if (latent != null) {
            if (first.isAvailable()) {
                latent.attach(w);
            } else {
                latent.unavailable(first.unavailableReason().orElse("unknown"));
            }
        }
        worker = w;
        ServeActions a = actions;
        if (a != null) {
            a.models(first);
        }
        return w;
    }

    /**
     * A copy of the set being served (its own sessions, opened from the same bytes), for a holder
     * that needs its own (extraction): never the folder's files as they are now, which a refused
     * reload may have left broken. Unavailable with the reason while no set is served; never throws.
     */
    public Models copyOfCurrent() {
        try {
            return current.reopen(Models.DEFAULT_THREADS);
        } catch (ModelLoadException e) {
            return Models.unavailable(e.getMessage());
        }
    }

    /** Increments at every successful reload: a holder of its own copy (extraction) loads again. */
    public long generation() {
        return generation.get();
    }

    /**
     * {@code /models/reload}: loads and checks the set on the reload thread, then swaps it in;
     * replies {@code /done ,ss /models/reload <version>} or {@code /fail ,ss /models/reload <reason>}.
     */
    public void reload(Call call) {
        if (worker == null) {
            call.fail("/models/reload", "the models are still loading; try again when they are in");
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            call.fail("/models/reload", "busy: a reload is under way");
            return;
        }
        Call later = call.retain();
        try {
            reloader.execute(() -> {
                try {
                    later.done("/models/reload", reloadNow());
                } catch (ModelLoadException | RuntimeException e) {
                    failures.incrementAndGet();
                    String why = OscNodes.reason(e) + "; still serving " + describe(current);
                    LOG.warn("model reload from {} refused: {}", source(), why);
                    later.fail("/models/reload", why);
                } finally {
                    busy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            busy.set(false);
            later.fail("/models/reload", "the server is stopping");
        }
    }

    /** Reload thread: both sets checked, then the worker's swapped, then listen mode's. */
    private String reloadNow() throws ModelLoadException {
        Models next = loadChecked(folder);
        ListenMode mode = listen;
        Models forListen = null;
        if (mode != null) {
            forListen = listenLoader.get();
            if (!forListen.isAvailable()) {
                next.close();
                throw new ModelLoadException("listen mode's models: " + forListen.unavailableReason().orElse("unknown"));
            }
        }
        String done = swapIn(next, forListen);
        if (mode != null) {
            try {
                mode.replaceModels(forListen).get(SWAP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return done + "; listen mode kept its models (" + OscNodes.reason(e instanceof ExecutionException
                        ? e.getCause() : e) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done + "; interrupted while listen mode took its models";
            }
            return done + ", listen mode's too";
        }
        return done;
    }

    /** Reload thread: the checked set goes into the worker; the old one is closed there. */
    private String swapIn(Models next, Models forListen) throws ModelLoadException {
        InferenceWorker w = worker;
        try {
            w.replace(next, m -> {
                if (latent != null) {
                    latent.modelsReplaced(w, m);
                }
                return null;
            }).get(SWAP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (forListen != null) {
                forListen.close();
            }
            throw new ModelLoadException("the new models could not be put in: " + OscNodes.reason(e.getCause()), e);
        } catch (TimeoutException e) {
            if (forListen != null) {
                forListen.close();
            }
            // The worker takes them when it gets to the swap; the reply cannot wait longer.
            throw new ModelLoadException("the inference worker did not take the new models within "
                    + SWAP_TIMEOUT_SECONDS + " s (it may still)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("interrupted", e);
        }
        current = next;
        generation.incrementAndGet();
        reloads.incrementAndGet();
        ServeActions a = actions;
        if (a != null) {
            a.models(next);
        }
        LOG.info("models reloaded from {}: {}", source(), describe(next));
        return describe(next);
    }

    private static String describe(Models m) {
        return m.isAvailable() ? "models " + m.version() : "no models (" + m.unavailableReason().orElse("unknown") + ")";
    }

    /** The models in use now (unavailable with the reason while there are none). */
    public Models current() {
        return current;
    }

    /**
     * Pairs for {@code /status.reply}: reloads done and refused, and over the models in use,
     * results discarded as non-finite, models bypassed now, and runs over their budget.
     */
    public List<Map.Entry<String, Integer>> statusPairs() {
        long nonFinite = 0;
        long bypassed = 0;
        long overBudget = 0;
        for (OnnxModel m : current.onnxModels()) {
            nonFinite += m.nonFinite();
            bypassed += m.bypassed() ? 1 : 0;
            overBudget += m.overBudget();
        }
        List<Map.Entry<String, Integer>> pairs = new ArrayList<>();
        pairs.add(Map.entry("model_reloads", saturate(reloads.get())));
        pairs.add(Map.entry("model_reload_failures", saturate(failures.get())));
        pairs.add(Map.entry("model_nonfinite", saturate(nonFinite)));
        pairs.add(Map.entry("model_bypassed", saturate(bypassed)));
        pairs.add(Map.entry("model_over_budget", saturate(overBudget)));
        return pairs;
    }

    private static int saturate(long n) {
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** Stops taking reloads (the worker is closed by its own lifecycle entry). */
    @Override
    public void close() {
        reloader.shutdownNow();
    }
}
