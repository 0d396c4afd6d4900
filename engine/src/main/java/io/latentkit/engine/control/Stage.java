package io.latentkit.engine.control;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;
import io.latentkit.engine.sequence.Pattern;

/**
 * Everything one staged command changes, applied by the render thread as <b>one</b> control event
 * at a block boundary, so that a command is never half applied (a preset's kit and tempo land in
 * the same block, or neither does). Prepared completely off the render thread (decoding, building
 * a kit, configuring its pads); the render thread only swaps references and copies numbers, then
 * hands the stage back through the engine's applied-stage queue with what it replaced, which is
 * retired (freed) and answered off the render thread.
 *
 * <p>Threading: filled by the preparing thread before {@link EngineProxy#stage}; owned by the
 * render thread from publication until it hands it back; read by the completing thread after that
 * (the queue's hand-off publishes every field). Not reusable.
 */
public final class Stage {
    private Object token;
    private Object attachment;
    private Kit kit;
    private float tempoBpm = Float.NaN;
    // ---- patterns (issue 17)
    private Pattern pattern;
    private Pattern patternBar;
    private int patternBarSlot = -1;
    private float swing = Float.NaN;
    private String replay;
    // ----
    private long appliedFrame = Long.MIN_VALUE;
    private Kit replacedKit;
    private boolean rejected;
    /** Pads whose live sample this stage sets (bit {@code p} for pad {@code p}); 0 for none. */
    private int padSampleMask;
    /** The live sample per pad ({@code null}: back to the kit's own layers); allocated by the preparer. */
    private Sample[] padSamples;

    /** A stage carrying {@code token}, the issuer's own handle to match it when it comes back. */
    public Stage(Object token) {
        this.token = token;
    }

    /** The issuer's handle. */
    public Object token() {
        return token;
    }

    /** Preparing thread: replaces the token with the staged-command runner's own request. */
    void bind(Object request) {
        this.token = request;
    }

    /**
     * Preparing thread: what the issuer needs again when the stage comes back (the preset it
     * applied, a decoded sound); the render thread never looks at it.
     */
    public Stage attach(Object a) {
        this.attachment = a;
        return this;
    }

    /** What the preparing thread attached, or {@code null}. */
    public Object attachment() {
        return attachment;
    }

    /** Preparing thread: the kit to swap in (fully built, at the engine's rate). */
    public Stage kit(Kit k) {
        this.kit = k;
        return this;
    }

    /** Preparing thread: the tempo to set, 20..400 BPM. */
    public Stage tempo(float bpm) {
        if (!(bpm >= 20f && bpm <= 400f)) {
            throw new IllegalArgumentException("tempo must be 20..400 BPM, got " + bpm);
        }
        this.tempoBpm = bpm;
        return this;
    }

    /**
     * Preparing thread: sets pad {@code pad}'s live sample (a latent pad's sound, at the engine's
     * rate), or with {@code null} hands the pad back to its kit's own layers. Applied after the kit
     * of the same stage, if any; the replaced live sample is freed off the render thread once no
     * voice plays it. Voices already sounding keep the sample they started with.
     */
    public Stage padSample(int pad, Sample sample) {
        if (pad < 0 || pad >= DrumClass.COUNT) {
            throw new IllegalArgumentException("pad must be 0.." + (DrumClass.COUNT - 1) + ", got " + pad);
        }
        if (padSamples == null) {
            padSamples = new Sample[DrumClass.COUNT];
        }
        padSamples[pad] = sample;
        padSampleMask |= 1 << pad;
        return this;
    }

    /** The pads whose live sample this stage sets, one bit per pad. */
    public int padSampleMask() {
        return padSampleMask;
    }

    /** The live sample this stage gives {@code pad} ({@code null}: its kit's layers, or not set). */
    public Sample padSample(int pad) {
        return padSamples == null ? null : padSamples[pad];
    }

    public Kit kit() {
        return kit;
    }

    /** The tempo to set, or NaN for none. */
    public float tempoBpm() {
        return tempoBpm;
    }

    // ---- patterns (issue 17)

    /**
     * Preparing thread: a whole pattern for the sequencer (not to be changed after); while it plays
     * the pattern takes over at the next bar line. The render thread copies it and keeps no reference.
     */
    public Stage pattern(Pattern p) {
        this.pattern = p;
        return this;
    }

    /** Preparing thread: the first bar of {@code bar} goes into bar {@code slot} (0..15) of the chain. */
    public Stage patternBar(int slot, Pattern bar) {
        if (slot < 0 || slot >= Pattern.MAX_BARS) {
            throw new IllegalArgumentException("slot must be 0.." + (Pattern.MAX_BARS - 1) + ", got " + slot);
        }
        this.patternBarSlot = slot;
        this.patternBar = bar;
        return this;
    }

    /** Preparing thread: the sequencer's swing, 0..1. */
    public Stage swing(float s) {
        if (!(s >= 0f && s <= 1f)) {
            throw new IllegalArgumentException("swing must be 0..1, got " + s);
        }
        this.swing = s;
        return this;
    }

    /**
     * Preparing thread: how to prepare this stage again offline (a JSON description a control-log
     * player understands), so that a recorded session can be re-rendered; {@code null} for a stage
     * that cannot be replayed. The render thread never looks at it.
     */
    public Stage replay(String description) {
        this.replay = description;
        return this;
    }

    public Pattern pattern() {
        return pattern;
    }

    public Pattern patternBar() {
        return patternBar;
    }

    /** The chain bar {@link #patternBar()} goes to, or -1 for none. */
    public int patternBarSlot() {
        return patternBarSlot;
    }

    /** The swing to set, or NaN for none. */
    public float swing() {
        return swing;
    }

    /** The replay description, or {@code null}. */
    public String replay() {
        return replay;
    }

    // ----

    /** Render thread: the stage took effect at {@code frame}; {@code replaced} is the kit it replaced. */
    void applied(long frame, Kit replaced) {
        this.appliedFrame = frame;
        this.replacedKit = replaced;
    }

    /** Render thread: the stage was refused as a whole (e.g. a kit at the wrong sample rate). */
    void rejected(long frame) {
        this.appliedFrame = frame;
        this.rejected = true;
    }

    /** The engine frame it took effect at (after it came back), or {@link Long#MIN_VALUE}. */
    public long appliedFrame() {
        return appliedFrame;
    }

    /** Whether the render thread refused it (nothing of it was applied). */
    public boolean wasRejected() {
        return rejected;
    }

    /**
     * The kit it replaced, or {@code null}. Its voices may still be fading: the engine hands it back
     * separately once silent (see {@code Engine.onRetired}); do not reuse it before that.
     */
    public Kit replacedKit() {
        return replacedKit;
    }
}
