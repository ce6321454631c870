package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decision whose evidence is revised later keeps what it read; the policy job re-checks it on
 * today's values and lineage.policy_history says whether it still holds.
 */
@ExtendWith(PolicyBedExtension.class)
class DecisionsAreReviewedOnRevisedValuesTest {
    private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);
    /** The mean of the last three snapshots falls below 0.85 at the fifth one (index 4): 0.90, 0.80, 0.80. */
    private static final double[] ACCURACY = {0.90, 0.90, 0.90, 0.80, 0.80, 0.80};
    private static final Instant FIRED_AT = T0.plus(STEP.multipliedBy(4));
    private static final Instant REVISED_AT = T0.plus(Duration.ofHours(4));

    private record Row(String policy, String toState, Double observed, Boolean evidenceRevised, Boolean stillHolds,
                       Double observedNow, Instant reviewedAt) {
    }

    private static String policies() {
        StringBuilder yaml = new StringBuilder("policies:\n");
        for (String model : List.of("up", "down", "untouched")) {
            yaml.append("  - name: ").append(model).append("-floor\n")
                    .append("    model: ").append(model).append('\n')
                    .append("    when: {metric: accuracy, aggregate: mean, snapshots: 3, below: 0.85, min_samples: 1000}\n")
                    .append("    experiment: ").append(PolicyFiles.inlineExperiment(model)).append('\n');
        }
        return yaml.toString();
    }

    /** Three models with the same history, decided live at each snapshot; returns their snapshot ids. */
    private Map<String, List<Long>> decide(PolicyBed bed) {
        Map<String, List<Long>> ids = new java.util.HashMap<>();
        for (String model : List.of("up", "down", "untouched")) {
            ids.put(model, history(bed, model).values(ACCURACY));
        }
        bed.apply(policies());
        for (int i = 0; i < ACCURACY.length; i++) bed.evaluateAt(T0.plus(STEP.multipliedBy(i)));
        return ids;
    }

    private static MetricHistory history(PolicyBed bed, String model) {
        return bed.history().model(model).from(T0).every(STEP).samples(500);
    }

    private List<Row> firings(PolicyBed bed) {
        return bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT policy, to_state, observed, evidence_revised, still_holds, observed_now, reviewed_at
                  FROM lineage.policy_history WHERE to_state = 'firing' ORDER BY policy""")
                .map((rs, ctx) -> new Row(rs.getString("policy"), rs.getString("to_state"), SqlValues.doubleOrNull(rs, "observed"),
                        (Boolean) rs.getObject("evidence_revised"), (Boolean) rs.getObject("still_holds"),
                        SqlValues.doubleOrNull(rs, "observed_now"), SqlValues.instant(rs, "reviewed_at")))
                .list());
    }

    private int reviews(PolicyBed bed) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.decision_review").mapTo(Integer.class).one());
    }

    @Test
    void aFiringRevisedUpNoLongerHoldsAndOneRevisedDownStillHolds(PolicyBed bed) {
        Map<String, List<Long>> ids = decide(bed);
        history(bed, "up").revise(ids.get("up").get(4), REVISED_AT, Map.of("accuracy", 0.95));
        history(bed, "down").revise(ids.get("down").get(4), REVISED_AT, Map.of("accuracy", 0.70));

        int recorded = bed.evaluator.reviewRevisedDecisions(REVISED_AT.plus(Duration.ofMinutes(1)));

        assertThat(recorded).as("the two firings whose evidence was revised").isEqualTo(2);
        List<Row> rows = firings(bed);
        assertThat(rows).extracting(Row::policy).containsExactly("down-floor", "untouched-floor", "up-floor");
        Row down = rows.get(0);
        Row untouched = rows.get(1);
        Row up = rows.get(2);
        assertThat(down.observed()).isCloseTo(0.8333, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(down.evidenceRevised()).isTrue();
        assertThat(down.stillHolds()).as("0.90, 0.80, 0.70 is further below the line").isTrue();
        assertThat(down.observedNow()).isCloseTo(0.80, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(up.evidenceRevised()).isTrue();
        assertThat(up.stillHolds()).as("0.90, 0.80, 0.95 averages above 0.85").isFalse();
        assertThat(up.observedNow()).isCloseTo(0.8833, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(up.reviewedAt()).isEqualTo(REVISED_AT.plus(Duration.ofMinutes(1)));
        assertThat(untouched.evidenceRevised()).isFalse();
        assertThat(untouched.stillHolds()).isNull();
        assertThat(untouched.observedNow()).isNull();
        // the decision itself is untouched: same evaluation, same evidence
        assertThat(bed.evaluations("up-floor").get(0).evidence()).contains(ids.get("up").get(4));
    }

    @Test
    void aReviewPassRunTwiceRecordsEachReviewOnce(PolicyBed bed) {
        Map<String, List<Long>> ids = decide(bed);
        history(bed, "up").revise(ids.get("up").get(4), REVISED_AT, Map.of("accuracy", 0.95));
        history(bed, "up").revise(ids.get("up").get(3), REVISED_AT, Map.of("accuracy", 0.95));

        int first = bed.evaluator.reviewRevisedDecisions(REVISED_AT.plus(Duration.ofMinutes(1)));
        int second = bed.evaluator.reviewRevisedDecisions(REVISED_AT.plus(Duration.ofMinutes(2)));
        bed.evaluateAt(REVISED_AT.plus(Duration.ofMinutes(3)));

        assertThat(first).as("one firing used both revised snapshots; its review is one").isEqualTo(1);
        assertThat(second).isZero();
        assertThat(reviews(bed)).isEqualTo(1);
    }

    @Test
    void aSnapshotAnotherNodeHoldsIsLeftToItAndTheDecisionIsReviewedOnce(PolicyBed bed) throws Exception {
        Map<String, List<Long>> ids = decide(bed);
        long held = ids.get("up").get(3);
        history(bed, "up").revise(ids.get("up").get(4), REVISED_AT, Map.of("accuracy", 0.95));
        history(bed, "up").revise(held, REVISED_AT, Map.of("accuracy", 0.95));

        int whileHeld;
        // another node's review pass holds one of the two revised snapshots
        try (var other = bed.jdbi().open()) {
            other.begin();
            other.createQuery("SELECT id FROM orchestrator.metric_snapshot WHERE id = :id FOR UPDATE").bind("id", held).mapTo(Long.class).one();
            whileHeld = bed.evaluator.reviewRevisedDecisions(REVISED_AT.plus(Duration.ofMinutes(1)));
            other.rollback();
        }
        int afterwards = bed.evaluator.reviewRevisedDecisions(REVISED_AT.plus(Duration.ofMinutes(2)));

        assertThat(whileHeld).as("the decision is reviewed through the snapshot not held").isEqualTo(1);
        assertThat(afterwards).as("the held snapshot leads to the same decision, already reviewed at this state").isZero();
        assertThat(reviews(bed)).isEqualTo(1);
        int awaiting = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot WHERE superseded_at IS NOT NULL AND decisions_reviewed_at IS NULL""")
                .mapTo(Integer.class).one());
        assertThat(awaiting).as("the review queue is empty").isZero();
    }
}
