package org.visutility.orchestrator.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * experiments show prints the whole error of a failed trial: a one-line error wider than the table's
 * cell too (it used to be cut at 80 characters with no way to see the rest), and --trial N prints
 * one trial whole with where its logs are.
 */
@ExtendWith(PostgresExtension.class)
class WholeTrialErrorTest {
    private static final String LONG = "cannot start /opt/trainers/churn/bin/train-with-a-very-long-name: "
            + "error=13, Permission denied (the file is not executable by the orchestrator's user)";

    @TempDir
    Path home;

    private static long failedExperiment(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(2, 1));
        db.jdbi().useHandle(h -> {
            h.createUpdate("""
                    UPDATE orchestrator.experiment SET status = 'failed', started_at = now() - interval '1 minute',
                           finished_at = now(), error = 'no trial completed (1 failed, 0 pruned)' WHERE id = :id""")
                    .bind("id", id).execute();
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, started_at, finished_at, worker, error, attempt)
                    VALUES (:id, 0, '{"x": 0.1}', 'failed', now() - interval '30 seconds', now() - interval '20 seconds', 'node-a', :error, 2)""")
                    .bind("id", id).bind("error", LONG).execute();
        });
        return id;
    }

    @Test
    void aOneLineErrorWiderThanTheTableIsPrintedWholeUnderIt(TestDatabase db) {
        long id = failedExperiment(db);
        Cli.Run run = OpsCli.run(db, home, "experiments", "show", Long.toString(id));
        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("trial 0: " + LONG);
    }

    @Test
    void showWithTrialPrintsThatTrialWholeAndWhereItsLogsAre(TestDatabase db) {
        long id = failedExperiment(db);
        Cli.Run run = OpsCli.run(db, home, "experiments", "show", Long.toString(id), "--trial", "0");
        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out())
                .contains("trial 0 of experiment " + id + ": failed, attempt 2")
                .contains("error: " + LONG)
                .contains("logs: experiments/" + id + "/trials/0-2/stdout.log and stderr.log under ORCHESTRATOR_HOME on node node-a");
        Cli.Run unknown = OpsCli.run(db, home, "experiments", "show", Long.toString(id), "--trial", "5");
        assertThat(unknown.status()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("has no trial 5");
    }
}
