package org.visutility.orchestrator.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every status a model version can hold, and the changes between them: the same lists as the CHECK
 * constraints on orchestrator.model_version.status and orchestrator.model_version_event.
 * <pre>
 *   candidate -> approved | rejected;  approved -> active | rejected;  rejected -> approved (forced)
 *   active -> retired;  retired -> active (rollback)
 * </pre>
 */
public enum VersionStatus {
    CANDIDATE, APPROVED, REJECTED, ACTIVE, RETIRED;

    /** The value in the database and in every command's output. */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a version in this status may change to {@code to} (one step of the lifecycle). */
    public boolean canBecome(VersionStatus to) {
        return switch (this) {
            case CANDIDATE -> to == APPROVED || to == REJECTED;
            case APPROVED -> to == ACTIVE || to == REJECTED;
            case REJECTED -> to == APPROVED;
            case ACTIVE -> to == RETIRED;
            case RETIRED -> to == ACTIVE;
        };
    }

    /** The statuses this one may change to, for messages ("approved or rejected"). */
    public String nextStatuses() {
        return String.join(" or ", Arrays.stream(values()).filter(this::canBecome).map(VersionStatus::sql).toList());
    }

    @Override
    public String toString() {
        return sql();
    }

    /** The status stored as {@code value}; an unknown value is a bug (the column is constrained). */
    public static VersionStatus of(String value) {
        for (VersionStatus s : values()) {
            if (s.sql().equals(value)) return s;
        }
        throw new IllegalArgumentException("not a model version status: " + value);
    }

    /** The statuses in lower case, in lifecycle order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(VersionStatus::sql).toList();
    }
}
