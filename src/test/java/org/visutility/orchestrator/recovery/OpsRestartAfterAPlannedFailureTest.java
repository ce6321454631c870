package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A planned failure in trial 4, then the ops commands as ops at 3 a.m. use them: ops failed shows
 * where it stopped, ops restart resumes it there (no node is up, so the command runs it), and the
 * row counts prove that nothing was lost or done twice. Then what ops must not be able to do.
 */
@ExtendWith(PostgresExtension.class)
class OpsRestartAfterAPlannedFailureTest {
    private static final String SPEC = FaultInjectingTrainer.crashingSpec(4);

    @TempDir
    Path home;

    @Test
    void opsFailedShowsWhereTheRunStoppedAndOpsRestartFinishesItWithEveryTrialOnce(TestDatabase db) {
        long id = Experiments.queue(db, SPEC);
        Experiments.runner(db, home).run(id, false);
        List<Map<String, Object>> before = Experiments.trials(db, id);
        assertThat(before).hasSize(5);

        Cli.Run failed = OpsCli.run(db, home, "ops", "failed", "--json");
        assertThat(failed.status()).isEqualTo(ExitCode.OK);
        JsonNode run = single(OpsCli.json(failed).path("runs"), id);
        assertThat(run.path("state").asText()).isEqualTo("failed");
        assertThat(run.path("step").asText()).isEqualTo("trials");
        assertThat(run.path("trial").asInt()).isEqualTo(4);
        assertThat(run.path("trials_done").asInt()).isEqualTo(4);
        assertThat(run.path("error").asText()).isEqualTo("step trials failed: planned crash in trial 4");
        assertThat(run.path("node").asText()).isEqualTo(Experiments.OWNER);
        assertThat(run.path("at").asText()).isNotEmpty();
        assertThat(run.path("restartable").asBoolean()).isTrue();
        Cli.Run table = OpsCli.run(db, home, "ops", "failed");
        assertThat(table.out()).contains("ops restart " + id).contains("planned crash in trial 4");

        // nobody runs a node on this database: the command runs the restarted job itself, to its end
        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id));
        assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
        assertThat(restart.out()).contains("experiment " + id + " restarted").contains("experiment " + id + " succeeded");

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<Map<String, Object>> after = Experiments.trials(db, id);
        assertThat(count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id", id)).isEqualTo(10);
        assertThat(count(db, "SELECT count(DISTINCT number) FROM orchestrator.trial WHERE experiment_id = :id", id)).isEqualTo(10);
        assertThat(after).extracting(t -> t.get("number")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(after.subList(0, 4)).as("finished trials are never re-run").isEqualTo(before.subList(0, 4));
        assertThat(after.get(4)).containsEntry("attempt", 2).containsEntry("status", "complete")
                .containsEntry("params", before.get(4).get("params"));
        assertThat(count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id)).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id", id)).isEqualTo(1);
        List<String> interventions = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action || ':' || outcome || ':' || previous_status FROM orchestrator.experiment_intervention
                 WHERE experiment_id = :id ORDER BY id""").bind("id", id).mapTo(String.class).list());
        assertThat(interventions).containsExactly("restart:requeued:failed");
        assertThat(Experiments.executions(db, id)).as("the failed execution, then its restart").containsExactly("FAILED", "COMPLETED");

        Cli.Run again = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--json");
        assertThat(again.status()).isEqualTo(ExitCode.FAILED);
        assertThat(again.err()).contains("experiment " + id + ": it is succeeded; only a failed experiment can be restarted");
        assertThat(OpsCli.json(again).path("restarted").asBoolean()).isFalse();
        assertThat(OpsCli.run(db, home, "ops", "abandon", Long.toString(id)).status()).isEqualTo(ExitCode.FAILED);
        Cli.Run unknown = OpsCli.run(db, home, "ops", "restart", "987654");
        assertThat(unknown.status()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("no experiment 987654");
        assertThat(OpsCli.run(db, home, "ops", "abandon", "987654").status()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anAbandonedRunIsNeverRestartedAndItsJobExecutionIsAbandoned(TestDatabase db) {
        long id = Experiments.queue(db, SPEC);
        Experiments.runner(db, home).run(id, false);

        Cli.Run abandon = OpsCli.run(db, home, "ops", "abandon", Long.toString(id), "--json");
        assertThat(abandon.status()).as(abandon.out() + abandon.err()).isEqualTo(ExitCode.OK);
        assertThat(OpsCli.json(abandon).path("status").asText()).isEqualTo("abandoned");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.ABANDONED);
        assertThat(Experiments.executions(db, id)).containsExactly("ABANDONED");
        assertThat(Experiments.trials(db, id).get(4)).containsEntry("status", "failed")
                .containsEntry("error", "stopped: the experiment was abandoned");

        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id));
        assertThat(restart.status()).isEqualTo(ExitCode.FAILED);
        assertThat(restart.err()).contains("it is abandoned");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.ABANDONED);
        JsonNode listed = OpsCli.json(OpsCli.run(db, home, "ops", "failed", "--json"));
        assertThat(listed.path("runs").findValues("id")).extracting(JsonNode::asLong).doesNotContain(id);
    }

    @Test
    void aJobLeftUnknownWhenTheDatabaseWentAwayIsRestartedFromItsCheckpoint(TestDatabase db) {
        long id = Experiments.queue(db, SPEC);
        Experiments.runner(db, home).run(id, false);
        // what Spring Batch leaves when it cannot save its bookkeeping after a failure (see DatabaseRestartDuringARunTest)
        db.jdbi().useHandle(h -> {
            h.createUpdate("UPDATE batch.batch_job_execution SET status = 'UNKNOWN' WHERE job_execution_id = "
                    + "(SELECT job_execution_id FROM orchestrator.experiment WHERE id = :id)").bind("id", id).execute();
            h.createUpdate("UPDATE batch.batch_step_execution SET status = 'UNKNOWN' WHERE step_name = 'trials' AND job_execution_id = "
                    + "(SELECT job_execution_id FROM orchestrator.experiment WHERE id = :id)").bind("id", id).execute();
        });
        assertThat(single(OpsCli.json(OpsCli.run(db, home, "ops", "failed", "--json")).path("runs"), id)
                .path("restartable").asBoolean()).isTrue();

        Cli.Run restart = OpsCli.run(db, home, "ops", "restart", Long.toString(id), "--wait");
        assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
        assertThat(Experiments.trials(db, id)).extracting(t -> t.get("number") + ":" + t.get("attempt"))
                .containsExactly("0:1", "1:1", "2:1", "3:1", "4:2", "5:1", "6:1", "7:1", "8:1", "9:1");
        assertThat(Experiments.executions(db, id)).containsExactly("FAILED", "COMPLETED");
    }

    private static JsonNode single(JsonNode runs, long id) {
        for (JsonNode r : runs) {
            if (r.path("id").asLong() == id) return r;
        }
        throw new AssertionError("experiment " + id + " is not listed: " + runs);
    }

    private static long count(TestDatabase db, String sql, long id) {
        return Experiments.count(db, sql, id);
    }
}
