package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.Change;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.model.VersionTransitions;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Retrains for post-deploy verification tests: the version a policy's experiment produced,
 * registered and made active through the lifecycle; and typed reads of
 * orchestrator.retrain_verification.
 */
public final class Verifications {
    private Verifications() {
    }

    /** A row of orchestrator.retrain_verification. */
    public record Row(long experimentId, long policyId, long policyVersionId, long modelId, long modelVersionId, Long previousVersionId,
                      String basis, String metric, String aggregate, String direction, Duration window, Integer windowSnapshots,
                      long minSamples, Duration within, Instant breachAt, Double baseline, Double threshold, Instant openedAt,
                      Instant deadline, String outcome, Double observed, Long sampleCount, Instant decidedAt, String reason,
                      String evidence) {
    }

    /**
     * Ends the experiment succeeded, registers its version as a candidate (as the finalize step
     * does) and makes it active by an operator (approved, then active, in one transaction).
     *
     * @return the activation (the change to active), whose at is when the verification opens
     */
    public static Change deploy(Jdbi jdbi, long experimentId, String version) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE orchestrator.experiment SET status = 'succeeded', finished_at = now() WHERE id = :id")
                .bind("id", experimentId).execute());
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("""
                    INSERT INTO orchestrator.model_version (model_id, version, source, experiment_id, status)
                    SELECT model_id, :version, 'experiment', id, 'candidate' FROM orchestrator.experiment WHERE id = :id RETURNING id""")
                    .bind("version", version).bind("id", experimentId).mapTo(Long.class).one();
            h.createUpdate("""
                    INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason)
                    VALUES (:id, NULL, 'candidate', 'experiment', 'registered by the test')""").bind("id", id).execute();
            Actor alice = Actor.operator("--operator", "alice");
            VersionTransitions.change(h, id, VersionStatus.APPROVED, alice, "approved by the test", null);
            List<Change> changes = VersionTransitions.change(h, id, VersionStatus.ACTIVE, alice, "promoted by the test", null);
            return changes.get(changes.size() - 1);
        });
    }

    public static Optional<Row> of(Jdbi jdbi, long experimentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT experiment_id, policy_id, policy_version_id, model_id, model_version_id, previous_version_id, basis, metric,
                       aggregate, direction, (extract(epoch FROM window_length) * 1000)::bigint AS window_ms, window_snapshots,
                       min_samples, (extract(epoch FROM within) * 1000)::bigint AS within_ms, breach_at, baseline, threshold,
                       opened_at, deadline, outcome, observed, sample_count, decided_at, reason, evidence::text AS evidence
                  FROM orchestrator.retrain_verification WHERE experiment_id = :id""").bind("id", experimentId)
                .map((rs, ctx) -> new Row(rs.getLong("experiment_id"), rs.getLong("policy_id"), rs.getLong("policy_version_id"),
                        rs.getLong("model_id"), rs.getLong("model_version_id"), SqlValues.longOrNull(rs, "previous_version_id"),
                        rs.getString("basis"), rs.getString("metric"), rs.getString("aggregate"), rs.getString("direction"),
                        Optional.ofNullable(SqlValues.longOrNull(rs, "window_ms")).map(Duration::ofMillis).orElse(null),
                        (Integer) rs.getObject("window_snapshots"), rs.getLong("min_samples"), Duration.ofMillis(rs.getLong("within_ms")),
                        SqlValues.instant(rs, "breach_at"), SqlValues.doubleOrNull(rs, "baseline"), SqlValues.doubleOrNull(rs, "threshold"),
                        SqlValues.instant(rs, "opened_at"), SqlValues.instant(rs, "deadline"), rs.getString("outcome"),
                        SqlValues.doubleOrNull(rs, "observed"), SqlValues.longOrNull(rs, "sample_count"), SqlValues.instant(rs, "decided_at"),
                        rs.getString("reason"), rs.getString("evidence")))
                .findOne());
    }

    public static long count(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.retrain_verification").mapTo(Long.class).one());
    }
}
