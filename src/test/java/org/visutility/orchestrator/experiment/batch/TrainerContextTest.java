package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command trainer learns why it runs: ORCH_MODEL, ORCH_SERVING_VERSION (and its hyperparameters),
 * ORCH_TRIGGER and ORCH_ROUND, for an experiment a policy enqueued and for one submitted by hand.
 */
@ExtendWith(PostgresExtension.class)
class TrainerContextTest {
    @TempDir
    Path home;

    /** One trial whose trainer writes the context variables, one a line, to {@code out}. */
    private String spec(Path out) throws Exception {
        Path script = Files.writeString(home.resolve("context.sh"), """
                printf '%s\\n' "$ORCH_MODEL" "$ORCH_SERVING_VERSION" "$ORCH_SERVING_HYPERPARAMETERS" "$ORCH_TRIGGER" "$ORCH_ROUND" > "$OUT"
                echo '{"loss": 0.5}'
                """);
        return Experiments.spec("{type: command, command: [sh, " + script + "], env: {OUT: " + out + "}}").replace("trials: 4", "trials: 1");
    }

    @Test
    void aManualExperimentsTrainerSeesTheModelTheServingVersionWithItsHyperparametersNoPolicyAndItsRound(TestDatabase db) throws Exception {
        long first = Experiments.queue(db, Experiments.sphere(2, 3));
        Experiments.runner(db, home).run(first, false);
        String serving = "experiment-" + first;
        db.jdbi().useTransaction(h -> OperatorActions.promote(h, "churn", serving, true, Actor.operator("--actor", "test"), "serves now"));
        String bestParams = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT params::text FROM orchestrator.hyperparameter_set WHERE experiment_id = :id").bind("id", first).mapTo(String.class).one());

        Path out = home.resolve("manual.txt");
        long id = Experiments.queue(db, spec(out));
        Experiments.runner(db, home).run(id, false);

        List<String> seen = Files.readAllLines(out);
        assertThat(seen.get(0)).isEqualTo("churn");
        assertThat(seen.get(1)).isEqualTo(serving);
        assertThat(Json.MAPPER.readTree(seen.get(2))).isEqualTo(Json.MAPPER.readTree(bestParams));
        JsonNode trigger = Json.MAPPER.readTree(seen.get(3));
        assertThat(trigger.path("type").asText()).isEqualTo("submit");
        for (String field : List.of("policy", "policy_version", "condition", "observed", "threshold", "decided_at",
                "evidence_window_start", "evidence_window_end")) {
            assertThat(trigger.has(field)).as(field).isTrue();
            assertThat(trigger.get(field).isNull()).as(field).isTrue();
        }
        assertThat(seen.get(4)).as("one experiment of churn came before").isEqualTo("2");
    }

    @Test
    void aPolicyEnqueuedExperimentsTrainerSeesThePolicyDecisionAndItsEvidenceWindow(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "fraud", "v1", "active");
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        MetricHistory history = MetricHistory.in(db.jdbi()).model("fraud").version("v1").metric("accuracy")
                .from(t0).every(Duration.ofMinutes(10));
        List<Long> evidence = history.values(0.84, 0.83, 0.82);
        long evaluation = db.jdbi().inTransaction(h -> {
            long policy = h.createQuery("""
                    INSERT INTO orchestrator.retrain_policy (name, model_id) SELECT 'fraud-floor', id FROM orchestrator.model
                     WHERE name = 'fraud' RETURNING id""").mapTo(Long.class).one();
            long version = h.createQuery("""
                    INSERT INTO orchestrator.retrain_policy_version (policy_id, version, spec, spec_sha256)
                    VALUES (:p, 1, '{}', repeat('a', 64)) RETURNING id""").bind("p", policy).mapTo(Long.class).one();
            return h.createQuery("""
                    INSERT INTO orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at, from_state, to_state,
                                                                condition, observed, threshold, evidence_snapshot_ids)
                    SELECT :v, id, :at, 'pending', 'firing', 'mean(accuracy, 6h) below 0.85', 0.83, 0.85, CAST(:ids AS bigint[])
                      FROM orchestrator.model WHERE name = 'fraud' RETURNING id""")
                    .bind("v", version).bind("at", history.at(2).plusSeconds(60).atOffset(java.time.ZoneOffset.UTC))
                    .bindArray("ids", Long.class, evidence).mapTo(Long.class).one();
        });
        long policyId = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM orchestrator.retrain_policy WHERE name = 'fraud-floor'")
                .mapTo(Long.class).one());
        Path out = home.resolve("policy.txt");
        ExperimentSpec spec = ExperimentSpec.parseYaml(spec(out).replace("model: churn", "model: fraud"), "test spec");
        long id = db.jdbi().inTransaction(h -> ExperimentRows.insert(h, spec, "policy", policyId, evaluation));
        Experiments.runner(db, home).run(id, false);

        List<String> seen = Files.readAllLines(out);
        assertThat(seen.get(0)).isEqualTo("fraud");
        assertThat(seen.get(1)).isEqualTo("v1");
        assertThat(seen.get(2)).as("v1 was not made by an experiment: its hyperparameters are unknown").isEqualTo("{}");
        JsonNode trigger = Json.MAPPER.readTree(seen.get(3));
        assertThat(trigger.path("type").asText()).isEqualTo("policy");
        assertThat(trigger.path("policy").asText()).isEqualTo("fraud-floor");
        assertThat(trigger.path("policy_version").asInt()).isEqualTo(1);
        assertThat(trigger.path("condition").asText()).isEqualTo("mean(accuracy, 6h) below 0.85");
        assertThat(trigger.path("observed").asDouble()).isEqualTo(0.83);
        assertThat(trigger.path("threshold").asDouble()).isEqualTo(0.85);
        assertThat(Instant.parse(trigger.path("decided_at").asText())).isEqualTo(history.at(2).plusSeconds(60));
        assertThat(Instant.parse(trigger.path("evidence_window_start").asText())).isEqualTo(history.at(0));
        assertThat(Instant.parse(trigger.path("evidence_window_end").asText())).isEqualTo(history.at(2));
        assertThat(seen.get(4)).as("the model's first experiment").isEqualTo("1");
    }
}
