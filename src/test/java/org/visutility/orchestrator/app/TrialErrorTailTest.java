package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
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

/** experiments show and ops failed print a failed trial's whole stderr tail, not only its first line. */
@ExtendWith(PostgresExtension.class)
class TrialErrorTailTest {
    private static final String ERROR = String.join("\n",
            "exit status 3; stderr (last lines):",
            "Traceback (most recent call last):",
            "  File \"train.py\", line 12, in <module>",
            "ValueError: learning rate \u001b[2Jmust be positive");

    @TempDir
    Path home;

    /** A failed experiment whose trial 1 failed with a trainer's stderr tail. */
    private static long failedExperiment(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.sphere(2, 1));
        db.jdbi().useHandle(h -> {
            h.createUpdate("""
                    UPDATE orchestrator.experiment SET status = 'failed', started_at = now() - interval '1 minute',
                           finished_at = now(), error = '1 trials failed, budget.max_failed is 1' WHERE id = :id""")
                    .bind("id", id).execute();
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, started_at, finished_at, worker, error)
                    VALUES (:id, 0, '{"x": 0.5}', 'complete', 0.25, now() - interval '50 seconds', now() - interval '40 seconds', 'n', NULL),
                           (:id, 1, '{"x": 0.1}', 'failed', NULL, now() - interval '30 seconds', now() - interval '20 seconds', 'n', :error)""")
                    .bind("id", id).bind("error", ERROR).execute();
        });
        return id;
    }

    @Test
    void experimentsShowPrintsTheFailedTrialsWholeErrorEscaped(TestDatabase db) {
        long id = failedExperiment(db);
        Cli.Run run = OpsCli.run(db, home, "experiments", "show", Long.toString(id));
        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out())
                .contains("trial 1: exit status 3; stderr (last lines):")
                .contains("    Traceback (most recent call last):")
                .contains("    ValueError: learning rate \\u001b[2Jmust be positive")
                .doesNotContain("\u001b");
    }

    @Test
    void opsFailedPrintsTheWholeErrorOfTheTrialThatFailedLast(TestDatabase db) {
        long id = failedExperiment(db);
        Cli.Run run = OpsCli.run(db, home, "ops", "failed");
        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out())
                .contains("experiment " + id + ", trial 1 (failed last): exit status 3; stderr (last lines):")
                .contains("    File \"train.py\", line 12, in <module>")
                .contains("    ValueError: learning rate \\u001b[2Jmust be positive")
                .doesNotContain("\u001b");
    }

    @Test
    void opsFailedJsonCarriesTheWholeErrorsBesideTheFirstLine(TestDatabase db) {
        long id = failedExperiment(db);
        JsonNode run = OpsCli.json(OpsCli.run(db, home, "ops", "failed", "--json")).path("runs").get(0);
        assertThat(run.path("id").asLong()).isEqualTo(id);
        assertThat(run.path("error").asText()).isEqualTo("1 trials failed, budget.max_failed is 1");
        assertThat(run.path("last_failed_trial").path("number").asInt()).isEqualTo(1);
        assertThat(run.path("last_failed_trial").path("error").asText())
                .startsWith("exit status 3; stderr (last lines):\nTraceback").endsWith("\\u001b[2Jmust be positive");
    }
}
