package io.latentkit.presets.kit.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** drumkit.xml variants and hostile XML. */
class HydrogenKitParserTest {
    static final Path KIT = Path.of("/kits/h2");

    static ParsedKit parse(String xml) throws KitFormatException {
        return HydrogenKitParser.parse(xml.getBytes(StandardCharsets.UTF_8), KIT);
    }

    @Test
    void theOldestFormatWithAFilenamePerInstrumentAndTheNewPanFieldAreRead() throws Exception {
        ParsedKit k = parse("<drumkit_info><name>Old</name><instrumentList>"
                + "<instrument><name>Kick</name><filename>kick.flac</filename><volume>0.5</volume><pan>-0.25</pan></instrument>"
                + "</instrumentList></drumkit_info>");
        assertEquals("Old", k.title());
        ParsedKit.Instrument i = k.instruments().get(0);
        assertEquals(KIT.resolve("kick.flac"), i.layers().get(0).samples().get(0));
        assertEquals(0.5f, i.gain(), 1e-6);
        assertEquals(-0.25f, i.pan(), 1e-6);
        assertEquals(-1, i.gmNote(), "one instrument: its note says nothing");
    }

    @Test
    void externalEntitiesAndDoctypesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<drumkit_info><name>&x;</name><instrumentList/></drumkit_info>";
        KitFormatException e = assertThrows(KitFormatException.class, () -> parse(xxe));
        assertTrue(e.getMessage().contains("drumkit.xml"), e.getMessage());
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                + "<drumkit_info><name>&b;</name></drumkit_info>";
        assertThrows(KitFormatException.class, () -> parse(bomb));
    }

    @Test
    void malformedOrForeignXmlIsAFormatErrorWithOneLine() {
        for (String bad : new String[] {"", "<a>", "<notakit/>", "<drumkit_info><name>x</name></drumkit_info>",
            "<drumkit_info><instrumentList><instrument><name>k</name></instrument></instrumentList></drumkit_info>"}) {
            KitFormatException e = assertThrows(KitFormatException.class, () -> parse(bad), bad);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
