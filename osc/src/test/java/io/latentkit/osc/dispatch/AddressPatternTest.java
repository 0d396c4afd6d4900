package io.latentkit.osc.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPatternTest {
    private final AddressPattern matcher = new AddressPattern(256, 256);

    private boolean matches(String pattern, String address) {
        byte[] p = pattern.getBytes(StandardCharsets.US_ASCII);
        return matcher.matches(p, 0, p.length, address.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = ' ', value = {
        "/hit/* /hit/kick true",
        "/hit/* /hit false",
        "/*/kick /hit/kick true",
        "/* /hit/kick false",
        "/hit/?ick /hit/kick true",
        "/hit/?ick /hit/snare false",
        "/pad/[0-3]/gain /pad/2/gain true",
        "/pad/[0-3]/gain /pad/7/gain false",
        "/pad/[!0-3]/gain /pad/7/gain true",
        "/pad/[!0-3]/gain /pad/2/gain false",
        "/hit/{kick,snare} /hit/snare true",
        "/hit/{kick,snare} /hit/clap false",
        "/hit/{kick,snare}x /hit/kickx true",
        "/pad/1*/gain /pad/11/gain true",
        "/pad/1*/gain /pad/1/gain true",
        "/pad/1*/gain /pad/2/gain false",
        "/hit/*_* /hit/hihat_open true",
        "/hit/{,hihat_}open /hit/hihat_open true",
        "/hit/[abc /hit/a false",
    })
    void matchesLikeOsc10(String pattern, String address, boolean expected) {
        assertEquals(expected, matches(pattern, address));
    }

    @ParameterizedTest(name = "pathological pattern {0}")
    @CsvSource({
        "/***************************************************************b",
        "/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
    })
    void pathologicalPatternsAnswerWithoutBlowUp(String pattern) {
        // Memoised (pattern, address) pairs bound the work; without them this takes 2^30 steps.
        assertEquals(false, matches(pattern, "/" + "a".repeat(200)));
    }
}
