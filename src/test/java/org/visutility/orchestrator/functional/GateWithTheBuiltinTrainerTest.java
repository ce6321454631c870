package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.builtin.Algorithm;
import org.visutility.orchestrator.tuning.builtin.BuiltinTraining;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.builtin.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in trainer evaluates its own versions: the active version's saved Tribuo model and the
 * candidate's are both scored on the gate's fresh labelled rows (a CSV), with the trials' metrics.
 */
@ExtendWith(PostgresExtension.class)
class GateWithTheBuiltinTrainerTest {
    @TempDir
    Path home;

    @Test
    void aCandidateThatBeatsTheActiveTribuoModelOnFreshRowsIsApproved(TestDatabase db) throws Exception {
        Table.Split split = Datasets.shipped("breast_cancer").split(0.3, 7);
        Path fresh = writeCsv(split.test(), home.resolve("fresh.csv"));
        // the active version: a model taught the wrong labels, saved as the built-in trainer saves its own
        Path v1 = home.resolve("v1/model.tribuo");
        Files.createDirectories(v1.getParent());
        BuiltinTraining.train(Algorithm.LOGISTIC_REGRESSION, Map.of(), flipped(split.train()), 1).save(v1);
        long active = Lifecycles.version(db.jdbi(), "bc", "v1", "active");
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE orchestrator.model_version SET artifact_uri = :uri WHERE id = :id")
                .bind("uri", v1.toUri().toString()).bind("id", active).execute());

        long id = Experiments.queue(db, """
                model: bc
                objective: {metric: log_loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: {trials: 2}
                space:
                  epochs: {type: int, low: 3, high: 6}
                trainer: {type: builtin, algorithm: logistic_regression, dataset: breast_cancer, positive_label: malignant}
                gate: {metric: accuracy, min_gain: 0.05, no_worse: [recall], data: %s}
                activate: auto
                """.formatted(fresh));
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        Map<String, Object> g = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT verdict, reason, candidate_score, active_score, evidence::text AS evidence
                  FROM orchestrator.gate_result WHERE experiment_id = :id""").bind("id", id).mapToMap().one());
        assertThat(g.get("verdict")).as((String) g.get("reason")).isEqualTo("approved");
        assertThat((Double) g.get("candidate_score")).isGreaterThan(0.9);
        assertThat((Double) g.get("active_score")).isLessThan(0.5);
        assertThat((String) g.get("reason")).startsWith("accuracy ").contains(" beats ").endsWith(">= min_gain 0.05");
        JsonNode evidence = Json.MAPPER.readTree((String) g.get("evidence"));
        assertThat(evidence.get("evaluator").asText()).isEqualTo("builtin");
        assertThat(evidence.at("/candidate/metrics").fieldNames()).toIterable().containsExactlyInAnyOrder("accuracy", "precision", "recall", "f1", "log_loss");
        assertThat(evidence.at("/active/metrics/accuracy").asDouble()).isEqualTo((Double) g.get("active_score"));
        assertThat(evidence.at("/no_worse/recall/ok").asBoolean()).isTrue();
        assertThat(Lifecycles.statuses(db.jdbi(), "bc")).containsEntry("experiment-" + id, "active").containsEntry("v1", "retired");
    }

    @Test
    void gateDataThatWentAwayAfterTheSpecWasCheckedRejectsTheCandidate(TestDatabase db) throws Exception {
        Path fresh = writeCsv(Datasets.shipped("breast_cancer").split(0.3, 7).test(), home.resolve("gone.csv"));
        long id = Experiments.queue(db, """
                model: bc-gone
                objective: {metric: log_loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: {trials: 1}
                space:
                  epochs: {type: int, low: 3, high: 6}
                trainer: {type: builtin, algorithm: logistic_regression, dataset: breast_cancer}
                gate: {metric: accuracy, data: %s}
                """.formatted(fresh));
        // the rows go away while the trials run (the spec was checked at submit and again at launch)
        ExperimentObserver deleteTheRows = new ExperimentObserver() {
            @Override
            public void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score) {
                try {
                    Files.deleteIfExists(fresh);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Experiments.runner(db, Experiments.config(db, home, Map.of()), deleteTheRows).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        Map<String, Object> g = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT verdict, reason, evidence->>'evaluator' AS evaluator FROM orchestrator.gate_result WHERE experiment_id = :id""")
                .bind("id", id).mapToMap().one());
        assertThat(g).containsEntry("verdict", "rejected").containsEntry("evaluator", "builtin");
        assertThat((String) g.get("reason")).startsWith("cannot run the gate: the evaluator cannot be set up: ");
        assertThat(Lifecycles.status(db.jdbi(), "bc-gone", "experiment-" + id)).isEqualTo("rejected");
    }

    private static Table flipped(Table t) {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            rows.add(t.row(i));
            labels.add(t.label(i).equals("malignant") ? "benign" : "malignant");
        }
        return new Table("flipped", t.features(), rows, labels);
    }

    private static Path writeCsv(Table t, Path file) throws IOException {
        StringBuilder b = new StringBuilder(String.join(",", t.features())).append(",label\n");
        for (int i = 0; i < t.size(); i++) {
            StringJoiner row = new StringJoiner(",");
            for (double v : t.row(i)) row.add(Double.toString(v));
            b.append(row).append(',').append(t.label(i)).append('\n');
        }
        return Files.writeString(file, b);
    }
}
