package org.visutility.orchestrator.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Files a user names (a spec file, a policy's experiment file, a dataset) are read only when they
 * are what they claim: a regular file, after following links, outside /proc, /sys and /dev, and of
 * bounded size. Without this, a dataset that is a link to /proc/self/environ made the node read
 * (and report) its own environment, and a FIFO or /dev/zero would hang or exhaust the node.
 * Problems name the file and the rule, never its contents.
 */
public final class UserFiles {
    /** Kernel and device file systems: their "regular" files are views of the node itself. */
    private static final List<Path> SYSTEM = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    /** A file that may not be read; the message names the file and the rule. */
    public static final class RefusedFile extends IllegalArgumentException {
        RefusedFile(String message) {
            super(message);
        }
    }

    private UserFiles() {
    }

    /** Why {@code file} may not be read, if it may not: missing, not a regular file, a system file, unreadable, or over {@code maxBytes}. */
    public static Optional<String> problem(Path file, long maxBytes) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return Optional.of(file + ": no such file");
        }
        for (Path system : SYSTEM) {
            if (real.startsWith(system)) return Optional.of(file + ": is not a regular file (it is under " + system + ")");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(file + ": is not a regular file (a folder, a device, a pipe or a socket)");
        }
        if (!Files.isReadable(real)) return Optional.of(file + ": cannot be read (permission)");
        try {
            long size = Files.size(real);
            if (size > maxBytes) return Optional.of(file + ": is larger than " + maxBytes + " bytes (" + size + ")");
        } catch (IOException e) {
            return Optional.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return Optional.empty();
    }

    /** The file's bytes as a stream that stops with an error past {@code maxBytes} (a file may grow after it was checked). */
    public static InputStream open(Path file, long maxBytes) throws IOException {
        Optional<String> problem = problem(file, maxBytes);
        if (problem.isPresent()) throw new RefusedFile(problem.get());
        return new Bounded(Files.newInputStream(file.toRealPath()), maxBytes, file);
    }

    /** The file as UTF-8 text (a spec or policy file). */
    public static String readText(Path file, long maxBytes) throws IOException {
        try (InputStream in = open(file, maxBytes)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final Path file;
        private long read;

        Bounded(InputStream in, long max, Path file) {
            super(in);
            this.max = max;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) throw new RefusedFile(file + ": is larger than " + max + " bytes (it grew while it was read)");
        }
    }
}
