package org.visutility.orchestrator.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control API on a serving node with tokens of every role: each route refuses callers without
 * an operator token (401) or with another role's (403) and writes nothing; bad input is a 400 naming
 * the field, an unknown id a 404, a refused change a 409, a large body a 413; what is allowed is
 * written with the token's name as the actor.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiTest {
    static final String OPERATOR = "op-token-aaaaaaaaaaaaaaaa";
    static final String READER = "read-token-bbbbbbbbbbbbbbbb";
    static final String INGEST = "ingest-token-cccccccccccccccc";
    private static final String MODEL = "churn-ctl";

    @TempDir
    static Path home;

    private TestDatabase db;
    private Node node;
    private ControlApi api;
    private long toRestart;
    private long toAbandon;
    private long ended;

    /** Failed by its own rules (budget.max_failed, its job completed): trials 2 and 4 fail. */
    static String failingSpec() {
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 11}
                budget: {trials: 10, max_failed: 2}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: test-fault, flaky: [2, 4], fixed_by: "/nonexistent/fixed"}
                """;
    }

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        this.db = db;
        toRestart = failed(db);
        toAbandon = failed(db);
        ended = failed(db);
        Lifecycles.version(db.jdbi(), MODEL, "v1", "candidate");
        Lifecycles.version(db.jdbi(), MODEL, "v2", "candidate");
        Lifecycles.version(db.jdbi(), MODEL, "v3", "candidate");
        // a long dispatch interval: what the tests queue stays queued, so each outcome is known
        node = Node.start(Experiments.config(db, home, Map.of(
                "ORCHESTRATOR_OPERATOR_TOKENS", "alice:" + OPERATOR,
                "ORCHESTRATOR_READ_TOKENS", "reader:" + READER,
                "ORCHESTRATOR_INGEST_TOKENS", INGEST,
                "ORCHESTRATOR_DISPATCH_INTERVAL", "1h")), Modules.all());
        api = new ControlApi(node.httpPort());
    }

    private long failed(TestDatabase db) {
        long id = Experiments.queue(db, failingSpec());
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        return id;
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    private record Call(String path, String contentType, String body) {
    }

    private List<Call> controlCalls() {
        return List.of(
                new Call("/api/v1/experiments", "application/yaml", Experiments.sphere(2, 1)),
                new Call("/api/v1/experiments/" + ended + "/cancel", "application/json", "{}"),
                new Call("/api/v1/experiments/" + toRestart + "/restart", "application/json", "{\"retry_failed\": true}"),
                new Call("/api/v1/experiments/" + toAbandon + "/abandon", "application/json", "{}"),
                new Call("/api/v1/experiments/" + ended + "/trials/0/exclude", "application/json", "{\"reason\": \"no\"}"),
                new Call("/api/v1/experiments/" + ended + "/trials/0/include", "application/json", "{\"reason\": \"no\"}"),
                new Call("/api/v1/policies?source=x", "application/yaml", policyFile("denied")),
                new Call("/api/v1/policies/backtest?from=2026-01-01&to=2026-01-02", "application/yaml", policyFile("denied")),
                new Call("/api/v1/models/" + MODEL + "/versions/v3/promote", "application/json", "{}"),
                new Call("/api/v1/models/" + MODEL + "/versions/v3/reject", "application/json", "{\"reason\": \"no\"}"),
                new Call("/api/v1/models/" + MODEL + "/rollback", "application/json", "{}"));
    }

    @Test
    void everyControlRouteRefusesCallersWithoutAnOperatorTokenAndWritesNothing() {
        Counts before = Counts.of(db);
        ExperimentStatus restartable = Experiments.row(db, toRestart).status();
        for (Call c : controlCalls()) {
            ControlApi.Answer none = api.post(c.path(), null, c.contentType(), c.body());
            assertThat(none.status()).as("no token: " + c.path()).isEqualTo(401);
            assertThat(none.response().headers().firstValue("WWW-Authenticate")).as(c.path()).isPresent();
            assertThat(none.body().path("status").asInt()).isEqualTo(401);
            assertThat(api.post(c.path(), OPERATOR + "x", c.contentType(), c.body()).status()).as("unknown token: " + c.path()).isEqualTo(401);
            ControlApi.Answer reader = api.post(c.path(), READER, c.contentType(), c.body());
            assertThat(reader.status()).as("read token: " + c.path()).isEqualTo(403);
            assertThat(reader.error()).contains("reader", "ORCHESTRATOR_OPERATOR_TOKENS");
            assertThat(api.post(c.path(), INGEST, c.contentType(), c.body()).status()).as("ingest token: " + c.path()).isEqualTo(403);
        }
        assertThat(Counts.of(db)).isEqualTo(before);
        assertThat(Experiments.row(db, toRestart).status()).isEqualTo(restartable);
        assertThat(Lifecycles.status(db.jdbi(), MODEL, "v3")).isEqualTo("candidate");
    }

    @Test
    void readRoutesNeedAReadOrOperatorTokenOnceReadTokensAreSet() {
        assertThat(api.get("/api/v1/models", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/models", INGEST).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/models", READER).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/experiments/" + ended, OPERATOR).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/openapi.json", null).status()).as("the description is public").isEqualTo(200);
    }

    @Test
    void snapshotsTakeOnlyIngestTokens() {
        String batch = "{\"snapshots\": []}";
        assertThat(api.json("/api/v1/snapshots", OPERATOR, batch).status()).isEqualTo(403);
        assertThat(api.json("/api/v1/snapshots", READER, batch).status()).isEqualTo(403);
        assertThat(api.json("/api/v1/snapshots", INGEST, batch).status()).isNotIn(401, 403);
    }

    @Test
    void distributionsTakeOnlyIngestTokens() {
        String batch = "{\"distributions\": []}";
        assertThat(api.json("/api/v1/distributions", OPERATOR, batch).status()).isEqualTo(403);
        assertThat(api.json("/api/v1/distributions", READER, batch).status()).isEqualTo(403);
        assertThat(api.json("/api/v1/distributions", INGEST, batch).status()).isEqualTo(400);
    }

    @Test
    void submitQueuesAYamlOrJsonSpecAndRecordsTheOperator() throws Exception {
        ControlApi.Answer yaml = api.yaml("/api/v1/experiments", OPERATOR, Experiments.sphere(3, 7));
        assertThat(yaml.status()).as(yaml.body().toString()).isEqualTo(201);
        long id = yaml.body().path("id").asLong();
        assertThat(yaml.body().path("status").asText()).isEqualTo("queued");
        assertThat(yaml.body().path("trials").path("budget").asInt()).isEqualTo(3);
        assertThat(yaml.response().headers().firstValue("Location")).contains("/api/v1/experiments/" + id);
        assertThat(submittedBy(id)).isEqualTo("operator:alice");

        String json = org.visutility.orchestrator.core.Json.MAPPER.writeValueAsString(
                org.visutility.orchestrator.core.Json.YAML.readTree(Experiments.sphere(2, 8)));
        ControlApi.Answer asJson = api.json("/api/v1/experiments", OPERATOR, json);
        assertThat(asJson.status()).as(asJson.body().toString()).isEqualTo(201);
        assertThat(Experiments.row(db, asJson.body().path("id").asLong()).status()).isEqualTo(ExperimentStatus.QUEUED);
    }

    @Test
    void anInvalidSpecIsRefusedWithEveryProblemNamedAndNothingWritten() {
        Counts before = Counts.of(db);
        String spec = """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random}
                budget: {trials: 0}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [python3, train.py], workdir: trainers}
                """;
        ControlApi.Answer a = api.yaml("/api/v1/experiments", OPERATOR, spec);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("status").asInt()).isEqualTo(400);
        assertThat(a.body().path("violations").toString()).contains("trainer.workdir", "absolute", "budget.trials");
        ControlApi.Answer noWorkdir = api.yaml("/api/v1/experiments", OPERATOR, spec.replace(", workdir: trainers", "").replace("trials: 0", "trials: 2"));
        assertThat(noWorkdir.status()).isEqualTo(400);
        assertThat(noWorkdir.body().path("violations").toString()).contains("trainer.workdir", "required");
        ControlApi.Answer notYaml = api.yaml("/api/v1/experiments", OPERATOR, "model: [unclosed");
        assertThat(notYaml.status()).isEqualTo(400);
        assertThat(notYaml.body().path("violations").toString()).contains("not valid YAML");
        assertThat(api.post("/api/v1/experiments", OPERATOR, "text/plain", Experiments.sphere(2, 1)).status()).isEqualTo(415);
        ControlApi.Answer large = api.yaml("/api/v1/experiments", OPERATOR, Experiments.sphere(2, 1) + "#" + "x".repeat(1 << 20));
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.error()).contains("1 MiB");
        ControlApi.Answer unknownSource = api.yaml("/api/v1/experiments", OPERATOR, Experiments.sphere(2, 1)
                .replace("{name: random, seed: 1}", "{name: tpe, seed: 1, warm_start: {from: experiment, ids: [999999999]}}"));
        assertThat(unknownSource.status()).isEqualTo(400);
        assertThat(unknownSource.body().path("violations").toString()).contains("strategy.warm_start.ids[0]: no experiment 999999999");
        assertThat(Counts.of(db)).isEqualTo(before);
    }

    @Test
    void cancelStopsAQueuedExperimentAndRefusesOneThatEnded() {
        long id = Experiments.queue(db, Experiments.sphere(2, 3));
        ControlApi.Answer ok = api.json("/api/v1/experiments/" + id + "/cancel", OPERATOR, "{}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("cancelled").asBoolean()).isTrue();
        assertThat(ok.body().path("was").asText()).isEqualTo("queued");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.CANCELLED);
        assertThat(Experiments.row(db, id).error()).contains("cancelled by operator:alice (control API)");

        ControlApi.Answer refused = api.json("/api/v1/experiments/" + ended + "/cancel", OPERATOR, "{}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).contains("already failed");
        assertThat(refused.body().path("experiment").path("cancelled").asBoolean()).isFalse();
        assertThat(Experiments.row(db, ended).status()).isEqualTo(ExperimentStatus.FAILED);

        assertThat(api.json("/api/v1/experiments/999999/cancel", OPERATOR, "{}").status()).isEqualTo(404);
        long other = Experiments.queue(db, Experiments.sphere(2, 4));
        ControlApi.Answer asForm = api.post("/api/v1/experiments/" + other + "/cancel", OPERATOR, "text/plain", "");
        assertThat(asForm.status()).as("what a web page could send without asking first").isEqualTo(415);
        assertThat(api.post("/api/v1/experiments/" + other + "/cancel", OPERATOR, null, "").status()).isEqualTo(415);
        assertThat(Experiments.row(db, other).status()).isEqualTo(ExperimentStatus.QUEUED);
        ControlApi.Answer badId = api.json("/api/v1/experiments/abc/cancel", OPERATOR, "{}");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.error()).startsWith("id:");
    }

    @Test
    void restartRefusesARunThatNeedsARetryRoundThenRequeuesItWithTheOperatorAsActor() {
        Counts before = Counts.of(db);
        ControlApi.Answer plain = api.json("/api/v1/experiments/" + toRestart + "/restart", OPERATOR, "");
        assertThat(plain.status()).isEqualTo(409);
        assertThat(plain.error()).contains("--retry-failed");
        ControlApi.Answer unknownKey = api.json("/api/v1/experiments/" + toRestart + "/restart", OPERATOR, "{\"retry\": true}");
        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.error()).startsWith("retry: unknown key");
        assertThat(api.json("/api/v1/experiments/" + toRestart + "/restart", OPERATOR, "{\"retry_failed\": \"yes\"}").status()).isEqualTo(400);
        assertThat(api.json("/api/v1/experiments/999999/restart", OPERATOR, "{}").status()).isEqualTo(404);
        assertThat(Counts.of(db)).isEqualTo(before);
        assertThat(Experiments.row(db, toRestart).status()).isEqualTo(ExperimentStatus.FAILED);

        ControlApi.Answer retry = api.json("/api/v1/experiments/" + toRestart + "/restart", OPERATOR, "{\"retry_failed\": true}");
        assertThat(retry.status()).as(retry.body().toString()).isEqualTo(200);
        assertThat(retry.body().path("restarted").asBoolean()).isTrue();
        assertThat(Experiments.row(db, toRestart).status()).isEqualTo(ExperimentStatus.QUEUED);
        assertThat(interventionActors(toRestart)).containsExactly("restart by operator:alice");
    }

    @Test
    void abandonGivesUpAFailedRunOnceAndRecordsTheOperator() {
        ControlApi.Answer ok = api.json("/api/v1/experiments/" + toAbandon + "/abandon", OPERATOR, "{}");
        assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
        assertThat(ok.body().path("abandoned").asBoolean()).isTrue();
        assertThat(interventionActors(toAbandon)).containsExactly("abandon by operator:alice");
        ControlApi.Answer again = api.json("/api/v1/experiments/" + toAbandon + "/abandon", OPERATOR, "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(interventionActors(toAbandon)).hasSize(1);
    }

    @Test
    void trialRoutesExcludeAndIncludeAsTheOperatorAndRefuseWhatCannotBeDone() {
        String trial = "/api/v1/experiments/" + ended + "/trials/1";
        ControlApi.Answer exclude = api.json(trial + "/exclude", OPERATOR, "{\"reason\": \"leaked labels\"}");
        assertThat(exclude.status()).as(exclude.body().toString()).isEqualTo(200);
        assertThat(exclude.body().path("actor").asText()).isEqualTo("operator:alice");
        assertThat(exclude.body().path("excluded").asBoolean()).isTrue();
        assertThat(exclude.body().path("best_set").path("recorded").asBoolean()).as("it failed before finalize").isFalse();
        assertThat(api.json(trial + "/exclude", OPERATOR, "{\"reason\": \"again\"}").status()).as("already excluded").isEqualTo(409);
        assertThat(api.json(trial + "/include", OPERATOR, "{}").status()).as("no reason").isEqualTo(400);
        assertThat(api.json("/api/v1/experiments/" + ended + "/trials/99/exclude", OPERATOR, "{\"reason\": \"x\"}").status()).isEqualTo(404);
        assertThat(api.json("/api/v1/experiments/" + ended + "/trials/x/exclude", OPERATOR, "{\"reason\": \"x\"}").status()).isEqualTo(400);
        assertThat(api.json(trial + "/include", OPERATOR, "{\"reason\": \"fine after all\"}").status()).isEqualTo(200);
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.trial_exclusion_event WHERE experiment_id = :id", ended))
                .isEqualTo(2);
    }

    @Test
    void modelRoutesChangeVersionsAsTheOperatorAndRefuseWhatTheLifecycleForbids() {
        String base = "/api/v1/models/" + MODEL;
        ControlApi.Answer promote = api.json(base + "/versions/v1/promote", OPERATOR, "{\"reason\": \"looks good\"}");
        assertThat(promote.status()).as(promote.body().toString()).isEqualTo(200);
        assertThat(Lifecycles.events(db.jdbi(), MODEL, "v1")).endsWith("candidate -> approved by operator:alice", "approved -> active by operator:alice");

        Counts before = Counts.of(db);
        ControlApi.Answer noReason = api.json(base + "/versions/v2/reject", OPERATOR, "{}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.error()).startsWith("reason:");
        assertThat(api.json(base + "/versions/v1/reject", OPERATOR, "{\"reason\": \"bad\"}").status()).as("active").isEqualTo(409);
        assertThat(api.json(base + "/versions/v9/promote", OPERATOR, "{}").status()).isEqualTo(404);
        assertThat(api.json("/api/v1/models/no-such-model/rollback", OPERATOR, "{}").status()).isEqualTo(404);
        assertThat(api.json(base + "/rollback", OPERATOR, "{}").status()).as("nothing to roll back to").isEqualTo(409);
        assertThat(api.json(base + "/versions/v2/promote", OPERATOR, "{\"force\": 1}").status()).isEqualTo(400);
        assertThat(Counts.of(db)).isEqualTo(before);

        ControlApi.Answer reject = api.json(base + "/versions/v2/reject", OPERATOR, "{\"reason\": \"worse on eu\"}");
        assertThat(reject.status()).isEqualTo(200);
        assertThat(Lifecycles.events(db.jdbi(), MODEL, "v2")).last().isEqualTo("candidate -> rejected by operator:alice");
    }

    @Test
    void policiesAreAppliedWithTheOperatorRecordedAndBacktested() {
        Counts before = Counts.of(db);
        assertThat(api.yaml("/api/v1/policies", OPERATOR, policyFile("ctl-floor")).status()).as("no source").isEqualTo(400);
        ControlApi.Answer byPath = api.yaml("/api/v1/policies?source=p", OPERATOR,
                policyFile("ctl-floor").replaceAll("experiment: \\{.*}", "experiment: tuning.yaml"));
        assertThat(byPath.status()).isEqualTo(400);
        assertThat(byPath.body().path("violations").toString()).contains("inline");
        assertThat(Counts.of(db)).isEqualTo(before);

        ControlApi.Answer applied = api.yaml("/api/v1/policies?source=ops/policies.yaml", OPERATOR, policyFile("ctl-floor"));
        assertThat(applied.status()).as(applied.body().toString()).isEqualTo(200);
        assertThat(applied.body().path("policies").get(0).path("action").asText()).isEqualTo("created");
        String appliedBy = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT v.applied_by FROM orchestrator.retrain_policy_version v JOIN orchestrator.retrain_policy p ON p.id = v.policy_id
                 WHERE p.name = 'ctl-floor'""").mapTo(String.class).one());
        assertThat(appliedBy).isEqualTo("operator:alice");

        assertThat(api.yaml("/api/v1/policies/backtest?to=2026-01-02", OPERATOR, policyFile("ctl-floor")).error()).startsWith("from:");
        ControlApi.Answer backtest = api.yaml("/api/v1/policies/backtest?from=2026-01-01&to=2026-01-02&step=6h", OPERATOR, policyFile("ctl-floor"));
        assertThat(backtest.status()).as(backtest.body().toString()).isEqualTo(200);
        assertThat(backtest.body().path("instants").asInt()).isEqualTo(5);
        assertThat(backtest.body().path("values").asText()).as("the default, as policies backtest").isEqualTo("as_known_at");
        ControlApi.Answer asNow = api.yaml("/api/v1/policies/backtest?from=2026-01-01&to=2026-01-02&step=6h&values=as_now", OPERATOR,
                policyFile("ctl-floor"));
        assertThat(asNow.status()).as(asNow.body().toString()).isEqualTo(200);
        assertThat(asNow.body().path("values").asText()).isEqualTo("as_now");
        ControlApi.Answer badValues = api.yaml("/api/v1/policies/backtest?from=2026-01-01&to=2026-01-02&values=today", OPERATOR,
                policyFile("ctl-floor"));
        assertThat(badValues.status()).isEqualTo(400);
        assertThat(badValues.error()).startsWith("values:");
    }

    static String policyFile(String name) {
        return """
                policies:
                  - name: %s
                    model: churn
                    when: {metric: accuracy, aggregate: mean, window: 6h, below: 0.85, min_samples: 1}
                    cooldown: 24h
                    experiment: {objective: {metric: loss, direction: minimize}, strategy: {name: random, seed: 1}, budget: {trials: 2}, space: {x: {type: float, low: 0.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """.formatted(name);
    }

    private String submittedBy(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT submitted_by FROM orchestrator.experiment WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    private List<String> interventionActors(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action || ' by ' || actor FROM orchestrator.experiment_intervention WHERE experiment_id = :id ORDER BY id""")
                .bind("id", id).mapTo(String.class).list());
    }

    /** Rows every control route might write. */
    /**
     * What a refused call could have written. Version events are those of the model the model routes
     * act on: experiments other tests queued for churn may still be launched by the node's first
     * dispatch pass and register their own versions meanwhile.
     */
    record Counts(long experiments, long interventions, long versionEvents, long policyVersions) {
        static Counts of(TestDatabase db) {
            return db.jdbi().withHandle(h -> new Counts(
                    h.createQuery("SELECT count(*) FROM orchestrator.experiment").mapTo(Long.class).one(),
                    h.createQuery("SELECT count(*) FROM orchestrator.experiment_intervention").mapTo(Long.class).one(),
                    h.createQuery("""
                            SELECT count(*) FROM orchestrator.model_version_event e
                              JOIN orchestrator.model_version v ON v.id = e.model_version_id
                              JOIN orchestrator.model m ON m.id = v.model_id
                             WHERE m.name = :model""").bind("model", MODEL).mapTo(Long.class).one(),
                    h.createQuery("SELECT count(*) FROM orchestrator.retrain_policy_version").mapTo(Long.class).one()));
        }
    }
}
