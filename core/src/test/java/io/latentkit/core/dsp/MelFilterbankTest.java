package io.latentkit.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MelFilterbankTest {
    @Test
    void everyBandCoversAtLeastOneBinAndBandsRiseInFrequency() {
        MelFilterbank bank = new MelFilterbank(48000, 1024, 64);
        int previousPeak = -1;
        for (int m = 0; m < bank.bands(); m++) {
            int peak = 0;
            for (int k = 0; k < bank.bins(); k++) {
                if (bank.weight(m, k) > bank.weight(m, peak)) {
                    peak = k;
                }
            }
            assertTrue(bank.weight(m, peak) > 0f, "band " + m);
            assertTrue(peak >= previousPeak, "band " + m + " peaks below band " + (m - 1));
            previousPeak = peak;
        }
    }

    @Test
    void htkMelScaleRoundTrips() {
        assertEquals(1000.0, MelFilterbank.melToHz(MelFilterbank.hzToMel(1000.0)), 1e-9);
        assertEquals(999.985, MelFilterbank.hzToMel(1000.0), 1e-3);
    }

    @Test
    void tooManyBandsForTheFftSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MelFilterbank(48000, 64, 128));
    }
}
