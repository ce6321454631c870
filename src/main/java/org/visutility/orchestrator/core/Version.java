package org.visutility.orchestrator.core;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The orchestrator's version: from the jar's manifest, else from the version.properties Maven
 * wrote at build time (runs from target/classes), else "dev". Experiments and trials record it.
 */
public final class Version implements CommandLine.IVersionProvider {
    private static final String UNKNOWN = "dev";
    private static final String CURRENT = find();

    public static String current() {
        return CURRENT;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"orchestrator " + current()};
    }

    private static String find() {
        String v = Version.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) return UNKNOWN;
            Properties p = new Properties();
            p.load(in);
            String built = p.getProperty("version", "");
            // an unfiltered copy (an IDE that skips Maven's filtering) still holds the placeholder
            return built.isBlank() || built.startsWith("${") ? UNKNOWN : built;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
    }
}
