package org.visutility.orchestrator.lineage.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenLineage run events of experiments written to a file of JSON lines, parsed back and checked. */
@ExtendWith(PostgresExtension.class)
class OpenLineageFileExportTest {
    @TempDir
    Path home;

    /**
     * Runs the experiment in this JVM with the file's destination registered (so the state changes
     * enqueue its events), then delivers the outbox as the node's job would.
     */
    static void runExported(TestDatabase db, Path home, long id, Map<String, String> settings) {
        OrchestratorConfig config = Experiments.config(db, home, settings);
        try (OpenLineageDelivery delivery = Outboxes.delivery(db, config, Experiments.OWNER)) {
            Experiments.runner(db, config, ExperimentObserver.NONE).run(id, false);
            assertThat(delivery.deliverDue().delivered()).isEqualTo(2);
        }
    }

    static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            // each line is an event the client's own model can read back
            OpenLineage.RunEvent parsed = OpenLineageClientUtils.runEventFromJson(line);
            assertThat(parsed.getEventType()).isNotNull();
            events.add(Json.MAPPER.readTree(line));
        }
        return events;
    }

    @Test
    void aSucceededExperimentGivesStartThenCompleteWithTheModelTheDatasetAndTheChosenHyperparameters(TestDatabase db) throws Exception {
        Files.writeString(home.resolve("data.csv"), "x,n\n0.5,3\n");
        Files.writeString(home.resolve("train.sh"), """
                for a in "$@"; do case "$a" in --x=*) x="${a#--x=}";; esac; done
                awk -v x="$x" -v dir="$ORCH_TRIAL_DIR" 'BEGIN { printf "{\\"loss\\": %.6f, \\"artifact_uri\\": \\"file://%s/model\\"}\\n", x * x, dir }'
                """);
        long id = Experiments.queue(db, Experiments.spec("{type: command, command: [sh, train.sh], workdir: " + home + ", dataset: data.csv}"));
        Path file = home.resolve("lineage/events.jsonl");
        runExported(db, home, id, Map.of("ORCHESTRATOR_OPENLINEAGE_FILE", file.toString(),
                "ORCHESTRATOR_OPENLINEAGE_NAMESPACE", "test-cluster"));

        Map<String, Object> best = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.params::text AS params, hs.score, t.number, e.dataset_sha256, e.dataset_bytes, mv.artifact_uri, e.status
                  FROM orchestrator.hyperparameter_set hs
                  JOIN orchestrator.trial t ON t.id = hs.trial_id
                  JOIN orchestrator.experiment e ON e.id = hs.experiment_id
                  JOIN orchestrator.model_version mv ON mv.hyperparameter_set_id = hs.id
                 WHERE hs.experiment_id = :id""").bind("id", id).mapToMap().one());
        assertThat(best.get("status")).isEqualTo("succeeded");

        List<JsonNode> events = lines(file);
        assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
        JsonNode start = events.get(0);
        JsonNode complete = events.get(1);
        assertThat(complete.at("/run/runId").asText()).isEqualTo(start.at("/run/runId").asText());
        for (JsonNode e : events) {
            assertThat(e.at("/job/namespace").asText()).isEqualTo("test-cluster");
            assertThat(e.at("/job/name").asText()).isEqualTo("churn.tuning");
            assertThat(e.at("/job/facets/jobType/jobType").asText()).isEqualTo("EXPERIMENT");
            assertThat(e.at("/run/facets/processing_engine/version").asText()).isEqualTo(Version.current());
            JsonNode experiment = e.at("/run/facets/visutility_experiment");
            assertThat(experiment.get("experimentId").asLong()).isEqualTo(id);
            assertThat(experiment.at("/strategy/name").asText()).isEqualTo("random");
            assertThat(experiment.at("/strategy/seed").asLong()).isEqualTo(5);
            assertThat(experiment.at("/trainer/command").toString()).isEqualTo("[\"sh\",\"train.sh\"]");
            assertThat(experiment.get("specSha256").asText()).hasSize(64);
            // the dataset is the input, named by OpenLineage's convention for local files, versioned by its hash
            JsonNode input = e.at("/inputs/0");
            assertThat(input.get("namespace").asText()).isEqualTo("file");
            assertThat(input.get("name").asText()).isEqualTo(home.resolve("data.csv").toString());
            assertThat(input.at("/facets/version/datasetVersion").asText()).isEqualTo(best.get("dataset_sha256"));
            assertThat(input.at("/facets/visutility_dataset/bytes").asLong()).isEqualTo((Long) best.get("dataset_bytes"));
            // the model is the output
            assertThat(e.at("/outputs/0/namespace").asText()).isEqualTo("test-cluster");
            assertThat(e.at("/outputs/0/name").asText()).isEqualTo("models/churn");
            assertThat(e.at("/outputs/0/facets/visutility_model/model").asText()).isEqualTo("churn");
        }
        assertThat(start.at("/run/facets/visutility_hyperparameters").isMissingNode()).isTrue();
        assertThat(start.at("/outputs/0/facets/version").isMissingNode()).isTrue();

        JsonNode chosen = complete.at("/run/facets/visutility_hyperparameters");
        assertThat(chosen.get("params")).isEqualTo(Json.MAPPER.readTree((String) best.get("params")));
        assertThat(chosen.get("score").asDouble()).isEqualTo((Double) best.get("score"));
        assertThat(chosen.get("trialNumber").asInt()).isEqualTo(best.get("number"));
        assertThat(chosen.at("/objective/metric").asText()).isEqualTo("loss");
        assertThat(complete.at("/run/facets/visutility_experiment/trials/complete").asInt()).isEqualTo(4);
        assertThat(complete.at("/outputs/0/facets/version/datasetVersion").asText()).isEqualTo("experiment-" + id);
        // the gate step decides the version in the transaction that completes the experiment (no gate: approved)
        assertThat(complete.at("/outputs/0/facets/visutility_model/status").asText()).isEqualTo("approved");
        assertThat(complete.at("/outputs/0/facets/visutility_model/artifactUri").asText()).isEqualTo(best.get("artifact_uri"));
    }

    @Test
    void aFailedExperimentGivesStartThenFailWithItsError(TestDatabase db) throws Exception {
        long id = Experiments.queue(db, Experiments.spec("{type: test-fault, fail: [0, 1, 2, 3]}"));
        Path file = home.resolve("events.jsonl");
        runExported(db, home, id, Map.of("ORCHESTRATOR_OPENLINEAGE_FILE", file.toString()));

        String error = Experiments.row(db, id).error().orElseThrow();
        List<JsonNode> events = lines(file);
        assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "FAIL");
        JsonNode fail = events.get(1);
        assertThat(fail.at("/job/namespace").asText()).isEqualTo("visutility-orchestrator");
        assertThat(fail.at("/run/facets/errorMessage/message").asText()).isEqualTo(error).contains("no trial completed");
        assertThat(fail.at("/run/facets/visutility_experiment/status").asText()).isEqualTo("failed");
        assertThat(fail.at("/run/facets/visutility_experiment/trials/failed").asInt()).isEqualTo(4);
        assertThat(fail.at("/run/facets/visutility_hyperparameters").isMissingNode()).isTrue();
        assertThat(fail.get("inputs")).isEmpty();
    }

    @Test
    void submitWaitWithTheFileSettingExportsTheRunThroughTheNode(TestDatabase db) throws Exception {
        Path spec = Files.writeString(home.resolve("sphere.yaml"), Experiments.spec("{type: function, function: sphere}"));
        Path file = home.resolve("submit-events.jsonl");
        Map<String, String> env = db.environment(Map.of("ORCHESTRATOR_HOME", home.toString(),
                "ORCHESTRATOR_DISPATCH_INTERVAL", "200ms", "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms",
                "ORCHESTRATOR_OPENLINEAGE_FILE", file.toString()));
        Cli.Run run = Cli.run(env, "experiments", "submit", spec.toString(), "--wait");
        assertThat(run.status()).as(run.err()).isZero();

        List<JsonNode> events = lines(file);
        assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
        assertThat(events.get(1).at("/run/facets/visutility_experiment/trainer/algorithm").asText()).isEqualTo("sphere");
        assertThat(events.get(1).at("/run/facets/visutility_hyperparameters/params/n").isInt()).isTrue();
    }
}
