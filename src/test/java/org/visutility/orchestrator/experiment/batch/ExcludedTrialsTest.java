package org.visutility.orchestrator.experiment.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.experiment.TrialExclusions;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.pruning.MedianPruner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** An excluded trial is left out of the median pruner's statistics; included again, it counts again. */
@ExtendWith(PostgresExtension.class)
class ExcludedTrialsTest {
    private static final Objective LOSS = new Objective("loss", Direction.MINIMIZE);

    private static FinishedTrial complete(int number, double atStepOne) {
        return new FinishedTrial(number, Params.of(Map.of()), TrialStatus.COMPLETE, OptionalDouble.of(atStepOne),
                List.of(new IntermediateReport(1, Map.of("loss", atStepOne))));
    }

    @Test
    void anExcludedTrialIsIgnoredByTheMedianPrunersStatisticsAndCountsAgainOnceIncluded(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 1));
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, finished_at)
                VALUES (:id, 0, '{}', 'complete', 0.4, now()), (:id, 1, '{}', 'complete', 0.6, now()),
                       (:id, 2, '{}', 'complete', 0.01, now())""").bind("id", id).execute());
        // trial 2 is poisoned: its 0.01 pulls the median down to 0.4, and a trial at 0.45 is pruned
        List<FinishedTrial> finished = List.of(complete(0, 0.4), complete(1, 0.6), complete(2, 0.01));
        List<IntermediateReport> running = List.of(new IntermediateReport(1, Map.of("loss", 0.45)));
        MedianPruner pruner = new MedianPruner(LOSS, 2, 0, 1);
        ExcludedTrials excluded = new ExcludedTrials(db.jdbi(), id, Duration.ZERO);
        assertThat(pruner.shouldPrune(3, running, excluded.withoutExcluded(finished))).as("median of 0.01, 0.4, 0.6").isTrue();

        Actor operator = Actor.operator("--actor", "alice");
        db.jdbi().useTransaction(h -> TrialExclusions.change(h, id, 2, TrialExclusions.Action.EXCLUDE, operator, "leaked labels"));
        assertThat(excluded.withoutExcluded(finished)).extracting(FinishedTrial::number).containsExactly(0, 1);
        assertThat(pruner.shouldPrune(3, running, excluded.withoutExcluded(finished))).as("median of 0.4 and 0.6 is 0.5").isFalse();

        db.jdbi().useTransaction(h -> TrialExclusions.change(h, id, 2, TrialExclusions.Action.INCLUDE, operator, "labels were fine"));
        assertThat(excluded.withoutExcluded(finished)).isSameAs(finished);
        assertThat(pruner.shouldPrune(3, running, excluded.withoutExcluded(finished))).isTrue();
    }

    @Test
    void theFinalizeStepsBestTrialLeavesAnExcludedTrialOut(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 1));
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, finished_at)
                VALUES (:id, 0, '{"x": 0.4}', 'complete', 0.4, now()), (:id, 1, '{"x": 0.01}', 'complete', 0.01, now())""")
                .bind("id", id).execute());
        assertThat(db.jdbi().withHandle(h -> TrialRows.best(h, id, false)).orElseThrow().number()).isEqualTo(1);
        db.jdbi().useTransaction(h -> TrialExclusions.change(h, id, 1, TrialExclusions.Action.EXCLUDE,
                Actor.operator("--actor", "alice"), "leaked labels"));
        assertThat(db.jdbi().withHandle(h -> TrialRows.best(h, id, false)).orElseThrow().number()).isEqualTo(0);
    }

    @Test
    void twoExclusionsOfOneTrialAtOnceMakeOneChangeAndOneRefusal(TestDatabase db) throws Exception {
        long id = Experiments.queue(db, Experiments.sphere(4, 1));
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, finished_at)
                VALUES (:id, 0, '{}', 'complete', 0.4, now())""").bind("id", id).execute());
        Actor operator = Actor.operator("--actor", "alice");
        java.util.concurrent.atomic.AtomicReference<Throwable> second = new java.util.concurrent.atomic.AtomicReference<>();
        try (org.jdbi.v3.core.Handle first = db.jdbi().open()) {
            first.begin();
            TrialExclusions.change(first, id, 0, TrialExclusions.Action.EXCLUDE, operator, "first");
            Thread other = new Thread(() -> {
                try {
                    db.jdbi().useTransaction(h -> TrialExclusions.change(h, id, 0, TrialExclusions.Action.EXCLUDE, operator, "second"));
                } catch (Throwable t) {
                    second.set(t);
                }
            });
            other.start();
            // the second waits for the experiment's row lock the first holds
            org.visutility.orchestrator.support.Await.until("the second exclusion waits for the lock", Duration.ofSeconds(30),
                    () -> db.jdbi().withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                                    + " AND query LIKE '%orchestrator.experiment e%FOR UPDATE%'").mapTo(Long.class).one()) > 0);
            first.commit();
            other.join(30_000);
        }
        assertThat(second.get()).isInstanceOf(org.visutility.orchestrator.experiment.ExclusionRefused.class)
                .hasMessageContaining("is already excluded");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.trial_exclusion_event WHERE experiment_id = :id", id))
                .isEqualTo(1);
    }

    @Test
    void theExclusionHistoryIsAppendOnly(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(4, 1));
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, finished_at)
                VALUES (:id, 0, '{}', 'complete', 0.4, now())""").bind("id", id).execute());
        db.jdbi().useTransaction(h -> TrialExclusions.change(h, id, 0, TrialExclusions.Action.EXCLUDE,
                Actor.operator("--actor", "alice"), "first"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                "DELETE FROM orchestrator.trial_exclusion_event WHERE experiment_id = ?", id))).hasMessageContaining("append-only");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                "UPDATE orchestrator.trial_exclusion_event SET reason = 'other' WHERE experiment_id = ?", id))).hasMessageContaining("append-only");
    }
}
