package io.latentkit.presets.kit.source;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Hydrogen {@code drumkit.xml} (0.9.x through 1.2, with or without the drumkit namespace): per
 * instrument its name, {@code volume} and {@code gain}, {@code pan_L}/{@code pan_R} (or
 * {@code pan}), {@code isMuted}, {@code muteGroup} (becomes a choke group), {@code midiOutNote},
 * {@code pitch}, and its layers ({@code filename}, {@code min}, {@code max}, {@code gain},
 * {@code pitch}), whether directly under the instrument, under {@code instrumentComponent}, or
 * as a single {@code filename} of the oldest format. Layers with the same velocity range become
 * round-robin alternatives.
 *
 * <p>The XML parser is locked down (no DTDs, no external entities, no XInclude). Sample paths
 * are taken relative to the kit folder and must stay inside it. Stateless; any thread.
 */
public final class HydrogenKitParser {
    /** Largest drumkit.xml accepted. */
    public static final int MAX_BYTES = 8 << 20;

    private HydrogenKitParser() {
    }

    /** Parses {@code xml}; sample file names are resolved inside {@code kitDir}. */
    public static ParsedKit parse(byte[] xml, Path kitDir) throws KitFormatException {
        if (xml.length > MAX_BYTES) {
            throw new KitFormatException("drumkit.xml is larger than " + MAX_BYTES + " bytes");
        }
        Document doc = parseXml(xml);
        Element root = doc.getDocumentElement();
        if (root == null || !"drumkit_info".equals(local(root))) {
            throw new KitFormatException("not a Hydrogen drumkit.xml (no drumkit_info element)");
        }
        List<String> warnings = new ArrayList<>();
        String title = text(child(root, "name"), "Hydrogen kit");
        Element list = child(root, "instrumentList");
        if (list == null) {
            throw new KitFormatException("drumkit.xml has no instrumentList");
        }
        List<Element> instruments = children(list, "instrument");
        // A MIDI note is only meaningful if the kit gives different instruments different notes
        // (many kits leave every instrument at the default 60).
        Set<Integer> notes = new HashSet<>();
        for (Element e : instruments) {
            notes.add(intValue(child(e, "midiOutNote"), -1, warnings));
        }
        boolean useNotes = notes.size() > 1;
        Map<Integer, Integer> chokeIds = new LinkedHashMap<>();
        List<ParsedKit.Instrument> out = new ArrayList<>();
        int skippedEmpty = 0;
        for (Element e : instruments) {
            String name = text(child(e, "name"), "instrument " + (out.size() + 1));
            List<ParsedKit.Layer> layers = layers(e, kitDir, name, warnings);
            if (layers.isEmpty()) {
                skippedEmpty++;
                continue;
            }
            float volume = floatValue(child(e, "volume"), 1f, warnings);
            float gain = floatValue(child(e, "gain"), 1f, warnings);
            float pan;
            Element panEl = child(e, "pan");
            if (panEl != null) {
                pan = floatValue(panEl, 0f, warnings);
            } else {
                float l = floatValue(child(e, "pan_L"), 1f, warnings);
                float r = floatValue(child(e, "pan_R"), 1f, warnings);
                pan = r - l;
            }
            boolean muted = "true".equalsIgnoreCase(text(child(e, "isMuted"), "false").trim());
            int group = intValue(child(e, "muteGroup"), -1, warnings);
            int choke = 0;
            if (group >= 0) {
                Integer id = chokeIds.get(group);
                if (id == null && chokeIds.size() < 16) {
                    id = chokeIds.size() + 1;
                    chokeIds.put(group, id);
                }
                if (id == null) {
                    warnings.add("instrument '" + name + "': more than 16 mute groups; this one is not choked");
                } else {
                    choke = id;
                }
            }
            int note = useNotes ? intValue(child(e, "midiOutNote"), -1, warnings) : -1;
            float pitch = floatValue(child(e, "pitch"), 0f, warnings);
            out.add(new ParsedKit.Instrument(name, note, clamp(volume * gain, 0f, 4f), clamp(pan, -1f, 1f), choke,
                    clamp(pitch, -24f, 24f), muted, layers));
        }
        if (skippedEmpty > 0) {
            warnings.add(skippedEmpty + " instrument(s) without samples skipped");
        }
        if (out.isEmpty()) {
            throw new KitFormatException("drumkit.xml has no instrument with a sample");
        }
        return new ParsedKit("hydrogen", title, out, warnings);
    }

    private static List<ParsedKit.Layer> layers(Element instrument, Path kitDir, String name, List<String> warnings) {
        List<Element> layerEls = new ArrayList<>();
        NodeList all = instrument.getElementsByTagNameNS("*", "layer");
        for (int i = 0; i < all.getLength(); i++) {
            layerEls.add((Element) all.item(i));
        }
        if (layerEls.isEmpty()) {
            Element f = child(instrument, "filename");
            if (f != null && !text(f, "").isBlank()) {
                Path p = sample(kitDir, text(f, ""), name, warnings);
                if (p != null) {
                    return List.of(ParsedKit.Layer.roundRobin(0f, 1f, 1f, 0f, List.of(p)));
                }
            }
            return List.of();
        }
        // Same range, gain and pitch: round-robin alternatives of one layer, in file order.
        Map<String, List<Path>> merged = new LinkedHashMap<>();
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Element l : layerEls) {
            if ("true".equalsIgnoreCase(text(child(l, "isMuted"), "false").trim())) {
                continue;
            }
            String file = text(child(l, "filename"), "");
            if (file.isBlank()) {
                continue;
            }
            Path p = sample(kitDir, file, name, warnings);
            if (p == null) {
                continue;
            }
            float min = clamp(floatValue(child(l, "min"), 0f, warnings), 0f, 1f);
            float max = clamp(floatValue(child(l, "max"), 1f, warnings), 0f, 1f);
            if (max < min) {
                float t = min;
                min = max;
                max = t;
            }
            float gain = clamp(floatValue(child(l, "gain"), 1f, warnings), 0f, 16f);
            float pitch = clamp(floatValue(child(l, "pitch"), 0f, warnings), -24f, 24f);
            String key = min + "/" + max + "/" + gain + "/" + pitch;
            merged.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
            params.putIfAbsent(key, new float[] {min, max, gain, pitch});
        }
        List<ParsedKit.Layer> out = new ArrayList<>();
        for (Map.Entry<String, float[]> e : params.entrySet()) {
            float[] v = e.getValue();
            out.add(ParsedKit.Layer.roundRobin(v[0], v[1], v[2], v[3], List.copyOf(merged.get(e.getKey()))));
        }
        return out;
    }

    private static Path sample(Path kitDir, String file, String instrument, List<String> warnings) {
        try {
            return LibraryFolder.resolveInside(kitDir, file.trim());
        } catch (LibraryException e) {
            warnings.add("instrument '" + instrument + "': sample refused (" + e.getMessage() + ")");
            return null;
        }
    }

    private static Document parseXml(byte[] xml) throws KitFormatException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXParseException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw new KitFormatException("drumkit.xml is not well-formed XML (line " + e.getLineNumber() + ": "
                    + oneLine(e.getMessage()) + ")", e);
        } catch (Exception e) {
            // Any other parser failure (SAXException, configuration, runtime errors inside the JDK
            // parser on hostile input) is still a bad file to the user.
            throw new KitFormatException("drumkit.xml cannot be parsed: " + oneLine(String.valueOf(e.getMessage())), e);
        } catch (StackOverflowError e) {
            throw new KitFormatException("drumkit.xml is nested too deeply");
        }
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ");
        return t.length() > 120 ? t.substring(0, 120) : t;
    }

    static String local(Node n) {
        String l = n.getLocalName();
        return l != null ? l : n.getNodeName();
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && name.equals(local(n))) {
                return (Element) n;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> l = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && name.equals(local(n))) {
                l.add((Element) n);
            }
        }
        return l;
    }

    static String text(Element e, String dflt) {
        if (e == null) {
            return dflt;
        }
        String t = e.getTextContent();
        return t == null ? dflt : t.trim();
    }

    private static float floatValue(Element e, float dflt, List<String> warnings) {
        if (e == null) {
            return dflt;
        }
        String t = text(e, "");
        if (t.isEmpty()) {
            return dflt;
        }
        try {
            float v = Float.parseFloat(t.replace(',', '.'));
            if (Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException ex) {
            // falls through to the warning
        }
        warnings.add("<" + local(e) + "> '" + LibraryFolder.printable(t) + "' is not a number; using " + dflt);
        return dflt;
    }

    private static int intValue(Element e, int dflt, List<String> warnings) {
        float f = floatValue(e, dflt, warnings);
        return f >= Integer.MIN_VALUE && f <= Integer.MAX_VALUE ? Math.round(f) : dflt;
    }

    private static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** Lower-case file name check used by the importer to spot a Hydrogen kit folder. */
    public static boolean isDrumkitXml(Path p) {
        return p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).equals("drumkit.xml");
    }
}
