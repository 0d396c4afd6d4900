package io.latentkit.presets.kit.source.sfz;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.source.KitFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads SFZ text into headers and opcodes, as sfizz reads it: {@code //} and block comments,
 * {@code #include "file"} (relative to the main file's folder, with {@code $variables} expanded
 * in the path), and {@code #define $NAME value} anywhere on a line (the value is its first word;
 * the rest of the line is read on). A {@code $NAME} in an opcode's name or value expands to the
 * shortest defined name it starts with, again and again while the result still holds a {@code $}
 * ({@code $abcdef} with {@code $abc} defined is {@code foo} + {@code def}). A value runs to the end
 * of the line, a comment, a header, a directive, or the next {@code name=}; so sample paths may
 * hold spaces. {@code base64data} runs to the next header or directive.
 *
 * <p>Includes must stay inside the import's root folder; an include loop, more than
 * {@value #MAX_INCLUDE_DEPTH} nested includes or more than {@value #MAX_TEXT_CHARS} characters in
 * all are refused. Anything malformed is skipped to the end of its line with a warning.
 *
 * <p>One parse, one thread.
 */
final class SfzLexer {
    /** Receives what the text says, in order. */
    interface Listener {
        void header(String name) throws KitFormatException;

        void opcode(String name, String value) throws KitFormatException;
    }

    static final int MAX_TEXT_CHARS = 4 << 20;
    static final int MAX_INCLUDE_DEPTH = 8;
    /** Bounds the expansion of self-referring or exponential defines. */
    private static final int MAX_EXPANSION_PASSES = 32;
    private static final int MAX_EXPANDED_CHARS = 100_000;

    /** One file being read. */
    private static final class Source {
        final String text;
        final String name;
        int pos;

        Source(String text, String name) {
            this.text = text;
            this.name = name;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        char peek(int ahead) {
            int i = pos + ahead;
            return i < text.length() ? text.charAt(i) : '\0';
        }

        void skipLine() {
            while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                pos++;
            }
        }
    }

    private final Path dir;
    private final Path root;
    private final SfzParser.IncludeReader reader;
    private final SfzWarnings warnings;
    private final Listener listener;
    private final Map<String, String> defines = new HashMap<>();
    private final Deque<Source> stack = new ArrayDeque<>();
    private long totalChars;

    /**
     * @param dir the main SFZ file's folder: includes are relative to it
     * @param root the import's root folder, which includes may not leave
     */
    SfzLexer(Path dir, Path root, SfzParser.IncludeReader reader, SfzWarnings warnings, Listener listener) {
        this.dir = dir;
        this.root = root;
        this.reader = reader;
        this.warnings = warnings;
        this.listener = listener;
    }

    void run(String text, String name) throws KitFormatException {
        push(text, name);
        while (!stack.isEmpty()) {
            Source s = stack.peek();
            skipBlanksAndComments(s);
            if (s.atEnd()) {
                stack.pop();
                continue;
            }
            char c = s.peek();
            if (c == '#') {
                directive(s);
            } else if (c == '<') {
                header(s);
            } else {
                opcode(s);
            }
        }
    }

    private void push(String text, String name) throws KitFormatException {
        totalChars += text.length();
        if (totalChars > MAX_TEXT_CHARS) {
            throw new KitFormatException("SFZ text with includes exceeds " + MAX_TEXT_CHARS + " characters");
        }
        stack.push(new Source(text, name));
    }

    private void skipBlanksAndComments(Source s) {
        while (!s.atEnd()) {
            char c = s.peek();
            if (Character.isWhitespace(c)) {
                s.pos++;
            } else if (c == '/' && s.peek(1) == '/') {
                s.skipLine();
            } else if (c == '/' && s.peek(1) == '*') {
                int end = s.text.indexOf("*/", s.pos + 2);
                if (end < 0) {
                    warnings.add("SFZ: unterminated block comment in " + s.name);
                    s.pos = s.text.length();
                } else {
                    s.pos = end + 2;
                }
            } else {
                return;
            }
        }
    }

    private void directive(Source s) throws KitFormatException {
        int start = s.pos++;
        while (!s.atEnd() && isIdentifierChar(s.peek())) {
            s.pos++;
        }
        String directive = s.text.substring(start + 1, s.pos);
        skipSpacesOnLine(s);
        if (directive.equals("define")) {
            define(s);
        } else if (directive.equals("include")) {
            include(s);
        } else {
            warnings.add("SFZ: unknown directive #" + LibraryFolder.printable(directive) + " ignored");
            s.skipLine();
        }
    }

    private void define(Source s) {
        if (s.atEnd() || s.peek() != '$') {
            warnings.add("SFZ: malformed #define ignored");
            s.skipLine();
            return;
        }
        int from = ++s.pos;
        while (!s.atEnd() && isIdentifierChar(s.peek())) {
            s.pos++;
        }
        String id = s.text.substring(from, s.pos);
        if (id.isEmpty()) {
            warnings.add("SFZ: malformed #define ignored");
            s.skipLine();
            return;
        }
        skipSpacesOnLine(s);
        // ARIA and sfizz: the value is the first word; what follows on the line is read on.
        int v = s.pos;
        while (!s.atEnd() && !Character.isWhitespace(s.peek()) && !commentStarts(s, s.pos)) {
            s.pos++;
        }
        defines.put(id, s.text.substring(v, s.pos));
    }

    private void include(Source s) throws KitFormatException {
        if (s.atEnd() || s.peek() != '"') {
            warnings.add("SFZ: malformed #include ignored (expected \"file.sfz\")");
            s.skipLine();
            return;
        }
        int from = ++s.pos;
        while (!s.atEnd() && s.peek() != '"' && s.peek() != '\n' && s.peek() != '\r') {
            s.pos++;
        }
        if (s.atEnd() || s.peek() != '"') {
            warnings.add("SFZ: malformed #include ignored (expected \"file.sfz\")");
            s.skipLine();
            return;
        }
        String raw = s.text.substring(from, s.pos++);
        String name = expand(raw).replace('\\', '/');
        Path file;
        try {
            Path abs = dir.resolve(name).normalize();
            file = LibraryFolder.resolveInside(root, root.relativize(abs).toString());
        } catch (LibraryException | IllegalArgumentException e) {
            throw new KitFormatException("SFZ #include \"" + LibraryFolder.printable(name) + "\" refused: outside the kit folder");
        }
        String key = file.toString();
        for (Source open : stack) {
            if (open.name.equals(key)) {
                throw new KitFormatException("SFZ #include loop: \"" + LibraryFolder.printable(name)
                        + "\" is already being read");
            }
        }
        if (stack.size() > MAX_INCLUDE_DEPTH) {
            throw new KitFormatException("SFZ #include nested more than " + MAX_INCLUDE_DEPTH + " deep");
        }
        String text;
        try {
            text = reader.read(file);
        } catch (IOException e) {
            throw new KitFormatException("SFZ #include \"" + LibraryFolder.printable(name) + "\" cannot be read: "
                    + LibraryFolder.printable(String.valueOf(e.getMessage())));
        }
        push(text, key);
    }

    private void header(Source s) throws KitFormatException {
        int from = ++s.pos;
        while (!s.atEnd() && s.peek() != '>' && s.peek() != '\n' && s.peek() != '\r') {
            s.pos++;
        }
        if (s.atEnd() || s.peek() != '>') {
            warnings.add("SFZ: header without '>' ignored: '<" + LibraryFolder.printable(clip(s.text.substring(from, s.pos)))
                    + "'");
            s.skipLine();
            return;
        }
        String name = s.text.substring(from, s.pos++);
        if (name.isEmpty() || !name.chars().allMatch(SfzLexer::isIdentifierChar)) {
            warnings.add("SFZ: malformed header '<" + LibraryFolder.printable(clip(name)) + ">' ignored");
            return;
        }
        listener.header(name);
    }

    private void opcode(Source s) throws KitFormatException {
        int from = s.pos;
        while (!s.atEnd() && (isIdentifierChar(s.peek()) || s.peek() == '$')) {
            s.pos++;
        }
        if (s.pos == from || s.atEnd() || s.peek() != '=') {
            int lineEnd = s.pos;
            s.skipLine();
            warnings.add("SFZ: text without an opcode ignored: '"
                    + LibraryFolder.printable(clip(s.text.substring(from, Math.max(lineEnd, s.pos)).trim())) + "'");
            return;
        }
        String name = expand(s.text.substring(from, s.pos));
        if (name.isEmpty() || !name.chars().allMatch(SfzLexer::isIdentifierChar)) {
            warnings.add("SFZ: malformed opcode '" + LibraryFolder.printable(clip(name)) + "' ignored");
            s.skipLine();
            return;
        }
        s.pos++;
        int valueStart = s.pos;
        if (name.equals("base64data")) {
            // Embedded data runs to the next header or directive, comments and newlines included.
            while (!s.atEnd() && s.peek() != '<' && s.peek() != '#') {
                s.pos++;
            }
            listener.opcode(name, s.text.substring(valueStart, s.pos));
            return;
        }
        int lineEnd = valueStart;
        while (lineEnd < s.text.length() && s.text.charAt(lineEnd) != '\n' && s.text.charAt(lineEnd) != '\r'
                && !commentStarts(s, lineEnd)) {
            lineEnd++;
        }
        int end = valueEnd(s.text, valueStart, lineEnd);
        s.pos = end;
        listener.opcode(name, expand(s.text.substring(valueStart, end).trim()));
    }

    /**
     * Where a value that may hold spaces ends: at a {@code <}, or at a run of spaces followed by
     * nothing, a header, a {@code #define}/{@code #include}, or an {@code name=}.
     */
    static int valueEnd(String text, int from, int lineEnd) {
        int j = from;
        while (j < lineEnd) {
            char c = text.charAt(j);
            if (c == '<') {
                return j;
            }
            if (!isSpace(c)) {
                j++;
                continue;
            }
            int k = j;
            while (k < lineEnd && isSpace(text.charAt(k))) {
                k++;
            }
            if (k == lineEnd || text.charAt(k) == '<') {
                return j;
            }
            if (text.charAt(k) == '#') {
                int m = k + 1;
                while (m < lineEnd && isIdentifierChar(text.charAt(m))) {
                    m++;
                }
                String d = text.substring(k + 1, m);
                if (d.equals("define") || d.equals("include")) {
                    return j;
                }
            } else if (isIdentifierChar(text.charAt(k))) {
                int m = k;
                while (m < lineEnd && (isIdentifierChar(text.charAt(m)) || text.charAt(m) == '$')) {
                    m++;
                }
                if (m < lineEnd && text.charAt(m) == '=') {
                    return j;
                }
            }
            j = k;
        }
        return lineEnd;
    }

    /** {@code s} with every {@code $NAME} expanded (shortest defined match, repeated). */
    String expand(String s) {
        String cur = s;
        for (int pass = 0; cur.indexOf('$') >= 0; pass++) {
            if (pass >= MAX_EXPANSION_PASSES || cur.length() > MAX_EXPANDED_CHARS) {
                warnings.add("SFZ: $-variables expand without end; expansion stopped");
                return cur.replace("$", "");
            }
            StringBuilder out = new StringBuilder(cur.length() + 16);
            int i = 0;
            int n = cur.length();
            while (i < n) {
                char c = cur.charAt(i++);
                if (c != '$') {
                    out.append(c);
                    continue;
                }
                int j = i;
                String value = null;
                while (j < n && isIdentifierChar(cur.charAt(j)) && value == null) {
                    j++;
                    value = defines.get(cur.substring(i, j));
                }
                if (value != null) {
                    out.append(value);
                } else if (j == i) {
                    warnings.add("SFZ: '$' without a variable name dropped");
                } else {
                    warnings.add("SFZ: $" + LibraryFolder.printable(clip(cur.substring(i, j))) + " is not defined");
                }
                i = j;
            }
            cur = out.toString();
        }
        return cur;
    }

    private static boolean commentStarts(Source s, int i) {
        return s.text.charAt(i) == '/' && i + 1 < s.text.length()
                && (s.text.charAt(i + 1) == '/' || s.text.charAt(i + 1) == '*');
    }

    private static void skipSpacesOnLine(Source s) {
        while (!s.atEnd() && isSpace(s.peek())) {
            s.pos++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isIdentifierChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
