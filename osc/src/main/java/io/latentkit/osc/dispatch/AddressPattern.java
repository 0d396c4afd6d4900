package io.latentkit.osc.dispatch;

import java.util.Arrays;

/**
 * OSC 1.0 address pattern matching: {@code ?} (one character), {@code *} (any run), {@code [abc]},
 * {@code [a-z]}, {@code [!abc]} and {@code {foo,bar}}. Wildcards never match '/', so each matches
 * within one part of the address, as liblo and SuperCollider do.
 *
 * <p>Bounded cost: matching memoises every (pattern position, address position) pair that failed, so
 * one match costs at most O(pattern length x address length x longest alternative), whatever the
 * pattern; no backtracking blow-up. Patterns longer than the table was sized for do not match.
 *
 * <p>Threading: not thread-safe (the memo table is reused); one instance per receiver thread.
 * Allocation-free.
 */
public final class AddressPattern {
    private final int maxPatternBytes;
    private final int maxAddressBytes;
    /** failed[(p * (maxAddressBytes + 1)) + a] == epoch: (p, a) known not to match in this call. */
    private final int[] failed;
    private int epoch;

    private byte[] pat;
    private int patOff;
    private int patEnd;
    private byte[] addr;

    public AddressPattern(int maxPatternBytes, int maxAddressBytes) {
        this.maxPatternBytes = maxPatternBytes;
        this.maxAddressBytes = maxAddressBytes;
        this.failed = new int[(maxPatternBytes + 1) * (maxAddressBytes + 1)];
    }

    /** Whether the address bytes hold any pattern character. */
    public static boolean isPattern(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code pattern[off, off+len)} matches the whole {@code address}. */
    public boolean matches(byte[] pattern, int off, int len, byte[] address) {
        if (len > maxPatternBytes || address.length > maxAddressBytes) {
            return false;
        }
        if (++epoch == 0) {
            Arrays.fill(failed, 0);
            epoch = 1;
        }
        this.pat = pattern;
        this.patOff = off;
        this.patEnd = off + len;
        this.addr = address;
        boolean r = match(off, 0);
        this.pat = null;
        this.addr = null;
        return r;
    }

    private boolean match(int p, int a) {
        // Literal runs advance without recursion; recursion happens only at '*' and '{'.
        while (true) {
            if (p == patEnd) {
                return a == addr.length;
            }
            int memo = (p - patOff) * (maxAddressBytes + 1) + a;
            if (failed[memo] == epoch) {
                return false;
            }
            byte c = pat[p];
            switch (c) {
                case '*': {
                    // Collapse runs of '*'; then try every split that stays inside this part.
                    int q = p;
                    while (q < patEnd && pat[q] == '*') {
                        q++;
                    }
                    for (int k = a; ; k++) {
                        if (match(q, k)) {
                            return true;
                        }
                        if (k == addr.length || addr[k] == '/') {
                            break;
                        }
                    }
                    failed[memo] = epoch;
                    return false;
                }
                case '?':
                    if (a == addr.length || addr[a] == '/') {
                        failed[memo] = epoch;
                        return false;
                    }
                    p++;
                    a++;
                    continue;
                case '[': {
                    int close = p + 1;
                    while (close < patEnd && pat[close] != ']') {
                        close++;
                    }
                    if (close == patEnd || a == addr.length || addr[a] == '/' || !inClass(p + 1, close, addr[a])) {
                        failed[memo] = epoch;
                        return false;
                    }
                    p = close + 1;
                    a++;
                    continue;
                }
                case '{': {
                    int close = p + 1;
                    while (close < patEnd && pat[close] != '}') {
                        close++;
                    }
                    if (close == patEnd) {
                        failed[memo] = epoch;
                        return false;
                    }
                    int start = p + 1;
                    for (int i = p + 1; i <= close; i++) {
                        if (i == close || pat[i] == ',') {
                            int n = i - start;
                            if (regionMatches(start, n, a) && match(close + 1, a + n)) {
                                return true;
                            }
                            start = i + 1;
                        }
                    }
                    failed[memo] = epoch;
                    return false;
                }
                default:
                    if (a == addr.length || addr[a] != c) {
                        failed[memo] = epoch;
                        return false;
                    }
                    p++;
                    a++;
            }
        }
    }

    private boolean regionMatches(int p, int n, int a) {
        if (n > addr.length - a) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (pat[p + i] != addr[a + i]) {
                return false;
            }
        }
        return true;
    }

    private boolean inClass(int from, int close, byte ch) {
        boolean negate = from < close && pat[from] == '!';
        int i = negate ? from + 1 : from;
        boolean hit = false;
        while (i < close) {
            if (i + 2 < close && pat[i + 1] == '-') {
                int lo = pat[i] & 0xFF;
                int hi = pat[i + 2] & 0xFF;
                int x = ch & 0xFF;
                if (x >= Math.min(lo, hi) && x <= Math.max(lo, hi)) {
                    hit = true;
                }
                i += 3;
            } else {
                if (pat[i] == ch) {
                    hit = true;
                }
                i++;
            }
        }
        return hit != negate;
    }
}
