package org.visutility.orchestrator.tuning.trainer;

import org.visutility.orchestrator.core.UserFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a trainer's dataset lives: a local file, a resource on the class path (a built-in
 * trainer's shipped data), or a URI the orchestrator cannot read itself (s3://..., https://...).
 * {@link #location()} is how lineage spells it; {@link #open()} reads its bytes when that is possible.
 */
public sealed interface DatasetSource {
    /** The prefix of a class-path resource's location. */
    String CLASSPATH = "classpath:";
    /** Text with a scheme and {@code ://} is a URI; anything else is a path. */
    Pattern URI_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S+");

    String location();

    /** The dataset's bytes, or empty when they cannot be read from here (a remote URI, a missing file, a folder). */
    Optional<InputStream> open() throws IOException;

    /** A file on the node. */
    record LocalFile(Path path) implements DatasetSource {
        public LocalFile {
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String location() {
            return path.toString();
        }

        /** Its bytes when it is a regular file (outside /proc, /sys and /dev: {@link UserFiles}); else empty, never a view of the node. */
        @Override
        public Optional<InputStream> open() throws IOException {
            if (!Files.exists(path) || problem().isPresent()) return Optional.empty();
            return Optional.of(UserFiles.open(path, Long.MAX_VALUE));
        }

        /** Why this file may not be read, when it exists and may not. */
        public Optional<String> problem() {
            return Files.exists(path) ? UserFiles.problem(path, Long.MAX_VALUE) : Optional.empty();
        }
    }

    /** A resource on the class path, e.g. {@code org/visutility/orchestrator/datasets/digits.csv}. */
    record Resource(String name, ClassLoader loader) implements DatasetSource {
        @Override
        public String location() {
            return CLASSPATH + name;
        }

        @Override
        public Optional<InputStream> open() {
            return Optional.ofNullable(loader.getResourceAsStream(name));
        }
    }

    /** A dataset elsewhere, named by URI; the orchestrator records where, not what. */
    record Remote(URI uri) implements DatasetSource {
        @Override
        public String location() {
            return uri.toString();
        }

        @Override
        public Optional<InputStream> open() {
            return Optional.empty();
        }
    }

    /**
     * Reads a dataset as a user writes it in a spec: a URI ({@code s3://bucket/train.csv}), or a path,
     * absolute or relative to {@code folder}.
     */
    static DatasetSource parse(String text, Optional<Path> folder) {
        if (URI_TEXT.matcher(text).matches()) return new Remote(URI.create(text));
        Path path = Path.of(text);
        return new LocalFile(path.isAbsolute() || folder.isEmpty() ? path : folder.get().resolve(path));
    }
}
