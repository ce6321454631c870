package org.visutility.orchestrator.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TrialRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.support.ExperimentAssert.assertThatExperiment;

/**
 * Issue 13, case 12: a run that failed because its trainer failed (budget.max_failed reached) ended
 * with its Spring Batch job COMPLETED, so a plain ops restart would end the same way and refuses it.
 * Once the cause is fixed, ops restart ID --retry-failed starts a new round (a new job instance):
 * the failed trials run again with their numbers and params, attempt 2, the run continues to its
 * budget, and the completed trials stay exactly as they were.
 */
@ExtendWith(PostgresExtension.class)
class RetryFailedTrialsAfterMaxFailedTest {
    @TempDir
    Path home;

    /** Ten trials, one at a time (random search, seed 11); trials 2 and 4 fail until the file {@code fixedBy} exists. */
    private static String flakySpec(Path fixedBy, String budget, String extra) {
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 11}
                budget: %s
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: test-fault, flaky: [2, 4], fixed_by: "%s"%s}
                """.formatted(budget, fixedBy, extra);
    }

    @Test
    void retryFailedRunsTheFailedTrialsAgainOnceTheCauseIsFixedAndContinuesToTheBudget(TestDatabase db) throws Exception {
        Path fixed = home.resolve("trainer-fixed");
        long id = Experiments.queue(db, flakySpec(fixed, "{trials: 10, max_failed: 2}", ""));
        Experiments.runner(db, home).run(id, false);
        assertThatExperiment(db, id).hasStatus(ExperimentStatus.FAILED)
                .hasTrials("0:complete", "1:complete", "2:failed", "3:complete", "4:failed");
        List<TrialRow> before = Experiments.trialRows(db, id);
        List<Map<String, Object>> beforeRows = Experiments.trials(db, id);

        Files.createFile(fixed);
        Cli.Run retry = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(retry.status()).as(retry.out() + retry.err()).isEqualTo(ExitCode.OK);
        assertThat(retry.out()).contains("experiment " + id + " restarted")
                .contains("retry round 1: failed trials 2, 4 run again (attempt + 1)")
                .contains("experiment " + id + " succeeded");

        assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED).recordedEachTrialOnce(10);
        List<TrialRow> after = Experiments.trialRows(db, id);
        assertThat(after).extracting(TrialRow::numberStatusAndAttempt).containsExactly(
                "0:complete:1", "1:complete:1", "2:complete:2", "3:complete:1", "4:complete:2",
                "5:complete:1", "6:complete:1", "7:complete:1", "8:complete:1", "9:complete:1");
        for (int n : List.of(2, 4)) {
            assertThat(after.get(n).params()).as("trial %d runs again with its params", n).isEqualTo(before.get(n).params());
            assertThat(after.get(n).error()).isEmpty();
        }
        List<Map<String, Object>> afterRows = Experiments.trials(db, id);
        for (int n : List.of(0, 1, 3)) {
            assertThat(afterRows.get(n)).as("completed trial %d is untouched (same row, same finished_at)", n).isEqualTo(beforeRows.get(n));
        }
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id", id))
                .as("total trials = budget").isEqualTo(10);
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id)).isEqualTo(1);
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id", id)).isEqualTo(1);
        assertThat(Experiments.row(db, id).retryRound()).isEqualTo(1);
        assertThat(Experiments.executions(db, id)).as("round 0's completed job, then round 1's").containsExactly("COMPLETED", "COMPLETED");
        assertThat(Experiments.count(db, """
                SELECT count(DISTINCT je.job_instance_id) FROM batch.batch_job_execution je
                  JOIN batch.batch_job_execution_params p ON p.job_execution_id = je.job_execution_id
                 WHERE p.parameter_name = 'experiment_id' AND p.parameter_value = CAST(:id AS text)""", id))
                .as("one job instance per round").isEqualTo(2);
        Map<String, Object> log = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action, outcome, previous_status, note FROM orchestrator.experiment_intervention WHERE experiment_id = :id""")
                .bind("id", id).mapToMap().one());
        assertThat(log).containsEntry("action", "restart").containsEntry("outcome", "requeued").containsEntry("previous_status", "failed");
        assertThat((String) log.get("note")).startsWith("restarted by ops restart --retry-failed as retry round 1: failed trials 2, 4")
                .endsWith("after: 2 trials failed, budget.max_failed is 2");
    }

    @Test
    void aPlainRestartOfARunThatFailedByMaxFailedIsRefusedNamingRetryFailed(TestDatabase db) {
        long id = Experiments.queue(db, flakySpec(home.resolve("never"), "{trials: 10, max_failed: 2}", ""));
        Experiments.runner(db, home).run(id, false);
        int version = Experiments.row(db, id).version();

        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--json");
        assertThat(restart.status()).isEqualTo(ExitCode.FAILED);
        assertThat(restart.err()).contains("experiment " + id + ": its job completed and the experiment failed by its own rules"
                + " (2 trials failed, budget.max_failed is 2); a plain restart would end the same way. Once the cause is fixed, ops restart "
                + id + " --retry-failed runs the failed trials again (attempt + 1) and continues to the budget");
        assertThat(OpsCli.json(restart).path("restarted").asBoolean()).isFalse();
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(Experiments.row(db, id).version()).as("nothing written").isEqualTo(version);
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.experiment_intervention WHERE experiment_id = :id", id)).isZero();

        // what ops failed offers for it is the command that works
        JsonNode listed = single(OpsCli.json(OpsCli.run(db, home, "ops", "failed", "--json")).path("runs"), id);
        assertThat(listed.path("next").asText()).isEqualTo("ops restart " + id + " --retry-failed");
        assertThat(listed.path("restartable").asBoolean()).as("plain ops restart does not resume it").isFalse();
        assertThat(listed.path("job_status").asText()).isEqualTo("COMPLETED");
        assertThat(OpsCli.run(db, home, "ops", "failed").out()).contains("ops restart " + id + " --retry-failed");
    }

    @Test
    void retryFailedOnARunWhoseJobDidNotCompleteIsRefusedNamingThePlainRestart(TestDatabase db) {
        // the engine fails in trial 3: the job FAILED, so resuming it is the way
        long id = Experiments.queue(db, flakySpec(home.resolve("never"), "{trials: 10, max_failed: 5}", ", crash_at: 3"));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.executions(db, id)).containsExactly("FAILED");

        Cli.Run retry = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(retry.status()).isEqualTo(ExitCode.FAILED);
        assertThat(retry.err()).containsPattern("its job execution \\d+ is FAILED, so it did not fail by its own rules: ops restart "
                + id + " resumes it where it failed \\(--retry-failed is for a run whose job completed\\)");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        JsonNode listed = single(OpsCli.json(OpsCli.run(db, home, "ops", "failed", "--json")).path("runs"), id);
        assertThat(listed.path("next").asText()).isEqualTo("ops restart " + id);
        assertThat(listed.path("restartable").asBoolean()).isTrue();
    }

    @Test
    void maxFailedCountsOnlyTheFailuresOfTheRetryRound(TestDatabase db) throws Exception {
        // round 0 fails at trials 2 and 4 (max_failed 2); in round 1 only trial 7 fails: 1 < 2, so it succeeds
        Path fixed = home.resolve("trainer-fixed");
        long id = Experiments.queue(db, flakySpec(fixed, "{trials: 10, max_failed: 2}", ", fail: [7]"));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);

        Files.createFile(fixed);
        Cli.Run retry = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait", "--json");
        assertThat(retry.status()).as(retry.out() + retry.err()).isEqualTo(ExitCode.OK);
        assertThat(OpsCli.json(retry).path("status").asText()).isEqualTo("succeeded");
        assertThat(OpsCli.json(retry).path("retry_failed").asBoolean()).isTrue();
        assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED).recordedEachTrialOnce(10);
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt).containsExactly(
                "0:complete:1", "1:complete:1", "2:complete:2", "3:complete:1", "4:complete:2",
                "5:complete:1", "6:complete:1", "7:failed:1", "8:complete:1", "9:complete:1");
    }

    @Test
    void aRetryRoundThatFailsAgainCanBeRetriedOnceMore(TestDatabase db) throws Exception {
        Path fixed = home.resolve("trainer-fixed");
        long id = Experiments.queue(db, flakySpec(fixed, "{trials: 10, max_failed: 2}", ""));
        Experiments.runner(db, home).run(id, false);

        // the cause is not fixed yet: round 1 fails the same two trials again, by its own rules again
        Cli.Run first = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(first.status()).as(first.out() + first.err()).isEqualTo(ExitCode.FAILED);
        assertThat(Experiments.row(db, id).error().orElseThrow()).contains("2 trials failed, budget.max_failed is 2");
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:complete:1", "1:complete:1", "2:failed:2", "3:complete:1", "4:failed:2");

        Files.createFile(fixed);
        Cli.Run second = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(second.status()).as(second.out() + second.err()).isEqualTo(ExitCode.OK);
        assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED).recordedEachTrialOnce(10);
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .contains("2:complete:3", "4:complete:3");
        assertThat(Experiments.row(db, id).retryRound()).isEqualTo(2);
        assertThat(Experiments.executions(db, id)).containsExactly("COMPLETED", "COMPLETED", "COMPLETED");
    }

    @Test
    void aCrashInARetryRoundNeitherLosesNorRepeatsATrialToRunAgain(TestDatabase db) throws Exception {
        // round 0 fails at 2, 4 and 5 (max_failed 3); in round 1 the engine crashes in trial 4's second
        // attempt, when trial 5 still waits to run again: plain ops restart resumes round 1 from its checkpoint
        Path fixed = home.resolve("trainer-fixed");
        String spec = flakySpec(fixed, "{trials: 8, max_failed: 3}", ", crash_at: 4, crash_attempt: 2")
                .replace("flaky: [2, 4]", "flaky: [2, 4, 5]");
        long id = Experiments.queue(db, spec);
        Experiments.runner(db, home).run(id, false);
        assertThatExperiment(db, id).hasTrials("0:complete", "1:complete", "2:failed", "3:complete", "4:failed", "5:failed");

        Files.createFile(fixed);
        Cli.Run retry = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(retry.status()).as(retry.out() + retry.err()).isEqualTo(ExitCode.FAILED);
        assertThat(Experiments.row(db, id).error().orElseThrow()).contains("planned crash in trial 4");
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:complete:1", "1:complete:1", "2:complete:2", "3:complete:1", "4:running:2", "5:failed:1");
        JsonNode listed = single(OpsCli.json(OpsCli.run(db, home, "ops", "failed", "--json")).path("runs"), id);
        assertThat(listed.path("next").asText()).as("round 1's job failed: resume it").isEqualTo("ops restart " + id);

        Cli.Run resume = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--wait");
        assertThat(resume.status()).as(resume.out() + resume.err()).isEqualTo(ExitCode.OK);
        assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED).recordedEachTrialOnce(8);
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt).containsExactly(
                "0:complete:1", "1:complete:1", "2:complete:2", "3:complete:1", "4:complete:3", "5:complete:2",
                "6:complete:1", "7:complete:1");
        assertThat(Experiments.executions(db, id)).containsExactly("COMPLETED", "FAILED", "COMPLETED");
    }

    @Test
    void aRunWithNoCompleteTrialRunsThemAllAgainWithRetryFailed(TestDatabase db) throws Exception {
        // no max_failed: every trial fails, and finalize fails the experiment (its job completed)
        Path fixed = home.resolve("trainer-fixed");
        long id = Experiments.queue(db, flakySpec(fixed, "{trials: 3}", "").replace("flaky: [2, 4]", "flaky: [0, 1, 2]"));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).error()).contains("no trial completed (3 failed, 0 pruned)");

        Files.createFile(fixed);
        Cli.Run retry = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--retry-failed", "--wait");
        assertThat(retry.status()).as(retry.out() + retry.err()).isEqualTo(ExitCode.OK);
        assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                .containsExactly("0:complete:2", "1:complete:2", "2:complete:2");
        assertThatExperiment(db, id).hasStatus(ExperimentStatus.SUCCEEDED);
    }

    private static JsonNode single(JsonNode runs, long id) {
        for (JsonNode r : runs) {
            if (r.path("id").asLong() == id) return r;
        }
        throw new AssertionError("experiment " + id + " is not listed: " + runs);
    }
}
