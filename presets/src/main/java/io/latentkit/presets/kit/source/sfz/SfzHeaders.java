package io.latentkit.presets.kit.source.sfz;

import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.source.KitFormatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the headers and opcodes of an SFZ file into typed regions, with the inheritance sfizz
 * applies: a region takes the opcodes of the current {@code <group>}, {@code <master>} and
 * {@code <global>}; a new {@code <global>} clears master and group, a new {@code <master>} clears
 * the group. {@code <control>} sets {@code default_path} (reset by every new {@code <control>},
 * as in ARIA and sfizz), {@code note_offset} and {@code octave_offset} for the regions after it.
 * {@code <sample>} headers (embedded sample data) are read and set aside; other headers are
 * listed as unsupported and their opcodes ignored.
 *
 * <p>One parse, one thread.
 */
final class SfzHeaders implements SfzLexer.Listener {
    static final int MAX_REGIONS = 20_000;

    private enum Level { NONE, CONTROL, GLOBAL, MASTER, GROUP, REGION, SAMPLE, IGNORED }

    private final SfzWarnings warnings;
    private final List<SfzRegion> regions = new ArrayList<>();
    private final Set<String> embedded = new LinkedHashSet<>();
    private SfzOpcodes global = new SfzOpcodes();
    private SfzOpcodes master = new SfzOpcodes();
    private SfzOpcodes group = new SfzOpcodes();
    private SfzOpcodes region;
    private Level level = Level.NONE;
    private String defaultPath = "";
    private int noteOffset;
    private int octaveOffset;

    SfzHeaders(SfzWarnings warnings) {
        this.warnings = warnings;
    }

    @Override
    public void header(String name) throws KitFormatException {
        endRegion();
        switch (name.toLowerCase(Locale.ROOT)) {
            case "control" -> {
                defaultPath = "";
                level = Level.CONTROL;
            }
            case "global" -> {
                global = new SfzOpcodes();
                master = new SfzOpcodes();
                group = new SfzOpcodes();
                level = Level.GLOBAL;
            }
            case "master" -> {
                master = new SfzOpcodes();
                group = new SfzOpcodes();
                level = Level.MASTER;
            }
            case "group" -> {
                group = new SfzOpcodes();
                level = Level.GROUP;
            }
            case "region" -> {
                if (regions.size() >= MAX_REGIONS) {
                    throw new KitFormatException("SFZ file has more than " + MAX_REGIONS + " regions");
                }
                region = new SfzOpcodes();
                level = Level.REGION;
            }
            case "sample" -> level = Level.SAMPLE;
            default -> {
                warnings.unsupportedHeader(name.toLowerCase(Locale.ROOT));
                level = Level.IGNORED;
            }
        }
    }

    @Override
    public void opcode(String name, String value) {
        switch (level) {
            case NONE -> warnings.add("SFZ: opcodes before the first header ignored");
            case CONTROL -> control(name.toLowerCase(Locale.ROOT), value);
            case GLOBAL -> global.set(name, value, warnings);
            case MASTER -> master.set(name, value, warnings);
            case GROUP -> group.set(name, value, warnings);
            case REGION -> region.set(name, value, warnings);
            case SAMPLE -> {
                if (name.equalsIgnoreCase("name")) {
                    embedded.add(value.replace('\\', '/'));
                    warnings.add("SFZ: embedded sample data (<sample> base64data) is not supported: '"
                            + LibraryFolder.printable(value) + "' ignored");
                }
            }
            default -> {
                // Opcodes of an unsupported header: the header is already listed.
            }
        }
    }

    private void control(String name, String value) {
        switch (name) {
            case "default_path" -> defaultPath = value.replace('\\', '/');
            case "note_offset" -> noteOffset = offset(name, value, 127);
            case "octave_offset" -> octaveOffset = offset(name, value, 10);
            default -> warnings.unsupportedOpcode(name);
        }
    }

    private int offset(String name, String value, int bound) {
        Double d = SfzValues.number(value);
        if (d == null || Math.abs(d) > bound) {
            warnings.add("SFZ: " + name + "='" + LibraryFolder.printable(value) + "' is not an offset; ignored");
            return name.equals("note_offset") ? noteOffset : octaveOffset;
        }
        return (int) Math.floor(d);
    }

    /** Call after the last header: the last region ends. */
    void finish() {
        endRegion();
    }

    private void endRegion() {
        if (region != null) {
            regions.add(SfzOpcodes.resolve(defaultPath, 12 * octaveOffset + noteOffset, global, master, group, region));
            region = null;
        }
    }

    List<SfzRegion> regions() {
        return regions;
    }

    /** Names given to embedded samples by {@code <sample> name=}. */
    Set<String> embedded() {
        return embedded;
    }
}
