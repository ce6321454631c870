package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed reads of a spec's YAML/JSON mapping that record a violation naming the field when a
 * value is missing or of the wrong kind. Strategies, trainers and pruners validate their own
 * options with these too.
 */
public final class Fields {
    /** A key a user would write: only such keys are named in a problem. */
    public static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Fields() {
    }

    /** The dotted path of a child field. */
    public static String path(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    /** Records every key of {@code node} that is not in {@code allowed}; only plain keys are named ({@link #PLAIN_KEY}). */
    public static void onlyKeys(JsonNode node, String path, Violations v, String... allowed) {
        if (node == null || !node.isObject()) return;
        List<String> known = Arrays.asList(allowed);
        int unnamed = 0;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) continue;
            if (PLAIN_KEY.matcher(key).matches()) v.add(path(path, key), "unknown key; known keys are " + String.join(", ", known));
            else unnamed++;
        }
        if (unnamed > 0) {
            // keys no one would write, perhaps the lines of a file that is no spec: counted, not echoed
            v.add(path == null || path.isEmpty() ? "spec" : path, "has " + unnamed + " unknown key(s) that are not plain names"
                    + " (letters, digits, _ . -, at most 64); known keys are " + String.join(", ", known));
        }
    }

    /** The mapping at {@code key}, or empty (and a violation when required) if it is missing or not a mapping. */
    public static Optional<ObjectNode> object(JsonNode parent, String key, String path, Violations v, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) v.add(path(path, key), "is required");
            return Optional.empty();
        }
        if (!n.isObject()) {
            v.add(path(path, key), "must be a mapping");
            return Optional.empty();
        }
        return Optional.of((ObjectNode) n);
    }

    public static Optional<String> text(JsonNode parent, String key, String path, Violations v, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) v.add(path(path, key), "is required");
            return Optional.empty();
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            v.add(path(path, key), "must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of(n.asText().trim());
    }

    /** A whole number in [min, max]. */
    public static Optional<Long> wholeNumber(JsonNode parent, String key, String path, Violations v, boolean required,
                                             long min, long max) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) v.add(path(path, key), "is required");
            return Optional.empty();
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            v.add(path(path, key), "must be a whole number from " + min + " to " + max);
            return Optional.empty();
        }
        long value = n.asLong();
        if (value < min || value > max) {
            v.add(path(path, key), "must be a whole number from " + min + " to " + max + " (is " + value + ")");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A finite number. */
    public static Optional<Double> number(JsonNode parent, String key, String path, Violations v, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) v.add(path(path, key), "is required");
            return Optional.empty();
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            v.add(path(path, key), "must be a finite number");
            return Optional.empty();
        }
        return Optional.of(n.asDouble());
    }

    public static Optional<Boolean> bool(JsonNode parent, String key, String path, Violations v) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) return Optional.empty();
        if (!n.isBoolean()) {
            v.add(path(path, key), "must be true or false");
            return Optional.empty();
        }
        return Optional.of(n.asBoolean());
    }

    /** A duration written as users write them ({@code 30s}, {@code 5m}, {@code 2h}), more than zero. */
    public static Optional<Duration> duration(JsonNode parent, String key, String path, Violations v, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) v.add(path(path, key), "is required");
            return Optional.empty();
        }
        try {
            Duration d = Durations.parse(n.asText());
            if (d.isZero()) {
                v.add(path(path, key), "must be more than zero");
                return Optional.empty();
            }
            return Optional.of(d);
        } catch (IllegalArgumentException e) {
            v.add(path(path, key), e.getMessage());
            return Optional.empty();
        }
    }
}
