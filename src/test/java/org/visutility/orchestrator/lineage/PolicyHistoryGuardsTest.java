package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lineage.policy_history and lineage.experiment_lineage on history the policy job wrote: what held a
 * firing back is columns (event, held_back_by, held_back_until, blocking_experiment_id), and an
 * experiment enqueued after a hold starts its breach at the firing, not at the enqueue.
 */
@ExtendWith(PolicyBedExtension.class)
class PolicyHistoryGuardsTest {
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    record Row(Instant at, String event, String heldBackBy, Instant heldBackUntil, Long blockingExperiment, Long experimentId,
               String metric, String aggregate, String window) {
    }

    private static void apply(PolicyBed bed, String cooldown) {
        bed.apply("""
                policies:
                  - name: p
                    model: m
                    when: {metric: accuracy, aggregate: mean, window: 2h, below: 0.85}
                    cooldown: COOLDOWN
                    experiment: EXPERIMENT
                """.replace("COOLDOWN", cooldown).replace("EXPERIMENT", PolicyFiles.inlineExperiment("m")));
    }

    private static List<Row> history(PolicyBed bed) {
        return bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT evaluated_at, event, held_back_by, held_back_until, blocking_experiment_id, experiment_id,
                       condition_metric, condition_aggregate, condition_window
                  FROM lineage.policy_history WHERE policy = 'p' ORDER BY evaluated_at, evaluation_id""")
                .map((rs, ctx) -> new Row(SqlValues.instant(rs, "evaluated_at"), rs.getString("event"), rs.getString("held_back_by"),
                        SqlValues.instant(rs, "held_back_until"), SqlValues.longOrNull(rs, "blocking_experiment_id"),
                        SqlValues.longOrNull(rs, "experiment_id"), rs.getString("condition_metric"),
                        rs.getString("condition_aggregate"), rs.getString("condition_window")))
                .list());
    }

    @Test
    void aFiringHeldBackByTheCooldownShowsWhyAndUntilWhenAndItsLaterExperimentStartsAtTheFiring(PolicyBed bed) {
        // one snapshot an hour: bad, good, then bad for good
        bed.history().model("m").from(T0).every(HOUR).values(0.8, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8);
        apply(bed, "6h");

        bed.evaluateAt(T0);                                               // fires, enqueues the first experiment
        long first = bed.experiments("p").get(0).id();
        bed.finishExperiment(first, "failed", T0.plus(Duration.ofMinutes(30)));
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)));                    // mean of 0.95, 0.95: resolved
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(4)));                    // mean of 0.8, 0.8: fires inside the cooldown
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(7)));                    // cooldown over at 6h30: enqueues

        List<PolicyBed.Experiment> experiments = bed.experiments("p");
        assertThat(experiments).hasSize(2);
        long second = experiments.get(1).id();
        Instant until = T0.plus(Duration.ofMinutes(30)).plus(Duration.ofHours(6));
        assertThat(history(bed)).containsExactly(
                new Row(T0, "fired", null, null, null, first, "accuracy", "mean", "2h"),
                new Row(T0.plus(HOUR.multipliedBy(2)), "resolved", null, null, null, null, "accuracy", "mean", "2h"),
                new Row(T0.plus(HOUR.multipliedBy(4)), "held_back", "cooldown", until, first, null, "accuracy", "mean", "2h"),
                new Row(T0.plus(HOUR.multipliedBy(7)), "enqueued", null, null, null, second, "accuracy", "mean", "2h"));
        assertThat(bed.evaluations("p").get(2).detail())
                .contains("\"held_back\": {\"by\": \"cooldown\", \"until\": \"" + until + "\", \"experiment_id\": " + first + "}")
                .contains("cooldown 6h after the last experiment, until " + until);

        var lineage = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT l.first_fired_at, l.decided_at, l.enqueued_at, l.model_id = m.id AS model_ok, l.policy_id = p.id AS policy_ok,
                       l.policy_version_id = v.id AS version_ok, l.registered_at
                  FROM lineage.experiment_lineage l
                  JOIN orchestrator.model m ON m.name = 'm'
                  JOIN orchestrator.retrain_policy p ON p.name = 'p'
                  JOIN orchestrator.retrain_policy_version v ON v.policy_id = p.id AND v.version = 1
                 WHERE l.experiment_id = :id""").bind("id", second).mapToMap().one());
        assertThat(lineage.get("first_fired_at")).isNotNull();
        assertThat(((java.sql.Timestamp) lineage.get("first_fired_at")).toInstant()).isEqualTo(T0.plus(HOUR.multipliedBy(4)));
        assertThat(((java.sql.Timestamp) lineage.get("decided_at")).toInstant()).isEqualTo(T0.plus(HOUR.multipliedBy(7)));
        assertThat(((java.sql.Timestamp) lineage.get("enqueued_at")).toInstant()).isEqualTo(T0.plus(HOUR.multipliedBy(7)));
        assertThat(lineage).containsEntry("model_ok", true).containsEntry("policy_ok", true).containsEntry("version_ok", true)
                .containsEntry("registered_at", null);
    }

    @Test
    void aFiringHeldBackByAnOpenExperimentNamesIt(PolicyBed bed) {
        bed.history().model("m").from(T0).every(HOUR).values(0.8, 0.95, 0.95, 0.8, 0.8);
        apply(bed, "1h");

        bed.evaluateAt(T0);
        long open = bed.experiments("p").get(0).id();
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)));
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(4)));

        assertThat(history(bed)).extracting(Row::event).containsExactly("fired", "resolved", "held_back");
        Row held = history(bed).get(2);
        assertThat(held.heldBackBy()).isEqualTo("open_experiment");
        assertThat(held.blockingExperiment()).isEqualTo(open);
        assertThat(held.heldBackUntil()).isNull();
    }

    @Test
    void rowsRecordedBeforeTheGuardWasStructuredAreReadFromItsWords(PolicyBed bed) {
        bed.history().model("m").from(T0).every(HOUR).values(0.8);
        apply(bed, "1d");
        bed.evaluateAt(T0);
        // three firings held back as the policy job recorded them before detail.held_back existed: words only
        bed.jdbi().useHandle(h -> h.execute("""
                INSERT INTO orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at, from_state, to_state, condition,
                                                            observed, threshold, evidence_snapshot_ids, detail)
                SELECT policy_version_id, model_id, evaluated_at + g * interval '1 hour', 'resolved', 'firing', condition, observed,
                       threshold, '{}', jsonb_build_object('enqueue', false, 'guard', CASE g
                           WHEN 1 THEN 'cooldown 1d after the last experiment, until 2026-04-02T00:00:00Z'
                           WHEN 2 THEN 'experiment 41 is open for this model and policy'
                           ELSE 'verification of experiment 7 is open (its deployed version is judged until 2026-04-05T08:00:00.5Z at the latest)' END)
                  FROM (SELECT * FROM orchestrator.policy_evaluation ORDER BY id LIMIT 1) e, generate_series(1, 3) g"""));

        List<Row> rows = history(bed);
        assertThat(rows).extracting(Row::event).containsExactly("fired", "held_back", "held_back", "held_back");
        assertThat(rows.get(1)).extracting(Row::heldBackBy, Row::heldBackUntil, Row::blockingExperiment)
                .containsExactly("cooldown", Instant.parse("2026-04-02T00:00:00Z"), null);
        assertThat(rows.get(2)).extracting(Row::heldBackBy, Row::heldBackUntil, Row::blockingExperiment)
                .containsExactly("open_experiment", null, 41L);
        assertThat(rows.get(3)).extracting(Row::heldBackBy, Row::heldBackUntil, Row::blockingExperiment)
                .containsExactly("open_verification", Instant.parse("2026-04-05T08:00:00.500Z"), 7L);
    }
}
