package org.visutility.orchestrator.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.app.Modules;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.policy.PolicySchedule;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "The watching never stops silently": a cluster-wide job that stops running turns GET /health
 * into 503 degraded, naming the job, once the run due after its last success is three intervals
 * late; a trigger in ERROR does at once; a run on another node counts; /metrics has the gauges.
 */
@ExtendWith(PostgresExtension.class)
class StoppedJobDegradesHealthTest {
    private static final String POLICY = "policy.evaluate-policies";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Test
    void aPausedPolicyEvaluationTurnsHealthDegradedNamingItOnceThreeIntervalsPass(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_POLICY_INTERVAL", "1s")).withHttpPort(0);
        try (Node node = Node.start(config, Modules.all())) {
            Await.until("policy evaluation to run and /health to list it ok", Duration.ofSeconds(20),
                    () -> "ok".equals(job(health(node).body(), POLICY).path("status").asText())
                            && !job(health(node).body(), POLICY).path("last_success_at").isNull());
            HttpResponse<String> up = health(node);
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(job(up.body(), POLICY).path("interval").asText()).isEqualTo("1s");
            Await.until("the job gauges in /metrics", Duration.ofSeconds(15),
                    () -> metrics(node).contains("orchestrator_job_last_success_timestamp_seconds{job=\"" + POLICY + "\"}")
                            && metrics(node).contains("orchestrator_job_overdue{job=\"" + POLICY + "\"} 0.0"));
            assertThat(metrics(node)).contains("orchestrator_job_interval_seconds{job=\"" + POLICY + "\"} 1.0");

            node.scheduler().pauseTrigger(PolicySchedule.TRIGGER);
            Await.until("/health to say degraded", Duration.ofSeconds(20), () -> health(node).statusCode() == 503);
            HttpResponse<String> degraded = health(node);
            JsonNode body = Json.MAPPER.readTree(degraded.body());
            assertThat(body.path("status").asText()).as(degraded.body()).isEqualTo("degraded");
            assertThat(body.path("database").path("status").asText()).isEqualTo("up");
            assertThat(body.path("jobs").path("overdue")).extracting(JsonNode::asText).containsExactly(POLICY);
            JsonNode policy = job(degraded.body(), POLICY);
            assertThat(policy.path("status").asText()).isEqualTo("overdue");
            assertThat(policy.path("trigger_state").asText()).isEqualTo("PAUSED");
            // not before three intervals had passed since the run that was due
            Instant lastSuccess = Instant.parse(policy.path("last_success_at").asText());
            assertThat(Instant.parse(policy.path("overdue_at").asText())).isEqualTo(lastSuccess.plusSeconds(4));
            Await.until("the overdue gauge", Duration.ofSeconds(15),
                    () -> metrics(node).contains("orchestrator_job_overdue{job=\"" + POLICY + "\"} 1.0"));

            node.scheduler().resumeTrigger(PolicySchedule.TRIGGER);
            Await.until("/health to be up again once the job ran", Duration.ofSeconds(20), () -> health(node).statusCode() == 200);
        }
    }

    @Test
    void aTriggerInErrorTurnsHealthDegradedAtOnce(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_POLICY_INTERVAL", "1h")).withHttpPort(0);
        try (Node node = Node.start(config, Modules.all())) {
            Await.until("the first policy pass", Duration.ofSeconds(20),
                    () -> CommandNodeKeepsTheClusterJobsArmedTest.lastSuccess(db, POLICY).isPresent());
            assertThat(health(node).statusCode()).isEqualTo(200);
            // as Quartz leaves it when the node that acquired it cannot run the job (issue 13, case 1)
            db.jdbi().useHandle(h -> h.execute("UPDATE quartz.qrtz_triggers SET trigger_state = 'ERROR' WHERE trigger_name = 'evaluate-policies'"));

            HttpResponse<String> r = health(node);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(r.body()).path("status").asText()).isEqualTo("degraded");
            assertThat(job(r.body(), POLICY).path("status").asText()).isEqualTo("error");
            assertThat(job(r.body(), POLICY).path("trigger_state").asText()).isEqualTo("ERROR");
        }
    }

    @Test
    void aRunOnAnotherNodeCountsAndANodeThatCannotRunTheJobShowsWhy(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_POLICY_INTERVAL", "2s")).withHttpPort(0);
        String serveNode;
        try (Node serve = Node.start(config, Modules.all())) {
            serveNode = serve.scheduler().getSchedulerInstanceId();
            Await.until("the serve node's policy pass", Duration.ofSeconds(20),
                    () -> CommandNodeKeepsTheClusterJobsArmedTest.lastSuccess(db, POLICY).isPresent());
        }
        // a node without the policy capability: it reads the cluster's record, and fails the firings it acquires
        try (Node other = Node.start(config, List.of())) {
            HttpResponse<String> first = health(other);
            Optional<Instant> lastSuccess = CommandNodeKeepsTheClusterJobsArmedTest.lastSuccess(db, POLICY);
            JsonNode policy = job(first.body(), POLICY);
            assertThat(policy.path("last_success_node").asText()).as(first.body()).isEqualTo(serveNode);

            // which node Quartz hands the next firing to, and when, is up to Quartz: wait for this node's failed firing
            String otherNode = other.scheduler().getSchedulerInstanceId();
            Await.until("/health on the other node to say degraded with its own failed firing", Duration.ofSeconds(60), () -> {
                HttpResponse<String> now = health(other);
                JsonNode j = job(now.body(), POLICY);
                return now.statusCode() == 503 && j.path("status").asText().equals("overdue")
                        && j.path("last_failure_node").asText().equals(otherNode);
            });
            JsonNode late = job(health(other).body(), POLICY);
            assertThat(late.path("status").asText()).isEqualTo("overdue");
            assertThat(Instant.parse(late.path("last_success_at").asText())).isEqualTo(lastSuccess.orElseThrow());
            assertThat(late.path("last_failure_node").asText()).isEqualTo(other.scheduler().getSchedulerInstanceId());
            assertThat(late.path("last_error").asText()).contains("no job of type org.visutility.orchestrator.policy.PolicyEvaluationJob");
        }
    }

    @Test
    void aSqlCollectorWhosePullsFailIsOverdueWithItsErrorNotCountedAsRunning(TestDatabase db) throws Exception {
        Map<String, Object> broken = new java.util.HashMap<>(Map.of("name", "broken", "url", db.url(), "cron", "* * * * * ?",
                "query", "SELECT * FROM no_such_table WHERE observed_at > :since"));
        if (db.user() != null) broken.put("user", db.user());
        if (db.password() != null) broken.put("password", db.password());
        OrchestratorConfig config = Experiments.config(db, home,
                Map.of("ORCHESTRATOR_COLLECTORS", Json.MAPPER.writeValueAsString(List.of(broken)))).withHttpPort(0);
        try (Node node = Node.start(config, Modules.all())) {
            // the collectors section degrades the node after three failed runs; the job is overdue a run later
            Await.until("/health to say degraded with the collector's job overdue", Duration.ofSeconds(30),
                    () -> health(node).statusCode() == 503 && job(health(node).body(), "sql-collector.broken").path("status").asText().equals("overdue"));
            HttpResponse<String> r = health(node);
            assertThat(Json.MAPPER.readTree(r.body()).path("jobs").path("overdue")).extracting(JsonNode::asText)
                    .as(r.body()).containsExactly("sql-collector.broken");
            assertThat(Json.MAPPER.readTree(r.body()).path("collectors").path("failing")).extracting(JsonNode::asText)
                    .containsExactly("broken");
            JsonNode collector = job(r.body(), "sql-collector.broken");
            assertThat(collector.path("status").asText()).isEqualTo("overdue");
            assertThat(collector.path("cron").asText()).isEqualTo("* * * * * ?");
            assertThat(collector.path("interval").asText()).isEqualTo("1s");
            assertThat(collector.path("last_success_at").isNull()).isTrue();
            assertThat(collector.path("last_error").asText()).contains("SQL collector broken failed").contains("no_such_table");
        }
    }

    private static JsonNode job(String health, String name) {
        try {
            for (JsonNode j : Json.MAPPER.readTree(health).path("jobs").path("list")) {
                if (j.path("job").asText().equals(name)) return j;
            }
            return Json.MAPPER.missingNode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> health(Node node) {
        return get(node, "/health");
    }

    private static String metrics(Node node) {
        return get(node, "/metrics").body();
    }

    private static HttpResponse<String> get(Node node, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
