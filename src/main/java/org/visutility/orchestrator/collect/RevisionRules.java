package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.config.SqlCollectorSetting;

import java.time.Duration;

/**
 * How one source's snapshots are stored: what a changed value for a stored key does, and from when a
 * window that did not say {@code final} counts as final.
 *
 * @param onChangedValue reject (409 / a failed run) or revise (a new revision of the key)
 * @param settle         a window is final this long after its observed_at; null: no settle time
 * @param maxRevisionAge a changed value of a key observed longer ago than this is rejected as too late; null: no limit
 */
public record RevisionRules(OnChangedValue onChangedValue, Duration settle, Duration maxRevisionAge) {
    /** Today's rule for HTTP and files: a changed value is a conflict; what is recorded is final. */
    public static final RevisionRules REJECT = new RevisionRules(OnChangedValue.REJECT, null, null);
    /** A revising HTTP token or file import: changed values are revisions; windows stay provisional until said final. */
    public static final RevisionRules REVISE = new RevisionRules(OnChangedValue.REVISE, null, null);

    public static RevisionRules of(OnChangedValue onChangedValue) {
        return onChangedValue == OnChangedValue.REVISE ? REVISE : REJECT;
    }

    public static RevisionRules of(SqlCollectorSetting collector) {
        return new RevisionRules(collector.onChangedValue(), collector.settle().orElse(null), collector.maxRevisionAge().orElse(null));
    }

    boolean revises() {
        return onChangedValue == OnChangedValue.REVISE;
    }

    /**
     * Whether a snapshot that says nothing is final when recorded: with no settle time, a reject
     * source's values never change (final, as before revisions existed), a revise source's may.
     */
    boolean finalWhenUnsaid() {
        return settle == null && onChangedValue == OnChangedValue.REJECT;
    }

    /** The settle time as a PostgreSQL interval (ISO 8601), or null. */
    String settleInterval() {
        return settle == null ? null : settle.toString();
    }
}
