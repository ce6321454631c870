package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.core.UserFiles;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for a version's artifact as an operator gives it: a URI with a scheme (s3://, gs://,
 * file:, https://, ...) is kept as written; anything else is a local file, which must be a regular
 * file outside /proc, /sys and /dev (as the gate reads it) and is stored as an absolute path, so that the gate finds it whatever folder it runs in.
 */
public final class ArtifactUri {
    /** The trainer protocol's bound on artifact_uri (OutputLimits.MAX_ARTIFACT_URI_CHARS). */
    public static final int MAX_CHARS = 2048;
    // two letters at least: "C:" is a Windows drive, not a scheme
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.+");

    private ArtifactUri() {
    }

    static String checked(String field, String given) {
        if (given == null || given.isBlank()) throw new UsageException(field + " must not be empty");
        if (given.length() > MAX_CHARS) {
            throw new UsageException(field + " must be at most " + MAX_CHARS + " characters (is " + given.length() + ")");
        }
        if (given.codePoints().anyMatch(Character::isISOControl)) {
            throw new UsageException(field + " must not contain control characters (is " + LifecycleText.shown(given) + ")");
        }
        if (SCHEME.matcher(given).matches()) return given;
        Path file;
        try {
            file = Path.of(given).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(field + " is neither a URI with a scheme nor a file path: " + e.getReason());
        }
        if (!Files.exists(file)) {
            throw new UsageException(field + " names no file: " + LifecycleText.shown(file.toString())
                    + " (give a URI with a scheme, such as s3://bucket/model, for an artifact that is not a local file)");
        }
        // the gate reads the artifact through the same rule: refuse now what it would refuse then
        Optional<String> refused = UserFiles.problem(file, Long.MAX_VALUE);
        if (refused.isPresent()) throw new UsageException(field + " is refused: " + refused.get());
        String stored = file.toString();
        if (stored.length() > MAX_CHARS) {
            throw new UsageException(field + " must be at most " + MAX_CHARS + " characters as an absolute path (is " + stored.length() + ")");
        }
        return stored;
    }
}
