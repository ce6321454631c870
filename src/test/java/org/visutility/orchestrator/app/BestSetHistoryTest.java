package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeEach;
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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Best sets are append-only: excluding (or including back) the trial behind a finished experiment's
 * best set appends a new current set and marks the old one replaced; the model version registered
 * from the experiment keeps the set it was trained with, and lineage shows both.
 */
@ExtendWith(PostgresExtension.class)
class BestSetHistoryTest {
    @TempDir
    Path home;

    private TestDatabase db;
    private long id;
    private int best;
    private int second;

    @BeforeEach
    void finishedExperimentWithARegisteredVersion(TestDatabase db) {
        this.db = db;
        id = Experiments.queue(db, Experiments.sphere(4, 11));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<Integer> ranked = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT number FROM orchestrator.trial WHERE experiment_id = :id AND status = 'complete' ORDER BY score, number""")
                .bind("id", id).mapTo(Integer.class).list());
        assertThat(ranked).hasSizeGreaterThanOrEqualTo(2);
        best = ranked.get(0);
        second = ranked.get(1);
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id", id)).isEqualTo(1L);
    }

    /** The set the registered version points at, as it reads now. */
    private Map<String, Object> versionSet() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.id, t.number, hs.score, hs.params::text AS params, hs.replaced_at IS NOT NULL AS replaced, hs.replaced_by_id
                  FROM orchestrator.model_version mv
                  JOIN orchestrator.hyperparameter_set hs ON hs.id = mv.hyperparameter_set_id
                  JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE mv.experiment_id = :id""").bind("id", id).mapToMap().one());
    }

    private Map<String, Object> currentSet() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.id, t.number, hs.score, hs.params::text AS params
                  FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL""").bind("id", id).mapToMap().one());
    }

    private Map<String, Object> lineage() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT best_trial_number, best_score, hyperparameter_set_id, registered_hyperparameter_set_id,
                       registered_trial_number, registered_score, registered_hyperparameters::text AS registered_hyperparameters
                  FROM lineage.experiment_lineage WHERE experiment_id = :id""").bind("id", id).mapToMap().one());
    }

    private Cli.Run trials(String action, int number, String reason) {
        Cli.Run run = OpsCli.run(db, home, "trials", action, Long.toString(id), Integer.toString(number), "--reason", reason);
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
        return run;
    }

    @Test
    void excludingTheBestTrialAppendsANewCurrentSetAndTheRegisteredVersionKeepsTheSetItWasTrainedWith() {
        Map<String, Object> trained = versionSet();
        assertThat(trained.get("number")).isEqualTo(best);
        assertThat(lineage()).containsEntry("hyperparameter_set_id", trained.get("id"))
                .containsEntry("registered_hyperparameter_set_id", trained.get("id"));

        trials("exclude", best, "read the test labels");

        Map<String, Object> after = versionSet();
        assertThat(after).as("the version's set is history: params, score and trial unchanged")
                .containsEntry("id", trained.get("id")).containsEntry("number", best)
                .containsEntry("score", trained.get("score")).containsEntry("params", trained.get("params"))
                .containsEntry("replaced", true);
        Map<String, Object> current = currentSet();
        assertThat(current.get("id")).isNotEqualTo(trained.get("id")).isEqualTo(after.get("replaced_by_id"));
        assertThat(current.get("number")).isEqualTo(second);
        assertThat(lineage()).containsEntry("best_trial_number", second).containsEntry("best_score", current.get("score"))
                .containsEntry("hyperparameter_set_id", current.get("id"))
                .containsEntry("registered_hyperparameter_set_id", trained.get("id"))
                .containsEntry("registered_trial_number", best).containsEntry("registered_score", trained.get("score"))
                .containsEntry("registered_hyperparameters", trained.get("params"));
        Cli.Run show = OpsCli.run(db, home, "experiments", "show", Long.toString(id));
        assertThat(show.out()).contains("best set: trial " + second).contains("trained with trial " + best);
        JsonNode result = OpsCli.json(OpsCli.run(db, home, "experiments", "show", Long.toString(id), "--json")).path("result");
        assertThat(result.path("trial").asInt()).isEqualTo(second);
        assertThat(result.path("model_version_trial").asInt()).isEqualTo(best);
        assertThat(result.path("model_version_hyperparameter_set").asLong()).isEqualTo(trained.get("id"));

        trials("include", best, "labels were fine");

        Map<String, Object> restored = currentSet();
        assertThat(restored.get("number")).isEqualTo(best);
        assertThat(restored.get("id")).as("including back appends yet another current set")
                .isNotEqualTo(trained.get("id")).isNotEqualTo(current.get("id"));
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id))
                .isEqualTo(3L);
        assertThat(versionSet()).containsEntry("id", trained.get("id")).containsEntry("params", trained.get("params"))
                .containsEntry("replaced_by_id", current.get("id"));
        assertThat(lineage()).containsEntry("best_trial_number", best).containsEntry("hyperparameter_set_id", restored.get("id"))
                .containsEntry("registered_hyperparameter_set_id", trained.get("id"));
    }

    @Test
    void theDatabaseRefusesRewritingABestSetOrASecondCurrentSet() {
        long set = (Long) currentSet().get("id");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate(
                "UPDATE orchestrator.hyperparameter_set SET params = '{\"x\": 1}' WHERE id = :set").bind("set", set).execute()))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("is history");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate(
                "UPDATE orchestrator.hyperparameter_set SET score = score + 1 WHERE id = :set").bind("set", set).execute()))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("is history");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.hyperparameter_set (experiment_id, trial_id, params, score)
                SELECT experiment_id, trial_id, params, score FROM orchestrator.hyperparameter_set WHERE id = :set""")
                .bind("set", set).execute()))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("hyperparameter_set_one_current_per_experiment");

        trials("exclude", best, "leaked labels");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate(
                "UPDATE orchestrator.hyperparameter_set SET replaced_at = NULL, replaced_by_id = NULL WHERE id = :set")
                .bind("set", set).execute()))
                .isInstanceOf(UnableToExecuteStatementException.class).hasMessageContaining("was replaced already");
    }
}
