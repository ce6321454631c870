package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.builtin.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The built-in trainer records the reference of the version it produces, in finalize's transaction:
 * a histogram of each feature over the training rows, the held-out predicted probability of the
 * positive class as the feature prediction, and its calibration table with the count-weighted error.
 */
@ExtendWith(PostgresExtension.class)
class BuiltinTrainerRecordsReferencesTest {
    @TempDir
    Path home;

    @Test
    void theRegisteredVersionGetsTrainingHistogramsAPredictionHistogramAndItsCalibration(TestDatabase db) throws Exception {
        ObjectNode tree = (ObjectNode) Json.YAML.readTree(Files.readString(Path.of("examples/breast-cancer-logreg.yaml")));
        ((ObjectNode) tree.get("budget")).put("trials", 2).put("parallel", 1).put("max_failed", 1);
        ExperimentSpec spec = ExperimentSpec.parse(tree, "examples/breast-cancer-logreg.yaml");
        long id = db.jdbi().inTransaction(h -> ExperimentRows.insert(h, spec, "submit"));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);

        List<Map<String, Object>> refs = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT r.feature, r.kind, r.sample_count, r.origin, r.set_by, cardinality(r.counts) AS bins
                  FROM orchestrator.reference_distribution r
                  JOIN orchestrator.model_version v ON v.id = r.model_version_id
                 WHERE v.experiment_id = :id AND r.superseded_at IS NULL ORDER BY r.feature""").bind("id", id).mapToMap().list());
        Table.Split split = Datasets.shipped("breast_cancer").split(0.25, 1);
        assertThat(refs).hasSize(split.train().features().size() + 1);
        assertThat(refs).allSatisfy(r -> assertThat(r).containsEntry("origin", "training").containsEntry("set_by", "experiment:" + id)
                .containsEntry("kind", "numeric").containsEntry("bins", 10));
        assertThat(refs).filteredOn(r -> r.get("feature").equals("mean_radius")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("sample_count", (long) split.train().size()));
        assertThat(refs).filteredOn(r -> r.get("feature").equals("prediction")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("sample_count", (long) split.test().size()));

        Map<String, Object> calibration = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT c.calibration_error, c.positive_class, c.origin,
                       (SELECT sum(n * abs(pm - obs)) / sum(n)
                          FROM unnest(c.counts, c.predicted_mean, c.observed_rate) AS u(n, pm, obs)) AS recomputed,
                       (SELECT sum(n) FROM unnest(c.counts) AS n) AS rows
                  FROM orchestrator.reference_calibration c
                  JOIN orchestrator.model_version v ON v.id = c.model_version_id
                 WHERE v.experiment_id = :id AND c.superseded_at IS NULL""").bind("id", id).mapToMap().one());
        assertThat(calibration).containsEntry("positive_class", "malignant").containsEntry("origin", "training");
        assertThat(((Number) calibration.get("rows")).longValue()).isEqualTo(split.test().size());
        assertThat((Double) calibration.get("calibration_error")).isCloseTo(((Number) calibration.get("recomputed")).doubleValue(), within(1e-9))
                .isBetween(0.0, 0.5);
    }
}
