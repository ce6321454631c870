package org.visutility.orchestrator.collect;

/**
 * What a snapshot says about its window: {@link #FINAL} (its value will not change: settled when
 * recorded), {@link #PROVISIONAL} (it may be revised: not settled), or {@link #UNSAID}, when the
 * source's default decides ({@link RevisionRules}). Written {@code "final": true|false} in JSON, a
 * {@code final} column in CSV files and SQL collectors' queries.
 */
public enum Finality {
    FINAL, PROVISIONAL, UNSAID;

    /** The staging table's {@code final} column in COPY text: t, f or NULL. */
    String copyText() {
        return switch (this) {
            case FINAL -> "t";
            case PROVISIONAL -> "f";
            case UNSAID -> "\\N";
        };
    }
}
