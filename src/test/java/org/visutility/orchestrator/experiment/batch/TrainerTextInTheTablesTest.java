package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a trainer prints reaches the tables with its control characters escaped (PostgreSQL refuses
 * a NUL in text and jsonb), and a trial whose outcome cannot be written fails the run cleanly: the
 * Spring Batch execution FAILED, not left unknown, so that ops restart resumes it.
 */
@ExtendWith(PostgresExtension.class)
class TrainerTextInTheTablesTest {
    @TempDir
    Path home;

    private static String spec(int trials, String trainer) {
        return Experiments.spec(trainer).replace("trials: 4", "trials: " + trials);
    }

    /** ops restart requeues the run (and runs it when no node is up); the run then goes on here if it is still queued. */
    private void restart(TestDatabase db, long id) {
        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id));
        assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
        Experiments.runner(db, home).run(id, false);
    }

    @Test
    void aNulByteInATrainersStderrIsStoredEscapedAndTheRunEnds(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("nul.sh"), """
                printf 'bad\\000byte\\001here\\tand\\nnext\\n' >&2
                exit 3
                """);
        long id = Experiments.queue(db, spec(2, "{type: command, command: [sh, " + script + "]}"));
        Experiments.runner(db, home).run(id, false);

        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(row.error().orElseThrow()).isEqualTo("no trial completed (2 failed, 0 pruned)");
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        assertThat(trials).extracting(t -> t.get("status")).containsExactly("failed", "failed");
        assertThat((String) trials.get(0).get("error"))
                .isEqualTo("exit status 3; stderr (last lines):\nbad\\u0000byte\\u0001here\tand\nnext");
        assertThat(Experiments.executions(db, id)).containsExactly("COMPLETED");
    }

    @Test
    void aNulInsideAJsonReportIsEscapedBeforeItIsStoredAsJsonb(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("report.sh"), """
                printf '%s\\n' '{"step": 1, "loss": 0.5, "odd\\u0000name": 1}'
                printf '%s\\n' '{"loss": 0.25, "odd\\u0000name": 2, "artifact_uri": "s3://models/m\\u0000\\u0007"}'
                """);
        long id = Experiments.queue(db, spec(1, "{type: command, command: [sh, " + script + "]}"));
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        Map<String, Object> trial = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT status, metrics ->> 'odd\\u0000name' AS odd, reports -> 0 ->> 'odd\\u0000name' AS reported, artifact_uri
                  FROM orchestrator.trial WHERE experiment_id = :id""").bind("id", id).mapToMap().one());
        assertThat(trial).containsEntry("status", "complete").containsEntry("odd", "2.0").containsEntry("reported", "1.0")
                .containsEntry("artifact_uri", "s3://models/m\\u0000\\u0007");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id"
                + " AND artifact_uri = 's3://models/m\\u0000\\u0007'", id)).isEqualTo(1);
    }

    @Test
    void aNulInAFailingStepsMessageLeavesAFailedExecutionThatOpsRestartResumes(TestDatabase db) {
        long id = Experiments.queue(db, spec(3, "{type: test-fault, crash_at: 1, nul: true}").replace("seed: 5", "seed: 11"));
        Experiments.runner(db, home).run(id, false);

        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(row.error().orElseThrow()).isEqualTo("step trials failed: planned crash in trial 1 with a \\u0000 byte");
        assertThat(Experiments.executions(db, id)).as("Spring Batch could store its bookkeeping").containsExactly("FAILED");

        restart(db, id);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(Experiments.trials(db, id)).extracting(t -> t.get("number") + ":" + t.get("status") + ":" + t.get("attempt"))
                .containsExactly("0:complete:1", "1:complete:2", "2:complete:1");
    }

    @Test
    void aFailureWhileWritingATrialsOutcomeFailsTheRunWholeAndOpsRestartRunsTheTrialAgain(TestDatabase db) throws Exception {
        // the database refuses the outcome of trial 1 (a constraint, a full disk: any refusal)
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION orchestrator.refuse_trial_1() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.number = 1 AND NEW.status <> 'running' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                  RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_trial_1 BEFORE UPDATE ON orchestrator.trial
                  FOR EACH ROW EXECUTE FUNCTION orchestrator.refuse_trial_1();
                """));
        try {
            long id = Experiments.queue(db, spec(3, "{type: function, function: sphere}"));
            Experiments.runner(db, home).run(id, false);

            ExperimentRow row = Experiments.row(db, id);
            assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
            assertThat(row.error().orElseThrow()).isEqualTo("step trials failed: trial 1: its outcome could not be written"
                    + " (ERROR: refused by the test, SQLSTATE P0001); the trial runs again when the run is restarted");
            assertThat(Experiments.trials(db, id)).as("the unit rolled back whole: trial 1 open, nothing after it")
                    .extracting(t -> t.get("number") + ":" + t.get("status") + ":" + t.get("attempt"))
                    .containsExactly("0:complete:1", "1:running:1");
            assertThat(Experiments.executions(db, id)).containsExactly("FAILED");

            db.jdbi().useHandle(h -> h.execute("DROP TRIGGER refuse_trial_1 ON orchestrator.trial"));
            restart(db, id);
            assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(Experiments.trials(db, id)).extracting(t -> t.get("number") + ":" + t.get("status") + ":" + t.get("attempt"))
                    .containsExactly("0:complete:1", "1:complete:2", "2:complete:1");
        } finally {
            db.jdbi().useHandle(h -> h.execute("DROP TRIGGER IF EXISTS refuse_trial_1 ON orchestrator.trial;"
                    + " DROP FUNCTION orchestrator.refuse_trial_1()"));
        }
    }

    @Test
    void aNulInALaunchErrorFailsTheExperimentInsteadOfLeavingItRunning(TestDatabase db) {
        long id = Experiments.queue(db, spec(2, "{type: test-fault, launch_error: true}"));
        Experiments.runner(db, home).run(id, false);

        ExperimentRow row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(row.error().orElseThrow()).isEqualTo("the job could not run: planned launch error with a \\u0000 byte");
    }
}
