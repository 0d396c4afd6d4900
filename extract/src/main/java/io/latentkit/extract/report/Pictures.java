package io.latentkit.extract.report;

import io.latentkit.core.DrumClass;
import io.latentkit.extract.Extraction;
import io.latentkit.extract.Hit;
import io.latentkit.extract.PadChoice;
import io.latentkit.extract.Recording;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The report's pictures, drawn with {@code java.awt} into PNGs: the waveform with every onset
 * coloured by class (rejected hits grey, the chosen ones thick and named), the chosen hit of each
 * pad, and the map of all embedded hits in latent space (the first two principal components of
 * the VAE means, chosen hits ringed).
 *
 * <p>Stateless; any thread (headless AWT).
 */
public final class Pictures {
    /** One colour per class, in pad order. */
    static final Color[] COLOURS = {
        new Color(0xd62728), new Color(0x1f77b4), new Color(0x17becf), new Color(0xe377c2),
        new Color(0x2ca02c), new Color(0x98df8a), new Color(0x8c564b), new Color(0xc49c94),
        new Color(0xff7f0e), new Color(0xbcbd22), new Color(0x9467bd), new Color(0x7f7f7f),
    };
    private static final Color REJECTED = new Color(0xbbbbbb);

    private Pictures() {
    }

    static Color colour(DrumClass c) {
        return c == null ? REJECTED : COLOURS[c.pad()];
    }

    /** The waveform of each recording with its onsets. */
    public static byte[] waveform(Extraction e) {
        int w = 1600;
        int lane = 260;
        int top = 40;
        BufferedImage img = canvas(w, top + lane * e.recordings().size());
        Graphics2D g = graphics(img);
        legend(g, 10, 24);
        for (int r = 0; r < e.recordings().size(); r++) {
            Recording rec = e.recordings().get(r);
            float[] x = rec.samples();
            int y0 = top + r * lane;
            int mid = y0 + lane / 2;
            double half = lane * 0.42;
            g.setColor(Color.DARK_GRAY);
            g.drawString(rec.name() + String.format(Locale.ROOT, "  %.1f s", rec.seconds()), 10, y0 + 14);
            g.setColor(new Color(0x555555));
            for (int px = 0; px < w; px++) {
                int a = (int) ((long) px * x.length / w);
                int b = (int) Math.min(x.length, (long) (px + 1) * x.length / w);
                float lo = 0;
                float hi = 0;
                for (int i = a; i < b; i++) {
                    lo = Math.min(lo, x[i]);
                    hi = Math.max(hi, x[i]);
                }
                g.drawLine(px, (int) (mid - hi * half), px, (int) (mid - lo * half));
            }
            for (Hit h : e.hits()) {
                if (h.recording() != r) {
                    continue;
                }
                int px = (int) ((long) h.onset() * w / Math.max(1, x.length));
                boolean chosen = h.status() == Hit.Status.CHOSEN;
                g.setColor(h.status() == Hit.Status.REJECTED ? REJECTED : colour(h.drumClass()));
                g.setStroke(new BasicStroke(chosen ? 3f : 1f));
                int from = h.status() == Hit.Status.REJECTED ? mid + (int) half - 12 : y0 + 20;
                g.drawLine(px, from, px, y0 + lane - 4);
                if (chosen) {
                    g.drawString(h.pad().oscName(), px + 3, y0 + 32);
                }
            }
            g.setStroke(new BasicStroke(1f));
        }
        return png(img);
    }

    /** The chosen hit of each pad, one panel per pad. */
    public static byte[] pads(Extraction e) {
        int cols = 4;
        int pw = 360;
        int ph = 170;
        BufferedImage img = canvas(cols * pw, 3 * ph);
        Graphics2D g = graphics(img);
        for (DrumClass c : DrumClass.values()) {
            int x0 = (c.pad() % cols) * pw;
            int y0 = (c.pad() / cols) * ph;
            g.setColor(new Color(0xdddddd));
            g.drawRect(x0 + 2, y0 + 2, pw - 4, ph - 4);
            PadChoice p = e.pads().get(c);
            g.setColor(colour(c));
            if (p == null) {
                g.drawString(c.oscName() + ": empty", x0 + 10, y0 + 20);
                continue;
            }
            Hit h = p.chosen();
            g.drawString(String.format(Locale.ROOT, "%s: %.3f s, %d layer%s, %d alternate%s", c.oscName(),
                    (double) h.onset() / e.recordings().get(h.recording()).sampleRateHz(), p.layers().size(),
                    p.layers().size() == 1 ? "" : "s", p.alternates().size(), p.alternates().size() == 1 ? "" : "s"),
                    x0 + 10, y0 + 20);
            float[] x = e.recordings().get(h.recording()).samples();
            int n = h.end() - h.onset();
            float peak = Math.max(1e-6f, h.peak());
            int mid = y0 + 30 + (ph - 40) / 2;
            double half = (ph - 44) / 2.0;
            for (int px = 0; px < pw - 20; px++) {
                int a = h.onset() + (int) ((long) px * n / (pw - 20));
                int b = h.onset() + (int) Math.min(n, (long) (px + 1) * n / (pw - 20));
                float lo = 0;
                float hi = 0;
                for (int i = a; i < b; i++) {
                    lo = Math.min(lo, x[i]);
                    hi = Math.max(hi, x[i]);
                }
                g.drawLine(x0 + 10 + px, (int) (mid - hi / peak * half), x0 + 10 + px, (int) (mid - lo / peak * half));
            }
        }
        return png(img);
    }

    /** All embedded hits on their first two principal components. */
    public static byte[] latent(Extraction e) {
        int size = 800;
        BufferedImage img = canvas(size, size);
        Graphics2D g = graphics(img);
        legend(g, 10, 24);
        List<Hit> embedded = new ArrayList<>();
        List<float[]> points = new ArrayList<>();
        for (Hit h : e.hits()) {
            if (h.latent() != null) {
                embedded.add(h);
                points.add(h.latent());
            }
        }
        if (embedded.isEmpty()) {
            g.setColor(Color.DARK_GRAY);
            g.drawString("no hit was embedded (method " + e.method().cliName() + ")", 20, size / 2);
            return png(img);
        }
        double[][] xy = Pca.project2(points);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : xy) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double sx = (size - 100) / Math.max(1e-9, maxX - minX);
        double sy = (size - 100) / Math.max(1e-9, maxY - minY);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < embedded.size(); i++) {
                Hit h = embedded.get(i);
                boolean chosen = h.status() == Hit.Status.CHOSEN;
                if (chosen != (pass == 1)) {
                    continue;
                }
                int px = 50 + (int) ((xy[i][0] - minX) * sx);
                int py = size - 50 - (int) ((xy[i][1] - minY) * sy);
                g.setColor(colour(h.drumClass()));
                int r = chosen ? 7 : 4;
                g.fillOval(px - r, py - r, 2 * r, 2 * r);
                if (chosen) {
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(2f));
                    g.drawOval(px - r - 3, py - r - 3, 2 * r + 6, 2 * r + 6);
                    g.drawString(h.pad().oscName(), px + 12, py + 4);
                    g.setStroke(new BasicStroke(1f));
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("latent space: first two principal components of the VAE means; ringed: chosen", 10, size - 12);
        return png(img);
    }

    private static void legend(Graphics2D g, int x, int y) {
        int at = x;
        for (DrumClass c : DrumClass.values()) {
            g.setColor(colour(c));
            g.fillRect(at, y - 10, 10, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString(c.oscName(), at + 14, y);
            at += 14 + g.getFontMetrics().stringWidth(c.oscName()) + 12;
        }
        g.setColor(REJECTED);
        g.fillRect(at, y - 10, 10, 10);
        g.setColor(Color.DARK_GRAY);
        g.drawString("rejected", at + 14, y);
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
