package io.latentkit.presets.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Instrument names as real kits spell them (most from hydrogen-drumkits) map to the right class. */
class ClassMatcherTest {
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "Kick|-1|KICK", "BassDrum|-1|KICK", "Kick (Tama Superstar 22\")|35|KICK", "bd_01.flac|-1|KICK",
        "Snare Jazz|-1|SNARE", "Snare1|-1|SNARE", "Snare Rimshot (Pearl)|38|SNARE", "SD-hard|-1|SNARE",
        "Stick|-1|RIM", "Rim Click (Pearl)|37|RIM", "Side Stick|-1|RIM",
        "Hand Clap|-1|CLAP", "Finger Snaps|-1|CLAP",
        "Closed HH|-1|HIHAT_CLOSED", "Hi Hat Closed|-1|HIHAT_CLOSED", "Pedal HH|-1|HIHAT_CLOSED",
        "Hi-Hat Closed (Paiste)|42|HIHAT_CLOSED", "Hat Closed Dirty|-1|HIHAT_CLOSED",
        "Open HH|-1|HIHAT_OPEN", "Hi Hat Opened|-1|HIHAT_OPEN", "Hat Op Phaser|-1|HIHAT_OPEN",
        "Tom Low|-1|TOM_LOW", "Floor Tom|-1|TOM_LOW", "Tom Mid|-1|TOM_MID", "Tom|-1|TOM_MID",
        "Tom Hi|-1|TOM_HIGH", "tomhi2|-1|TOM_HIGH", "Tom High (Tama 12\")|50|TOM_HIGH",
        "Crash|-1|CRASH", "crash16inch|-1|CRASH", "China (Paiste)|52|CRASH", "Splash|-1|CRASH",
        "Ride Jazz|-1|RIDE", "Ride Bell|-1|RIDE", "ride-cup|-1|RIDE",
        "Cowbell|-1|PERC", "Tambourine|54|PERC", "Conga 1|-1|PERC", "Whistle|-1|PERC",
        "Drum 1|-1|PERC", "x|36|KICK", "redo super opaco|-1|PERC",
        "closedhat|-1|HIHAT_CLOSED", "closedhat|35|HIHAT_CLOSED", "openhat|-1|HIHAT_OPEN", "hihatopen|-1|HIHAT_OPEN",
        "pedalhat|-1|HIHAT_CLOSED", "kickdrum|-1|KICK", "snaredrum_02|-1|SNARE", "ridebell|-1|RIDE",
        "crashcymbal|-1|CRASH", "floortom|-1|TOM_LOW", "hitom|-1|TOM_HIGH", "sidestick|-1|RIM"})
    void realInstrumentNamesMapToTheirClass(String name, int note, DrumClass expected) {
        assertEquals(expected, ClassMatcher.match(name, note).drumClass());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"closedhat|closed hat", "openhh|open hh", "kickdrum|kick drum",
        "hihat|hihat", "bassdrum|bassdrum", "opaco|opaco", "xylophone|xylophone"})
    void namesWrittenAsOneWordSplitIntoTheirWordsOnlyWhenEveryPieceIsOne(String word, String normalised) {
        assertEquals(normalised, ClassMatcher.normalise(word));
    }

    @Test
    void aLongAmbiguousWordIsMatchedQuickly() {
        // cow+bell or cowbell at every step: without remembering failed splits this takes 2^n tries.
        String name = "cowbell".repeat(5) + "x";
        assertEquals(name, ClassMatcher.normalise(name));
        assertEquals(DrumClass.PERC, ClassMatcher.match("cowbell".repeat(300), -1).drumClass());
    }

    @ParameterizedTest(name = "{0} beats {1}")
    @CsvSource(delimiter = '|', value = {"Kick|Kick 2", "Snare|Snare Rimshot", "Ride|Ride Bell", "Crash|China",
        "Closed HH|Pedal HH", "Kick|Kick Hard 2"})
    void thePlainNameOfAClassOutranksItsVariants(String plain, String variant) {
        assertTrue(ClassMatcher.match(plain, -1).score() > ClassMatcher.match(variant, -1).score());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Snare, 38", "Snare, 40"})
    void aGmNoteThatAgreesRaisesTheScore(String name, int note) {
        assertTrue(ClassMatcher.match(name, note).score() > ClassMatcher.match(name, -1).score());
    }
}
