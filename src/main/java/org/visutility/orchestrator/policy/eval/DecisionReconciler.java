package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Duration;
import java.time.Instant;

/**
 * Checks the decisions taken before labels (drift, estimated performance) against the realised
 * metric of their window once labels land, one step of each policy pass: one statement records a
 * confirmed, revised or pending verdict in orchestrator.decision_review (basis realised_metrics)
 * for each firing decision of the last {@link #HORIZON} whose realised data changed.
 */
final class DecisionReconciler {
    private static final String SQL = SqlFiles.load(DecisionReconciler.class, "ReconcileDecisions");
    /** Labels later than this after a decision no longer reconcile it (bounds each pass's work). */
    static final Duration HORIZON = Duration.ofDays(90);

    /** Returns how many verdicts this pass recorded. */
    int pass(Handle handle, Instant at) {
        return handle.inTransaction(h -> h.createQuery(SQL)
                .bind("at", SqlValues.utc(at))
                .bind("since", SqlValues.utc(at.minus(HORIZON)))
                .mapToMap().list().size());
    }
}
