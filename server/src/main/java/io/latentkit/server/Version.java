package io.latentkit.server;

import picocli.CommandLine.IVersionProvider;

/**
 * The version string, from the jar manifest when packaged.
 *
 * <p>Immutable; any thread.
 */
public final class Version implements IVersionProvider {
    /** The OSC protocol version answered by {@code /version}. */
    public static String string() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"latentkit " + string()};
    }
}
