package org.visutility.orchestrator.functional;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.builtin.Algorithm;
import org.visutility.orchestrator.tuning.builtin.BuiltinTraining;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.builtin.Table;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped example (logistic regression on the breast cancer data, TPE, median pruning) run
 * through the engine on a smaller budget (10 trials): it finds a better model than the default
 * hyperparameters, and the lineage tables record which.
 */
@ExtendWith(PostgresExtension.class)
class BuiltinTrainerExperimentTest {
    @TempDir
    Path home;

    @Test
    void theBreastCancerExampleFindsABetterModelThanTheDefaultsAndRecordsIt(TestDatabase db) throws Exception {
        ObjectNode tree = (ObjectNode) Json.YAML.readTree(Files.readString(Path.of("examples/breast-cancer-logreg.yaml")));
        ((ObjectNode) tree.get("budget")).put("trials", 10).put("parallel", 1);
        ExperimentSpec spec = ExperimentSpec.parse(tree, "examples/breast-cancer-logreg.yaml");
        long id = db.jdbi().inTransaction(h -> ExperimentRows.insert(h, spec, "submit"));
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        Table.Split split = Datasets.shipped("breast_cancer").split(0.25, 1);
        double defaults = BuiltinTraining.train(Algorithm.LOGISTIC_REGRESSION, Map.of(), split.train(), null, 1,
                Optional.of("malignant"), BuiltinTraining.DEFAULT_TREE_BATCH, BuiltinTraining.Progress.NONE)
                .score(split.test()).logLoss().orElseThrow();
        Map<String, Object> best = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.score, mv.version, mv.artifact_uri, t.metrics::text AS metrics, t.reports::text AS reports
                  FROM orchestrator.hyperparameter_set hs
                  JOIN orchestrator.trial t ON t.id = hs.trial_id
                  JOIN orchestrator.model_version mv ON mv.hyperparameter_set_id = hs.id
                 WHERE hs.experiment_id = :id""").bind("id", id).mapToMap().one());
        assertThat((Double) best.get("score")).isLessThan(defaults * 0.8);
        assertThat((String) best.get("metrics")).contains("\"accuracy\"", "\"f1\"", "\"log_loss\"");
        assertThat((String) best.get("reports")).contains("\"step\": 1", "\"step\": 2");
        assertThat(Path.of(URI.create((String) best.get("artifact_uri")))).exists();
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        assertThat(trials).hasSize(10).allSatisfy(t -> assertThat(t.get("status")).isIn("complete", "pruned"));
        // the median rule stopped trials whose held-out log loss lagged, after their epoch 2 or later
        assertThat(trials).filteredOn(t -> t.get("status").equals("pruned")).isNotEmpty().allSatisfy(t -> {
            int epochs = Json.MAPPER.readTree((String) t.get("params")).get("epochs").asInt();
            assertThat(Json.MAPPER.readTree((String) t.get("reports")).size()).isGreaterThanOrEqualTo(2).isLessThan(epochs);
        });
    }
}
