package org.visutility.orchestrator.experiment.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.TrialExclusions;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ORCH_SERVING_HYPERPARAMETERS is what the serving version was trained with, even after an exclusion
 * replaced its experiment's best set: the version keeps pointing at its own (now replaced) set.
 */
@ExtendWith(PostgresExtension.class)
class ServingHyperparametersAfterExclusionTest {
    @TempDir
    Path home;

    @Test
    void afterTheServingVersionsBestTrialWasExcludedTheNextRoundStillSeesTheHyperparametersItWasTrainedWith(TestDatabase db)
            throws Exception {
        long first = Experiments.queue(db, Experiments.sphere(4, 11));
        Experiments.runner(db, home).run(first, false);
        String serving = "experiment-" + first;
        Actor operator = Actor.operator("--actor", "test");
        db.jdbi().useTransaction(h -> OperatorActions.promote(h, "churn", serving, true, operator, "serves now"));
        String trained = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.params::text FROM orchestrator.model_version mv
                  JOIN orchestrator.hyperparameter_set hs ON hs.id = mv.hyperparameter_set_id WHERE mv.experiment_id = :id""")
                .bind("id", first).mapTo(String.class).one());
        int bestTrial = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT t.number FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL""").bind("id", first).mapTo(Integer.class).one());
        TrialExclusions.Outcome excluded = db.jdbi().inTransaction(h -> TrialExclusions.change(h, first, bestTrial,
                TrialExclusions.Action.EXCLUDE, operator, "leaked labels"));
        assertThat(excluded.bestChange()).as("the best set was replaced").isPresent();
        String currentBest = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT params::text FROM orchestrator.hyperparameter_set WHERE experiment_id = :id AND replaced_at IS NULL")
                .bind("id", first).mapTo(String.class).one());
        assertThat(Json.MAPPER.readTree(currentBest)).isNotEqualTo(Json.MAPPER.readTree(trained));

        Path out = home.resolve("next.txt");
        Path script = Files.writeString(home.resolve("context.sh"), """
                printf '%s\\n' "$ORCH_SERVING_VERSION" "$ORCH_SERVING_HYPERPARAMETERS" > "$OUT"
                echo '{"loss": 0.5}'
                """);
        String spec = Experiments.spec("{type: command, command: [sh, " + script + "], env: {OUT: " + out + "}}")
                .replace("trials: 4", "trials: 1");
        long next = Experiments.queue(db, spec);
        Experiments.runner(db, home).run(next, false);

        List<String> seen = Files.readAllLines(out);
        assertThat(seen.get(0)).isEqualTo(serving);
        assertThat(Json.MAPPER.readTree(seen.get(1))).as("the serving version's real hyperparameters, not the recomputed best")
                .isEqualTo(Json.MAPPER.readTree(trained));
    }
}
