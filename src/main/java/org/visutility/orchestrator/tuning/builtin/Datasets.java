package org.visutility.orchestrator.tuning.builtin;

import org.visutility.orchestrator.core.UserFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the built-in trainer's rows come from: a dataset shipped in the jar ({@code breast_cancer},
 * {@code digits}; see {@code datasets/README.md} for their origin and licence) or a CSV file at an
 * absolute path: a regular file of at most {@link #MAX_CSV_BYTES}, outside /proc, /sys and /dev
 * ({@link UserFiles}). A file read once is kept (a few, newest first) until it changes, so validating a
 * spec and running its trials read it once.
 */
public final class Datasets {
    /** The datasets in the jar, by the name a spec uses. */
    public static final List<String> SHIPPED = List.of("breast_cancer", "digits");
    /** Their label column. */
    public static final String SHIPPED_LABEL = "label";
    private static final String FOLDER = "/org/visutility/orchestrator/datasets/";
    private static final int CACHED_FILES = 8;
    /** A CSV file larger than this is refused: the built-in trainer holds its rows in memory. */
    public static final long MAX_CSV_BYTES = 256L << 20;

    private record Key(String dataset, String label, long size, FileTime modified) {
    }

    private static final Map<Key, Table> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Table> eldest) {
            return size() > CACHED_FILES;
        }
    };

    private Datasets() {
    }

    /** A shipped dataset by name. */
    public static Table shipped(String name) {
        return load(name, SHIPPED_LABEL);
    }

    /** A shipped dataset's name, or an absolute CSV path, with {@code label} its label column. */
    public static Table load(String dataset, String label) {
        try {
            if (SHIPPED.contains(dataset)) return cached(new Key(dataset, label, 0, null), () -> readResource(dataset, label));
            Path file = Path.of(dataset);
            if (!file.isAbsolute()) {
                throw new IllegalArgumentException("'" + dataset + "' is neither a shipped dataset (" + String.join(", ", SHIPPED)
                        + ") nor an absolute path to a CSV file (in a spec file, a relative path is taken from the file's folder)");
            }
            Optional<String> refused = UserFiles.problem(file, MAX_CSV_BYTES);
            if (refused.isPresent()) throw new IllegalArgumentException(refused.get());
            Key key = new Key(file.toString(), label, Files.size(file), Files.getLastModifiedTime(file));
            return cached(key, () -> {
                try (Reader in = new InputStreamReader(UserFiles.open(file, MAX_CSV_BYTES), StandardCharsets.UTF_8)) {
                    return CsvTable.read(in, file.toString(), label, false);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(dataset + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Why {@code dataset} with label column {@code label} cannot be used, if it cannot. */
    public static Optional<String> problem(String dataset, String label) {
        try {
            load(dataset, label);
            return Optional.empty();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
    }

    private interface Reading {
        Table read() throws IOException;
    }

    private static Table cached(Key key, Reading reading) throws IOException {
        synchronized (CACHE) {
            Table t = CACHE.get(key);
            if (t != null) return t;
        }
        Table t = reading.read();
        synchronized (CACHE) {
            CACHE.put(key, t);
        }
        return t;
    }

    private static Table readResource(String name, String label) throws IOException {
        try (InputStream in = Datasets.class.getResourceAsStream(FOLDER + name + ".csv")) {
            if (in == null) throw new IllegalStateException("the jar has no dataset " + name);
            return CsvTable.read(new InputStreamReader(in, StandardCharsets.UTF_8), name, label, true);
        }
    }
}
