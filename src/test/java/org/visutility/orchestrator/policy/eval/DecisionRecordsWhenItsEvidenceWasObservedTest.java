package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorded decision says when its evidence was observed, first and last, so that lineage looks the
 * evidence up in those months' partitions only; whoever writes the row, and without losing a
 * snapshot of the evidence when the window spans two months.
 */
@ExtendWith(PolicyBedExtension.class)
class DecisionRecordsWhenItsEvidenceWasObservedTest {
    // the window spans the change of month, so the evidence lies in two partitions
    private static final Instant T0 = Instant.parse("2026-06-30T23:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void theFiringRecordsItsEvidencesFirstAndLastObservationAndLineageFindsEverySnapshotOfIt(PolicyBed bed) throws Exception {
        List<Long> snapshots = bed.history().model("edge").version("v1").from(T0).every(HOUR).values(0.8, 0.8, 0.8);
        bed.apply("""
                policies:
                  - name: floor
                    model: edge
                    when: {metric: accuracy, aggregate: mean, window: 3h, below: 0.85}
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("edge")));

        bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)));

        Map<String, Object> row = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT evidence_snapshot_ids AS ids, evidence_observed_from AS first_at, evidence_observed_to AS last_at
                  FROM orchestrator.policy_evaluation WHERE to_state = 'firing'""").mapToMap().one());
        assertThat(List.of((Long[]) ((Array) row.get("ids")).getArray())).containsExactlyInAnyOrderElementsOf(snapshots);
        assertThat(((Timestamp) row.get("first_at")).toInstant()).isEqualTo(T0);
        assertThat(((Timestamp) row.get("last_at")).toInstant()).isEqualTo(T0.plus(HOUR.multipliedBy(2)));

        long experiment = bed.experiments("floor").get(0).id();
        int shown = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT jsonb_array_length(evidence) FROM lineage.experiment_lineage WHERE experiment_id = :id""")
                .bind("id", experiment).mapTo(Integer.class).one());
        assertThat(shown).as("every evidence snapshot, from both months").isEqualTo(3);
    }

    @Test
    void aRowWrittenWithEvidenceButWithoutTheTimesGetsThemFromTheSnapshots(PolicyBed bed) throws Exception {
        List<Long> snapshots = bed.history().model("other").version("v1").from(T0).every(HOUR).values(0.9, 0.9);
        bed.apply("""
                policies:
                  - name: watch
                    model: other
                    when: {metric: accuracy, aggregate: mean, window: 3h, below: 0.5}
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("other")));

        Map<String, Object> row = bed.jdbi().withHandle(h -> h.createQuery("""
                INSERT INTO orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at, from_state, to_state,
                                                            evidence_snapshot_ids)
                SELECT v.id, m.id, now(), 'ok', 'pending', CAST(:ids AS bigint[])
                  FROM orchestrator.retrain_policy_version v, orchestrator.model m WHERE m.name = 'other'
                RETURNING evidence_observed_from AS first_at, evidence_observed_to AS last_at""")
                .bindArray("ids", Long.class, snapshots).mapToMap().one());
        assertThat(((Timestamp) row.get("first_at")).toInstant()).isEqualTo(T0);
        assertThat(((Timestamp) row.get("last_at")).toInstant()).isEqualTo(T0.plus(HOUR));
    }
}
