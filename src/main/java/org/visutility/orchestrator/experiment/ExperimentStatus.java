package org.visutility.orchestrator.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every status an experiment row can hold: the same list as the CHECK constraint on
 * orchestrator.experiment.status. Stored and printed in lower case.
 */
public enum ExperimentStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, ABANDONED;

    /** The value in the database and in every command's output. */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the experiment has ended: no run will change it again unless ops restarts it. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }

    @Override
    public String toString() {
        return sql();
    }

    /** The status stored as {@code value}; an unknown value is a bug (the column is constrained). */
    public static ExperimentStatus of(String value) {
        for (ExperimentStatus s : values()) {
            if (s.sql().equals(value)) return s;
        }
        throw new IllegalArgumentException("not an experiment status: " + value);
    }

    /** The statuses in lower case, in lifecycle order (for usage messages and filters). */
    public static List<String> names() {
        return Arrays.stream(values()).map(ExperimentStatus::sql).toList();
    }

    /** The statuses an experiment can end in. */
    public static List<ExperimentStatus> finals() {
        return Arrays.stream(values()).filter(ExperimentStatus::isFinal).toList();
    }
}
