package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate step with command trainers and evaluators: the test trainer's "model" is the metrics
 * the test evaluator reads back from its artifact, so each case sets the scores it needs.
 */
@ExtendWith(PostgresExtension.class)
class GateStepTest {
    static final Path SCRIPTS = Path.of("src/test/resources/org/visutility/orchestrator/experiment/batch/gate").toAbsolutePath();
    private static final String EVALUATOR = "evaluator: {command: [sh, " + SCRIPTS.resolve("evaluate.sh") + "], timeout: 30s}";

    @TempDir
    Path home;

    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final ExperimentObserver observer = new ExperimentObserver() {
        @Override
        public void experimentEnded(long experimentId, ExperimentStatus status) {
            ended.add(experimentId + ":" + status.sql());
        }
    };

    /** One trial of the test trainer whose model scores {@code candidate}; {@code gate} and {@code extra} as given. */
    static String spec(String model, String candidate, String gate, String extra) {
        return """
                model: %s
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 1}
                budget: {trials: 1}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s], env: {MODEL_METRICS: '%s'}}
                %s
                %s
                """.formatted(model, SCRIPTS.resolve("train.sh"), candidate, gate, extra);
    }

    private static String gate(String rule) {
        return "gate: {metric: accuracy, " + rule + (rule.isEmpty() ? "" : ", ") + EVALUATOR + "}";
    }

    /** The model's active version v1, whose artifact scores {@code metrics}; its folder receives the evaluator's notes. */
    private Path activeVersion(TestDatabase db, String model, String metrics) throws Exception {
        Path dir = Files.createDirectories(home.resolve("active-" + model));
        Path artifact = Files.writeString(dir.resolve("model.json"), metrics);
        long id = Lifecycles.version(db.jdbi(), model, "v1", "active");
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE orchestrator.model_version SET artifact_uri = :uri WHERE id = :id")
                .bind("uri", artifact.toUri().toString()).bind("id", id).execute());
        return dir;
    }

    private long run(TestDatabase db, String yaml) {
        long id = Experiments.queue(db, yaml);
        Experiments.runner(db, Experiments.config(db, home, Map.of()), observer).run(id, false);
        return id;
    }

    static Map<String, Object> gateResult(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT g.verdict, g.reason, g.metric, g.direction, g.min_gain, g.candidate_score, g.active_score,
                       g.evidence::text AS evidence, c.version AS candidate, a.version AS active
                  FROM orchestrator.gate_result g
                  JOIN orchestrator.model_version c ON c.id = g.candidate_version_id
                  LEFT JOIN orchestrator.model_version a ON a.id = g.active_version_id
                 WHERE g.experiment_id = :id""").bind("id", id).mapToMap().one());
    }

    /** The evidence of the candidate's last event (the gate's). */
    static JsonNode lastEventEvidence(TestDatabase db, long id) throws Exception {
        String evidence = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT e.evidence::text FROM orchestrator.model_version_event e
                  JOIN orchestrator.model_version v ON v.id = e.model_version_id
                 WHERE v.experiment_id = :id ORDER BY e.id DESC LIMIT 1""").bind("id", id).mapTo(String.class).one());
        return Json.MAPPER.readTree(evidence);
    }

    @Test
    void aCandidateThatBeatsTheActiveVersionIsApprovedWithBothScoresRecorded(TestDatabase db) throws Exception {
        Path active = activeVersion(db, "approve", "{\"accuracy\": 0.85, \"recall\": 0.8}");
        long id = run(db, spec("approve", "{\"accuracy\": 0.91, \"recall\": 0.8}", gate("min_gain: 0.01, no_worse: [recall]"), ""));
        String candidate = "experiment-" + id;

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        Map<String, Object> g = gateResult(db, id);
        assertThat(g).containsEntry("verdict", "approved").containsEntry("reason", "accuracy 0.91 beats 0.85 by 0.06 >= min_gain 0.01")
                .containsEntry("metric", "accuracy").containsEntry("direction", "maximize").containsEntry("min_gain", 0.01)
                .containsEntry("candidate_score", 0.91).containsEntry("active_score", 0.85)
                .containsEntry("candidate", candidate).containsEntry("active", "v1");
        JsonNode evidence = Json.MAPPER.readTree((String) g.get("evidence"));
        assertThat(evidence.at("/candidate/version").asText()).isEqualTo(candidate);
        assertThat(evidence.at("/candidate/metrics/accuracy").asDouble()).isEqualTo(0.91);
        assertThat(evidence.at("/active/version").asText()).isEqualTo("v1");
        assertThat(evidence.at("/active/metrics/recall").asDouble()).isEqualTo(0.8);
        assertThat(evidence.at("/no_worse/recall/ok").asBoolean()).isTrue();
        assertThat(evidence.at("/evaluator").asText()).isEqualTo("command");

        assertThat(Lifecycles.statuses(db.jdbi(), "approve")).containsEntry(candidate, "approved").containsEntry("v1", "active");
        assertThat(Lifecycles.events(db.jdbi(), "approve", candidate))
                .containsExactly("(new) -> candidate by experiment", "candidate -> approved by gate");
        JsonNode event = lastEventEvidence(db, id);
        assertThat(event.get("experiment_id").asLong()).isEqualTo(id);
        assertThat(event.at("/gate/metric").asText()).isEqualTo("accuracy");
        assertThat(event.at("/gate/candidate_score").asDouble()).isEqualTo(0.91);
        assertThat(event.at("/gate/active_score").asDouble()).isEqualTo(0.85);
        assertThat(event.at("/gate/min_gain").asDouble()).isEqualTo(0.01);
        assertThat(event.at("/gate/evaluator").asText()).isEqualTo("command");
        assertThat(ended).containsExactly(id + ":succeeded");

        // the evaluator protocol: --artifact=URI and ORCH_EVAL_*, and none of the node's settings
        List<String> asActive = Files.readAllLines(active.resolve("evaluated-as-active.txt"));
        assertThat(asActive).contains("args=--artifact=" + active.resolve("model.json").toUri(), "model=approve", "version=v1",
                "experiment=" + id, "role=active", "dir_exists=yes", "secret=none");
        String candidateArtifact = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT artifact_uri FROM orchestrator.model_version WHERE experiment_id = :id").bind("id", id).mapTo(String.class).one());
        Path candidateFolder = Path.of(java.net.URI.create(candidateArtifact)).getParent();
        assertThat(Files.readAllLines(candidateFolder.resolve("evaluated-as-candidate.txt")))
                .contains("args=--artifact=" + candidateArtifact, "version=" + candidate, "role=candidate", "dir_exists=yes");
    }

    @Test
    void aWorseCandidateIsRejectedAndTheActiveVersionStays(TestDatabase db) throws Exception {
        activeVersion(db, "worse", "{\"accuracy\": 0.85, \"recall\": 0.8}");
        long id = run(db, spec("worse", "{\"accuracy\": 0.80, \"recall\": 0.9}", gate("min_gain: 0.01"), ""));

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(gateResult(db, id)).containsEntry("verdict", "rejected")
                .containsEntry("reason", "accuracy 0.8 does not beat 0.85 by -0.05 < min_gain 0.01")
                .containsEntry("candidate_score", 0.80).containsEntry("active_score", 0.85);
        assertThat(Lifecycles.statuses(db.jdbi(), "worse")).containsEntry("experiment-" + id, "rejected").containsEntry("v1", "active");
        assertThat(Lifecycles.events(db.jdbi(), "worse", "experiment-" + id)).last().isEqualTo("candidate -> rejected by gate");
        assertThat(ended).containsExactly(id + ":succeeded");

        // an operator sees the verdict with the version
        Cli.Run show = Cli.run(db.environment(Map.of()), "models", "show", "worse");
        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out()).contains("the challenger gate's verdicts:")
                .containsPattern("experiment-" + id + " +" + id + " +rejected +accuracy +0\\.8000 vs 0\\.8500 \\(v1\\) +accuracy 0.8 does not beat");
        Cli.Run json = Cli.run(db.environment(Map.of()), "models", "show", "worse", "--json");
        JsonNode versions = Json.MAPPER.readTree(json.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow()).get("versions");
        assertThat(versions.findValues("gate")).anySatisfy(g -> assertThat(g.path("verdict").asText()).isEqualTo("rejected"));
    }

    @Test
    void aBetterCandidateThatLosesOnANoWorseMetricIsRejected(TestDatabase db) throws Exception {
        activeVersion(db, "noworse", "{\"accuracy\": 0.85, \"recall\": 0.8}");
        long id = run(db, spec("noworse", "{\"accuracy\": 0.95, \"recall\": 0.6}", gate("no_worse: [recall]"), ""));

        Map<String, Object> g = gateResult(db, id);
        assertThat(g).containsEntry("verdict", "rejected").containsEntry("candidate_score", 0.95);
        assertThat((String) g.get("reason")).startsWith("recall is worse: 0.6 against 0.8 (no_worse)");
        JsonNode evidence = Json.MAPPER.readTree((String) g.get("evidence"));
        assertThat(evidence.at("/no_worse/recall/ok").asBoolean()).isFalse();
        assertThat(evidence.at("/no_worse/recall/candidate").asDouble()).isEqualTo(0.6);
        assertThat(Lifecycles.status(db.jdbi(), "noworse", "experiment-" + id)).isEqualTo("rejected");
    }

    @Test
    void aGateThatCannotRunRejectsWithTheReason(TestDatabase db) throws Exception {
        // the active version has no artifact to score
        Lifecycles.version(db.jdbi(), "bare", "v1", "active");
        long bare = run(db, spec("bare", "{\"accuracy\": 0.99}", gate(""), ""));
        assertThat(gateResult(db, bare)).containsEntry("verdict", "rejected").containsEntry("active", "v1")
                .containsEntry("reason", "cannot run the gate: active version v1 has no artifact_uri: it cannot be scored")
                .containsEntry("candidate_score", 0.99).containsEntry("active_score", null);

        // the evaluator exits 1
        activeVersion(db, "broken", "{\"accuracy\": 0.5}");
        long broken = run(db, spec("broken", "{\"accuracy\": 0.99}", "gate: {metric: accuracy, evaluator: {command: [sh, "
                + SCRIPTS.resolve("fails.sh") + "]}}", ""));
        assertThat(gateResult(db, broken)).containsEntry("verdict", "rejected").containsEntry("candidate_score", null);
        assertThat((String) gateResult(db, broken).get("reason"))
                .startsWith("cannot run the gate: evaluator failed for candidate version experiment-" + broken + ": exit status 1")
                .contains("cannot open the evaluation data");

        // the evaluator prints no JSON object
        activeVersion(db, "chatty", "{\"accuracy\": 0.5}");
        long chatty = run(db, spec("chatty", "{\"accuracy\": 0.99}", "gate: {metric: accuracy, evaluator: {command: [sh, "
                + SCRIPTS.resolve("garbage.sh") + "]}}", ""));
        assertThat((String) gateResult(db, chatty).get("reason")).startsWith("cannot run the gate: evaluator failed").contains("no final report");

        // the evaluator's output lacks the gate's metric
        activeVersion(db, "other", "{\"accuracy\": 0.5}");
        long other = run(db, spec("other", "{\"f1\": 0.99}", gate(""), ""));
        assertThat(gateResult(db, other)).containsEntry("reason", "cannot run the gate: the candidate's evaluation has no metric accuracy");

        for (long id : List.of(bare, broken, chatty, other)) {
            assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(gateResult(db, id)).containsEntry("verdict", "rejected");
        }
        for (String model : List.of("bare", "broken", "chatty", "other")) {
            assertThat(Lifecycles.statuses(db.jdbi(), model)).containsEntry("v1", "active").containsValue("rejected");
        }
    }

    @Test
    void withoutAGateTheCandidateIsApprovedWithNoGateAsTheReason(TestDatabase db) throws Exception {
        activeVersion(db, "nogate", "{\"accuracy\": 0.99}");
        long id = run(db, spec("nogate", "{\"accuracy\": 0.1}", "", ""));

        Map<String, Object> g = gateResult(db, id);
        assertThat(g).containsEntry("verdict", "approved").containsEntry("reason", "no gate").containsEntry("metric", null)
                .containsEntry("direction", null).containsEntry("min_gain", null).containsEntry("candidate_score", null)
                .containsEntry("active", "v1");
        assertThat(Json.MAPPER.readTree((String) g.get("evidence")).get("evaluator").isNull()).isTrue();
        assertThat(lastEventEvidence(db, id).get("gate").isNull()).isTrue();
        assertThat(Lifecycles.statuses(db.jdbi(), "nogate")).containsEntry("experiment-" + id, "approved").containsEntry("v1", "active");
        // nothing was evaluated
        assertThat(home.resolve("active-nogate/evaluated-as-active.txt")).doesNotExist();
        assertThat(ended).containsExactly(id + ":succeeded");
    }

    @Test
    void withNoActiveVersionAScoredCandidateIsApproved(TestDatabase db) {
        long id = run(db, spec("fresh", "{\"accuracy\": 0.7}", gate("min_gain: 0.05"), ""));
        assertThat(gateResult(db, id)).containsEntry("verdict", "approved").containsEntry("active", null)
                .containsEntry("reason", "no active version to beat (accuracy 0.7)").containsEntry("candidate_score", 0.7);
    }

    @Test
    void activateAutoMakesTheApprovedCandidateActiveAndRetiresThePreviousOne(TestDatabase db) throws Exception {
        activeVersion(db, "auto", "{\"accuracy\": 0.85}");
        long id = run(db, spec("auto", "{\"accuracy\": 0.9}", gate(""), "activate: auto"));
        String candidate = "experiment-" + id;

        assertThat(Lifecycles.statuses(db.jdbi(), "auto")).containsEntry(candidate, "active").containsEntry("v1", "retired");
        assertThat(Lifecycles.events(db.jdbi(), "auto", candidate)).containsExactly("(new) -> candidate by experiment",
                "candidate -> approved by gate", "approved -> active by gate");
        assertThat(Lifecycles.events(db.jdbi(), "auto", "v1")).last().isEqualTo("active -> retired by gate");
        assertThat(Lifecycles.brokenChains(db.jdbi(), "auto")).isEmpty();

        // a rejected candidate is not activated, whatever activate says
        long worse = run(db, spec("auto", "{\"accuracy\": 0.5}", gate(""), "activate: auto"));
        assertThat(gateResult(db, worse)).containsEntry("verdict", "rejected").containsEntry("active", candidate);
        assertThat(Lifecycles.statuses(db.jdbi(), "auto")).containsEntry(candidate, "active").containsEntry("experiment-" + worse, "rejected");
    }

    @Test
    void theGatedExampleActivatesItsFirstVersionAndJudgesTheNextAgainstIt(TestDatabase db) {
        org.visutility.orchestrator.experiment.ExperimentSpec spec =
                org.visutility.orchestrator.experiment.ExperimentSpec.read(Path.of("examples/quadratic-gated.yaml"));
        long first = db.jdbi().inTransaction(h -> org.visutility.orchestrator.experiment.ExperimentRows.insert(h, spec, "submit"));
        Experiments.runner(db, Experiments.config(db, home, Map.of()), observer).run(first, false);
        assertThat(gateResult(db, first)).containsEntry("verdict", "approved").containsEntry("active", null);
        assertThat(Lifecycles.status(db.jdbi(), "demo-quadratic-gated", "experiment-" + first)).isEqualTo("active");

        // the same search again finds the same best point: no gain, so the active version stays
        long second = db.jdbi().inTransaction(h -> org.visutility.orchestrator.experiment.ExperimentRows.insert(h, spec, "submit"));
        Experiments.runner(db, Experiments.config(db, home, Map.of()), observer).run(second, false);
        Map<String, Object> g = gateResult(db, second);
        assertThat(g).containsEntry("verdict", "rejected").containsEntry("active", "experiment-" + first)
                .containsEntry("candidate_score", g.get("active_score"));
        assertThat((String) g.get("reason")).startsWith("loss ").contains("does not beat").endsWith("< min_gain 0.01");
        assertThat(Lifecycles.status(db.jdbi(), "demo-quadratic-gated", "experiment-" + first)).isEqualTo("active");
    }
}
