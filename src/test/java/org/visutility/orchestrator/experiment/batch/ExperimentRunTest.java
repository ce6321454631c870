package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.support.TrialRow;
import org.visutility.orchestrator.support.ExperimentAssert;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentRunner;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.visutility.orchestrator.support.ExperimentAssert.assertThatExperiment;
import static org.assertj.core.api.Assertions.assertThat;

/** One experiment run in-process from queued to its end, and what it leaves in the tables. */
@ExtendWith(PostgresExtension.class)
class ExperimentRunTest {
    @TempDir
    Path home;

    private static String spec(String budget, String trainer, String extra) {
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: %s
                space:
                  x: {type: float, low: -1.0, high: 1.0}
                  n: {type: int, low: 1, high: 9}
                trainer: %s
                %s
                """.formatted(budget, trainer, extra);
    }

    @Test
    void anExperimentRunsEveryTrialOnceAndRegistersItsBestSetAsAVersionTheGateJudges(TestDatabase db) {
        long id = Experiments.queue(db, spec("{trials: 12, parallel: 3}", "{type: function, function: sphere}", ""));
        Experiments.runner(db, home).run(id, false);

        ExperimentAssert experiment = assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED)
                .recordedEachTrialOnce(12).allTrialsCompleteOnFirstAttempt();
        assertThat(experiment.row().attempt()).isEqualTo(1);
        double best = experiment.trials().stream().mapToDouble(t -> t.score().orElseThrow()).min().orElseThrow();
        Map<String, Object> set = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.score, t.number, mv.version, mv.status, mv.source, mv.experiment_id, hs.params::text AS params, t.params::text AS trial_params
                  FROM orchestrator.hyperparameter_set hs
                  JOIN orchestrator.trial t ON t.id = hs.trial_id
                  JOIN orchestrator.model_version mv ON mv.hyperparameter_set_id = hs.id
                 WHERE hs.experiment_id = :id""").bind("id", id).mapToMap().one());
        assertThat(set.get("score")).isEqualTo(best);
        assertThat(set.get("params")).isEqualTo(set.get("trial_params"));
        assertThat(set).containsEntry("version", "experiment-" + id).containsEntry("status", "approved")
                .containsEntry("source", "experiment").containsEntry("experiment_id", id);
        List<String> versionEvents = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT coalesce(e.from_status, '(new)') || ' -> ' || e.to_status || ' by ' || e.actor
                  FROM orchestrator.model_version_event e JOIN orchestrator.model_version mv ON mv.id = e.model_version_id
                 WHERE mv.experiment_id = :id ORDER BY e.id""").bind("id", id).mapTo(String.class).list());
        // registered as a candidate by finalize, approved by the gate step (the spec has no gate)
        assertThat(versionEvents).containsExactly("(new) -> candidate by experiment", "candidate -> approved by gate");
        List<String> steps = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.step_name || ':' || s.status FROM batch.batch_step_execution s
                  JOIN batch.batch_job_execution j ON j.job_execution_id = s.job_execution_id
                 WHERE j.job_execution_id = :job ORDER BY s.step_execution_id""")
                .bind("job", experiment.row().jobExecutionId().orElseThrow()).mapTo(String.class).list());
        assertThat(steps).containsExactly("prepare:COMPLETED", "trials:COMPLETED", "finalize:COMPLETED", "gate:COMPLETED");
    }

    @Test
    void reachingTheGoalStopsProposingTrials(TestDatabase db) {
        // any sphere loss is below 10: the first trial reaches the goal
        long id = Experiments.queue(db, spec("{trials: 50, goal: 10}", "{type: function, function: sphere}", ""));
        Experiments.runner(db, home).run(id, false);
        assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED).recordedEachTrialOnce(1);
    }

    @Test
    void maxFailedTrialsFailTheExperimentAndNothingMoreRuns(TestDatabase db) {
        long id = Experiments.queue(db, spec("{trials: 10, max_failed: 2}", "{type: test-fault, fail: [0, 2, 3]}", ""));
        Experiments.runner(db, home).run(id, false);
        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(row.error().orElseThrow()).contains("2 trials failed, budget.max_failed is 2");
        assertThatExperiment(db, id).hasTrials("0:failed", "1:complete", "2:failed");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id)).isZero();
    }

    @Test
    void anExperimentWithNoCompleteTrialFails(TestDatabase db) {
        long id = Experiments.queue(db, spec("{trials: 2}", "{type: test-fault, fail: [0, 1]}", ""));
        Experiments.runner(db, home).run(id, false);
        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(row.error().orElseThrow()).contains("no trial completed (2 failed, 0 pruned)");
    }

    @Test
    void aFinalReportWithoutTheObjectiveMetricFailsTheTrial(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("acc.sh"), "echo '{\"accuracy\": 0.9}'\n");
        long id = Experiments.queue(db, spec("{trials: 1}", "{type: command, command: [sh, " + script + "]}", ""));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.trials(db, id).get(0).get("error"))
                .isEqualTo("the final report has no \"loss\" (the objective metric); it reported: accuracy");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
    }

    @Test
    void aNonFiniteObjectiveFailsTheTrialAndIsNeverTheBest(TestDatabase db) {
        long id = Experiments.queue(db, spec("{trials: 3}", "{type: test-fault, nan: [0], infinite: [2]}", ""));
        Experiments.runner(db, home).run(id, false);
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        assertThat(trials).extracting(t -> t.get("number") + ":" + t.get("status")).containsExactly("0:failed", "1:complete", "2:failed");
        assertThat(trials.get(0).get("error")).isEqualTo("the objective metric \"loss\" is NaN, not a finite number");
        assertThat(trials.get(2).get("error")).isEqualTo("the objective metric \"loss\" is Infinity, not a finite number");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(Experiments.count(db, """
                SELECT count(*) FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE hs.experiment_id = :id AND t.number = 1 AND hs.score = t.score""", id)).isEqualTo(1);
    }

    @Test
    void onlyNonFiniteObjectivesFailTheExperimentAndRegisterNoCandidate(TestDatabase db) {
        long id = Experiments.queue(db, spec("{trials: 2}", "{type: test-fault, nan: [0, 1]}", ""));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(Experiments.row(db, id).error().orElseThrow()).isEqualTo("no trial completed (2 failed, 0 pruned)");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id", id)).isZero();
    }

    @Test
    void theFunctionTrainerOverARangeNearTheLargestDoublesScoresEveryTrialFinitely(TestDatabase db) {
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: {trials: 8}
                space:
                  x: {type: float, low: -1.0e308, high: 1.0e308}
                trainer: {type: function, function: sphere}
                """);
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        assertThat(trials).allSatisfy(t -> {
            assertThat(t.get("status")).isEqualTo("complete");
            assertThat((Double) t.get("score")).isFinite().isBetween(0.0, 0.25);
        });
        assertThat(trials.stream().map(t -> t.get("params")).distinct().count()).isEqualTo(8);
    }

    @Test
    void theTimeoutStopsRunningTrialsAndTheBestSoFarWins(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("slow.sh"), """
                if [ "$ORCH_TRIAL_NUMBER" -ge 1 ]; then sleep 60; fi
                echo '{"loss": 0.5}'
                """);
        long id = Experiments.queue(db, spec("{trials: 5, timeout: 2s}", "{type: command, command: [sh, " + script + "]}", ""));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<TrialRow> trials = Experiments.trialRows(db, id);
        assertThat(trials).extracting(TrialRow::numberAndStatus).containsExactly("0:complete", "1:failed");
        assertThat(trials.get(1).error()).contains("stopped: budget.timeout (2s) ran out");
    }

    @Test
    void aPruningRuleFromTheClassPathPrunesTrialsThroughTheirReports(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("steps.sh"), """
                for s in 1 2 3; do echo "{\\"step\\": $s, \\"loss\\": 1.$s}"; done
                echo '{"loss": 0.5}'
                """);
        long id = Experiments.queue(db, spec("{trials: 4}", "{type: command, command: [sh, " + script + "]}",
                "pruning: {rule: test-odd-trials, after_step: 2}"));
        Experiments.runner(db, home).run(id, false);
        List<TrialRow> trials = Experiments.trialRows(db, id);
        assertThat(trials).extracting(TrialRow::numberAndStatus)
                .containsExactly("0:complete", "1:pruned", "2:complete", "3:pruned");
        assertThat(trials.get(0).reports()).contains("\"step\": 3");
        assertThat(trials.get(1).reports()).contains("\"step\": 2").doesNotContain("\"step\": 3");
    }

    @Test
    void anExperimentQueuedByAFiringPolicyRunsLikeAnyOtherAndKeepsItsEvidenceLink(TestDatabase db) {
        long[] ids = db.jdbi().inTransaction(h -> {
            h.execute("INSERT INTO orchestrator.model (name) VALUES ('churn') ON CONFLICT DO NOTHING");
            long policy = h.createQuery("""
                    INSERT INTO orchestrator.retrain_policy (name, model_id)
                    SELECT 'churn-floor', id FROM orchestrator.model WHERE name = 'churn' RETURNING id""").mapTo(Long.class).one();
            long version = h.createQuery("""
                    INSERT INTO orchestrator.retrain_policy_version (policy_id, version, spec, spec_sha256)
                    VALUES (:p, 1, '{}', repeat('a', 64)) RETURNING id""").bind("p", policy).mapTo(Long.class).one();
            long evaluation = h.createQuery("""
                    INSERT INTO orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at, from_state, to_state)
                    SELECT :v, id, now(), 'pending', 'firing' FROM orchestrator.model WHERE name = 'churn' RETURNING id""")
                    .bind("v", version).mapTo(Long.class).one();
            ExperimentSpec spec = ExperimentSpec.parseYaml(spec("{trials: 3}", "{type: function, function: sphere}", ""), "policy");
            return new long[] {ExperimentRows.insert(h, spec, "policy", policy, evaluation), policy, evaluation};
        });
        Experiments.runner(db, home).run(ids[0], false);
        Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT status, trigger, policy_id, policy_evaluation_id FROM orchestrator.experiment WHERE id = :id")
                .bind("id", ids[0]).mapToMap().one());
        assertThat(row).containsEntry("status", "succeeded").containsEntry("trigger", "policy")
                .containsEntry("policy_id", ids[1]).containsEntry("policy_evaluation_id", ids[2]);
    }

    @Test
    void anInvalidSpecFoundAtLaunchFailsTheExperimentSayingWhy(TestDatabase db) {
        // a spec queued by someone else (a policy) that does not hold
        long id = db.jdbi().inTransaction(h -> {
            h.execute("INSERT INTO orchestrator.model (name) VALUES ('churn') ON CONFLICT DO NOTHING");
            return h.createQuery("""
                    INSERT INTO orchestrator.experiment (model_id, trigger, spec, spec_sha256)
                    SELECT id, 'policy', '{"model": "churn", "budget": {"trials": 0}}', repeat('0', 64)
                      FROM orchestrator.model WHERE name = 'churn' RETURNING id""").mapTo(Long.class).one();
        });
        Experiments.runner(db, home).run(id, false);
        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(row.error().orElseThrow()).startsWith("invalid experiment spec in experiment " + id)
                .contains("budget.trials: must be a whole number from 1 to 100000 (is 0)", "objective: is required");
    }

    @Test
    void aRunThatLostTheExperimentStopsItsTrainersAndWritesNothingMore(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("block.sh"), """
                touch "$ORCH_TRIAL_DIR/../started"
                sleep 60
                echo '{"loss": 0.5}'
                """);
        long id = Experiments.queue(db, spec("{trials: 3}", "{type: command, command: [sh, " + script + "]}", ""));
        ExperimentRunner runner = Experiments.runner(db, home);
        Thread run = new Thread(() -> runner.run(id, false));
        run.start();
        Path started = home.resolve("experiments/" + id + "/trials/started");
        Await.until("the trainer to start", Duration.ofSeconds(30), () -> Files.exists(started));
        // another node takes it over (what the rescuer does once the heartbeat is stale)
        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET version = version + 1, owner = 'other-node' WHERE id = ?", id));
        run.join(30_000);
        assertThat(run.isAlive()).isFalse();

        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(row.owner()).contains("other-node");
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:running:1");
        // fenced writes of the old run match nothing
        boolean late = db.jdbi().withHandle(h -> ExperimentRows.finish(h, id, row.version() - 1, ExperimentStatus.FAILED, "late write"));
        assertThat(late).isFalse();
    }
}
