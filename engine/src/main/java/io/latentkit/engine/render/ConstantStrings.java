package io.latentkit.engine.render;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Interns, ahead of the show and on the calling thread, every string constant of the classes the
 * render thread runs, and holds them for the life of the JVM, so that the render thread never
 * allocates them itself.
 *
 * <p>Why: when a thread's call or loop counter asks HotSpot's optimising compiler (C2) for a method,
 * that thread first resolves all string constants of the method's class
 * ({@code CompileBroker::compile_method} calls {@code ConstantPool::resolve_string_constants}),
 * and each one that is not in the JVM's string table yet is allocated there and then, on that
 * thread. The render warm-up compiles the render path on its own thread, but mostly inlined into a
 * few large methods; a method first asked for on its own later (after the live loop's code was
 * replaced) is asked for by the render thread, which then allocates its class's strings: 96 B for
 * Agrona's {@code BroadcastTransmitter} (its one message), about 4 KB for HdrHistogram's
 * {@code AbstractHistogram}, seen with JFR at the same millisecond as the C2 compilation. A string
 * already interned is only looked up, so interning the same text first, and keeping it reachable
 * (the string table holds its entries weakly), leaves the render thread nothing to allocate.
 *
 * <p>Covered: every class of ours, Agrona's and HdrHistogram's (read from their jars or class
 * folders: about 1,500 strings and 100 KB in engine tests, more from the launcher's single jar),
 * and the JDK classes of the render path that the JDK's class-data archive may not have resolved.
 *
 * <p>Threading: {@link #pinRenderPath} is idempotent and safe from any thread; it reads files, so
 * never call it from the render thread (the render warm-up calls it before the engine starts
 * one). It never throws: classes it cannot read stay unpinned (the allocation proofs would show).
 */
public final class ConstantStrings {
    /**
     * Package folders (with an anchor class) whose classes the render thread runs: ours (every
     * module's, where they share one jar, as the launcher's does; engine and core where each
     * module has its own folder, as in tests), Agrona's and HdrHistogram's.
     */
    private static final String[][] PACKAGES = {
        {"io.latentkit.engine.Engine", "io/latentkit/"},
        {"io.latentkit.core.kit.Kit", "io/latentkit/"},
        {"org.agrona.concurrent.AgentRunner", "org/agrona/"},
        {"org.HdrHistogram.AbstractHistogram", "org/HdrHistogram/"},
    };
    /** JDK classes the render path runs (directly or inside the libraries above). */
    private static final String[] JDK_CLASSES = {
        "java.util.concurrent.atomic.AtomicLongFieldUpdater$CASUpdater",
        "java.util.concurrent.atomic.AtomicIntegerFieldUpdater$AtomicIntegerFieldUpdaterImpl",
        "java.util.concurrent.atomic.AtomicReferenceFieldUpdater$AtomicReferenceFieldUpdaterImpl",
        "java.util.concurrent.atomic.AtomicInteger",
        "java.util.concurrent.atomic.AtomicLong",
        "java.util.concurrent.locks.LockSupport",
        "java.lang.Math",
        "java.lang.StrictMath",
        "java.util.Arrays",
        "java.lang.Thread",
    };

    private static final Object LOCK = new Object();
    /** The interned strings, held so that the string table keeps them. */
    private static volatile List<String> pinned;

    private ConstantStrings() {
    }

    /**
     * Interns and holds the string constants of the render path's classes (once per JVM; later
     * calls return at once). Returns how many strings are held.
     */
    public static int pinRenderPath() {
        List<String> held = pinned;
        if (held != null) {
            return held.size();
        }
        synchronized (LOCK) {
            if (pinned == null) {
                List<String> strings = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (String[] p : PACKAGES) {
                    Class<?> anchor = load(p[0]);
                    if (anchor != null) {
                        forEachClassFile(anchor, p[1], seen, bytes -> intern(bytes, strings));
                    }
                }
                for (String name : JDK_CLASSES) {
                    Class<?> c = load(name);
                    if (c != null) {
                        try {
                            intern(classFile(c), strings);
                        } catch (IllegalStateException | UncheckedIOException e) {
                            // no class file to read: its strings stay unpinned
                        }
                    }
                }
                pinned = List.copyOf(strings);
            }
            return pinned.size();
        }
    }

    /** Whether {@code s} is one of the held strings (the same instance the string table holds). */
    static boolean holds(String s) {
        List<String> held = pinned;
        if (held == null) {
            return false;
        }
        String canonical = s.intern();
        for (String h : held) {
            if (h == canonical) {
                return true;
            }
        }
        return false;
    }

    /** The {@code CONSTANT_String} values in a class file's constant pool, in pool order. */
    public static List<String> stringConstants(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] stringIndex = new int[count];
            int strings = 0;
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF(); // the class file's modified UTF-8 is readUTF's format
                    case 3, 4 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // takes two entries
                    }
                    case 8 -> stringIndex[strings++] = in.readUnsignedShort();
                    case 7, 16, 19, 20 -> in.skipNBytes(2);
                    case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IllegalArgumentException("constant pool tag " + tag + " at entry " + i);
                }
            }
            List<String> out = new ArrayList<>(strings);
            for (int i = 0; i < strings; i++) {
                out.add(utf8[stringIndex[i]]);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated class file", e);
        }
    }

    /** The class file of {@code c}, read as a resource (class files are never encapsulated). */
    public static byte[] classFile(Class<?> c) {
        String name = c.getName();
        try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the class file of " + name, e);
        }
    }

    private static void intern(byte[] classFile, List<String> into) {
        List<String> constants;
        try {
            constants = stringConstants(classFile);
        } catch (IllegalArgumentException e) {
            return; // a class file this reader does not know: its strings stay unpinned
        }
        for (String s : constants) {
            into.add(s.intern());
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ConstantStrings.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null; // not on this class path (e.g. a library the engine does not use here)
        }
    }

    private interface ClassFileAction {
        void accept(byte[] classFile);
    }

    /** Every class file under {@code folder} in the jar or class folder that holds {@code anchor}. */
    private static void forEachClassFile(Class<?> anchor, String folder, Set<String> seen, ClassFileAction action) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null) {
            return;
        }
        URL where = source.getLocation();
        if (!seen.add(where + "!" + folder)) {
            return; // engine and core in one jar: read once
        }
        try {
            Path path = Path.of(where.toURI());
            if (Files.isDirectory(path)) {
                Path dir = path.resolve(folder);
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : (Iterable<Path>) files.filter(ConstantStrings::isClassFile)::iterator) {
                        action.accept(Files.readAllBytes(f));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(path.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry e = entries.nextElement();
                        String n = e.getName();
                        if (n.startsWith(folder) && n.endsWith(".class") && !n.startsWith("META-INF/")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                action.accept(in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException | UncheckedIOException e) {
            // Not readable as a jar or folder (a custom class loader): those classes stay unpinned;
            // the allocation proofs would show it. Never a reason to refuse to play.
        }
    }

    private static boolean isClassFile(Path p) {
        return p.getFileName().toString().endsWith(".class");
    }
}
