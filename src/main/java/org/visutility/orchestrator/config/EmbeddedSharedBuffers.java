package org.visutility.orchestrator.config;

import java.lang.management.ManagementFactory;

/**
 * How much memory the embedded PostgreSQL caches pages in ({@code shared_buffers}), unless
 * {@code embedded_shared_buffers_mb} says: a quarter of the memory this process may use (the
 * container's limit when it runs in one), PostgreSQL's own advice for a server of its own, from
 * {@link #MIN_MB} to {@link #MAX_MB}. Its own: a policy pass over a fleet reads the month's whole
 * metric index, and a cache smaller than that index reads it again from the operating system on
 * every pass. Capped: the node shares the machine with its trainers.
 */
public final class EmbeddedSharedBuffers {
    /** PostgreSQL's own default, and the least: a small container keeps what it always had. */
    public static final int MIN_MB = 128;
    /** The most a default takes: a large machine's memory is for its trainers as much as for the database. */
    public static final int MAX_MB = 8192;
    /** The most a setting may ask for. */
    public static final int MAX_SETTING_MB = 262_144;

    private EmbeddedSharedBuffers() {
    }

    /** The default for a machine (or container) with {@code totalMemoryBytes} of memory. */
    public static int defaultMb(long totalMemoryBytes) {
        long quarter = totalMemoryBytes / 4 / (1024 * 1024);
        return (int) Math.max(MIN_MB, Math.min(MAX_MB, quarter));
    }

    /** The default for the memory this JVM sees (a container's limit, not the host's, in a container). */
    static int defaultForThisMachine() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return defaultMb(sun.getTotalMemorySize());
        return MIN_MB;
    }
}
