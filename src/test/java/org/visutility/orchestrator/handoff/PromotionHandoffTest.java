package org.visutility.orchestrator.handoff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.model.VersionTransitions;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.outbox.Pass;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The promotion hand-off: an approval (by the gate or an operator) and a rollback enqueue a
 * notification in the transaction of the version event; the clustered delivery gets it to a webhook
 * that was down and came back, signed, with one delivery id however often it is sent; nothing is
 * enqueued without a destination.
 */
@ExtendWith(PostgresExtension.class)
class PromotionHandoffTest {
    private static final String SECRET = "s3cret-for-the-serving-stack";

    @TempDir
    Path home;

    /** Each test starts from an empty outbox: a row another test left pending would be sent to this test's receiver. */
    @BeforeEach
    void emptyOutbox(TestDatabase db) {
        Notifications.empty(db);
    }

    private static Cli.Run models(TestDatabase db, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "models";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.run(db.environment(Map.of()), all);
    }

    /** The signature as a receiver computes it, without the product's code. */
    private static String hmac(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void aWebhookDownAtFirstGetsTheNotificationWhenItComesBackWithOneDeliveryIdAndAVerifiableSignature(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "webhook", "v1", "active");
        Lifecycles.version(db.jdbi(), "webhook", "v2", "candidate");
        try (Receiver receiver = new Receiver(503)) {
            OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", receiver.url(),
                    "ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", SECRET));
            try (PromotionDelivery delivery = Notifications.delivery(config, db, "node-a", System.getenv())) {
                assertThat(models(db, "promote", "webhook", "v2", "--actor", "alice", "--reason", "better on the EU segment").status()).isZero();

                assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 0));
                List<Notifications.Row> rows = Notifications.rows(db, "webhook");
                assertThat(rows).extracting(Notifications.Row::event, Notifications.Row::destination, Notifications.Row::attempts,
                        Notifications.Row::delivered).containsExactly(tuple("approved", "webhook", 1, false));
                assertThat(rows.get(0).lastError()).contains("HTTP 503");

                receiver.answer(200);
                Await.until("the webhook, back, accepted the notification", Duration.ofSeconds(30), () -> {
                    delivery.deliverDue();
                    return receiver.accepted() == 1;
                });
            }
            Notifications.Row row = Notifications.rows(db, "webhook").get(0);
            assertThat(row.delivered()).isTrue();
            assertThat(row.attempts()).isEqualTo(2);
            assertThat(row.lastError()).isNull();

            List<Receiver.Request> requests = receiver.requests();
            assertThat(requests).extracting(Receiver.Request::answered).containsExactly(503, 200);
            assertThat(requests).extracting(Receiver.Request::delivery).containsOnly(row.deliveryId());
            assertThat(requests).extracting(Receiver.Request::event).containsOnly("approved");
            assertThat(requests).extracting(Receiver.Request::contentType).containsOnly("application/json");
            assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
            for (Receiver.Request r : requests) {
                assertThat(r.signature()).isEqualTo(hmac(r.body(), SECRET));
                assertThat(Signature.verify(r.body(), SECRET, r.signature())).isTrue();
                assertThat(Signature.verify(r.body(), "not-the-secret-of-the-node", r.signature())).isFalse();
                byte[] tampered = new String(r.body(), StandardCharsets.UTF_8).replace("\"v2\"", "\"v9\"").getBytes(StandardCharsets.UTF_8);
                assertThat(Signature.verify(tampered, SECRET, r.signature())).isFalse();
            }

            JsonNode body = Json.MAPPER.readTree(requests.get(1).body());
            assertThat(body).isEqualTo(row.payload());
            assertThat(body.path("delivery_id").asText()).isEqualTo(row.deliveryId());
            assertThat(UUID.fromString(row.deliveryId())).isNotNull();
            assertThat(body.path("event").asText()).isEqualTo("approved");
            assertThat(body.path("model").asText()).isEqualTo("webhook");
            assertThat(body.path("version").asText()).isEqualTo("v2");
            assertThat(body.path("actor").asText()).isEqualTo("operator:alice");
            assertThat(body.path("reason").asText()).isEqualTo("better on the EU segment");
            assertThat(body.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
            assertThat(body.get("gate").isNull()).isTrue();
            assertThat(body.get("hyperparameters").isNull()).isTrue();
            assertThat(body.get("experiment_id").isNull()).isTrue();
            assertThat(body.get("artifact_uri").isNull()).isTrue();
        }
    }

    @Test
    void aWebhookWhosePortIsClosedAtFirstGetsTheNotificationOnceAReceiverListens(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "closed", "v1", "candidate");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL",
                "http://127.0.0.1:" + port + "/hook", "ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", SECRET));
        try (PromotionDelivery delivery = Notifications.delivery(config, db, "node-a", System.getenv())) {
            assertThat(models(db, "promote", "closed", "v1", "--actor", "bob").status()).isZero();
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 0));
            assertThat(Notifications.rows(db, "closed").get(0).lastError()).contains("cannot reach the webhook");

            try (Receiver receiver = new Receiver(200, port)) {
                Await.until("the receiver, listening now, accepted the notification", Duration.ofSeconds(30), () -> {
                    delivery.deliverDue();
                    return receiver.accepted() == 1;
                });
                assertThat(receiver.requests().get(0).delivery()).isEqualTo(Notifications.rows(db, "closed").get(0).deliveryId());
            }
        }
        assertThat(Notifications.rows(db, "closed")).extracting(Notifications.Row::delivered, Notifications.Row::attempts)
                .containsExactly(tuple(true, 2));
    }

    @Test
    void promoteAndEveryRollbackEnqueueANotificationForEachDestinationInTheEventsTransaction(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "rollback", "v1", "active");
        Lifecycles.version(db.jdbi(), "rollback", "v2", "candidate");
        Path hook = Scripts.write(home, "hook.sh", "cat > /dev/null\n");
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", "http://127.0.0.1:9/hook",
                "ORCHESTRATOR_PROMOTION_COMMAND", hook.toString()));
        Notifications.delivery(config, db, "node-a", System.getenv()).close();

        assertThat(models(db, "promote", "rollback", "v2", "--actor", "alice", "--reason", "gate was off").status()).isZero();
        assertThat(models(db, "rollback", "rollback", "--actor", "dave", "--reason", "v2 hurt conversions").status()).isZero();
        assertThat(models(db, "rollback", "rollback", "--actor", "erin", "--reason", "v1 was worse after all").status()).isZero();
        // refused: nothing changes, so nothing is told
        assertThat(models(db, "promote", "rollback", "v9").status()).isEqualTo(2);

        List<Notifications.Row> rows = Notifications.rows(db, "rollback");
        assertThat(rows).extracting(Notifications.Row::event, r -> r.payload().path("version").asText(), Notifications.Row::destination,
                        r -> r.payload().path("actor").asText(), r -> r.payload().path("replaces").asText(null))
                .containsExactly(
                        tuple("approved", "v2", "webhook", "operator:alice", null),
                        tuple("approved", "v2", "command", "operator:alice", null),
                        tuple("rolled_back", "v1", "webhook", "operator:dave", "v2"),
                        tuple("rolled_back", "v1", "command", "operator:dave", "v2"),
                        tuple("rolled_back", "v2", "webhook", "operator:erin", "v1"),
                        tuple("rolled_back", "v2", "command", "operator:erin", "v1"));
        // one id per notification, shared by its destinations
        for (int i = 0; i < rows.size(); i += 2) assertThat(rows.get(i + 1).deliveryId()).isEqualTo(rows.get(i).deliveryId());
        assertThat(rows.stream().map(Notifications.Row::deliveryId).distinct()).hasSize(3);
    }

    @Test
    void anApprovalByTheGateCarriesTheGateResultTheExperimentAndTheWinningHyperparameters(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", "http://127.0.0.1:9/hook"));
        Notifications.delivery(config, db, "node-a", System.getenv()).close();
        // a spec without gate: its gate step approves the candidate with "no gate", and that approval is told
        long experiment = Experiments.queue(db, Experiments.spec("{type: function, function: sphere}"));
        Experiments.runner(db, config, ExperimentObserver.NONE).run(experiment, false);
        long candidate = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM orchestrator.model_version WHERE experiment_id = :e")
                .bind("e", experiment).mapTo(Long.class).one());

        List<Notifications.Row> rows = Notifications.rows(db, "churn");
        assertThat(rows).extracting(Notifications.Row::event, Notifications.Row::destination).containsExactly(tuple("approved", "webhook"));
        JsonNode payload = rows.get(0).payload();
        assertThat(payload.path("actor").asText()).isEqualTo("gate");
        assertThat(payload.path("reason").asText()).isEqualTo("no gate");
        assertThat(payload.get("gate").isNull()).as("no gate ran: %s", payload).isTrue();
        assertThat(payload.path("experiment_id").asLong()).isEqualTo(experiment);
        assertThat(payload.path("model_version_id").asLong()).isEqualTo(candidate);
        JsonNode winning = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.params::text FROM orchestrator.hyperparameter_set hs
                  JOIN orchestrator.model_version v ON v.hyperparameter_set_id = hs.id WHERE v.id = :v""")
                .bind("v", candidate).mapTo(String.class).one()).transform(text -> {
            try {
                return Json.MAPPER.readTree(text);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(payload.get("hyperparameters")).isEqualTo(winning);
        assertThat(payload.get("hyperparameters").has("x")).isTrue();
        assertThat(payload.path("hyperparameter_set_id").isIntegralNumber()).isTrue();

        // a gate that compared scores: its result, as the gate step records it, travels in the payload
        long judged = Lifecycles.version(db.jdbi(), "gated", "v2", "candidate");
        ObjectNode gate = (ObjectNode) Json.MAPPER.readTree("""
                {"candidate": {"version": "v2", "metrics": {"accuracy": 0.91, "recall": 0.8}},
                 "active": {"version": "v1", "metrics": {"accuracy": 0.85, "recall": 0.79}},
                 "no_worse": {"recall": {"candidate": 0.8, "active": 0.79, "ok": true}},
                 "evaluator": "builtin", "metric": "accuracy", "direction": "maximize", "min_gain": 0.01,
                 "candidate_score": 0.91, "active_score": 0.85}""");
        ObjectNode evidence = Json.MAPPER.createObjectNode().put("experiment_id", experiment);
        evidence.set("gate", gate);
        db.jdbi().useTransaction(h -> VersionTransitions.change(h, judged, VersionStatus.APPROVED, Actor.GATE,
                "accuracy 0.91 beats 0.85 by 0.06 >= min_gain 0.01", evidence));
        List<Notifications.Row> gated = Notifications.rows(db, "gated");
        assertThat(gated).hasSize(1);
        assertThat(gated.get(0).payload().get("gate")).isEqualTo(gate);
        assertThat(gated.get(0).payload().path("reason").asText()).isEqualTo("accuracy 0.91 beats 0.85 by 0.06 >= min_gain 0.01");
    }

    @Test
    void withNoDestinationNothingIsEnqueuedAndPendingNotificationsOfARemovedDestinationAreGivenUp(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "quiet", "v1", "candidate");
        Lifecycles.version(db.jdbi(), "quiet", "v2", "candidate");
        OrchestratorConfig on = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", "http://127.0.0.1:9/hook"));
        Notifications.delivery(on, db, "node-a", System.getenv()).close();
        assertThat(models(db, "promote", "quiet", "v1").status()).isZero();
        assertThat(Notifications.rows(db, "quiet")).extracting(Notifications.Row::delivered, Notifications.Row::givenUp)
                .containsExactly(tuple(false, false));

        // a serve node starts without a destination: the cluster's hand-off is off
        OrchestratorConfig off = Experiments.config(db, home, Map.of("ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
        try (Node node = Node.start(off, List.of(new PromotionModule()))) {
            assertThat(jobsStored(db)).isZero();
        }
        assertThat(Notifications.rows(db, "quiet")).extracting(Notifications.Row::givenUp, Notifications.Row::lastError)
                .containsExactly(tuple(true, "destination removed from the settings"));
        assertThat(models(db, "promote", "quiet", "v2").status()).isZero();
        assertThat(models(db, "rollback", "quiet").status()).isZero();
        assertThat(Notifications.rows(db, "quiet")).as("only the one row from before").hasSize(1);
    }

    @Test
    void aServeNodesClusteredJobDeliversAndShowsInHealthAndMetrics(TestDatabase db) throws Exception {
        Lifecycles.version(db.jdbi(), "served", "v1", "active");
        Lifecycles.version(db.jdbi(), "served", "v2", "candidate");
        try (Receiver receiver = new Receiver(200)) {
            OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", receiver.url(),
                    "ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", SECRET, "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
            try (Node node = Node.start(config.withHttpPort(0), List.of(new PromotionModule()))) {
                assertThat(jobsStored(db)).isEqualTo(1);
                assertThat(models(db, "promote", "served", "v2", "--actor", "carol").status()).isZero();
                Await.until("the delivery job sent the notification", Duration.ofSeconds(30), () -> receiver.accepted() == 1);
                Await.until("the row marked delivered", Duration.ofSeconds(30),
                        () -> Notifications.rows(db, "served").stream().allMatch(Notifications.Row::delivered));
                Receiver.Request request = receiver.requests().get(0);
                assertThat(request.signature()).isEqualTo(hmac(request.body(), SECRET));

                Await.until("the job's run recorded in /health", Duration.ofSeconds(30),
                        () -> get(node, "/health").contains("handoff.promotion-delivery"));
                String metrics = get(node, "/metrics");
                assertThat(metrics).contains("orchestrator_promotion_deliveries_total{destination=\"webhook\",outcome=\"delivered\"}")
                        .contains("orchestrator_promotion_deliveries_total{destination=\"webhook\",outcome=\"given_up\"}")
                        .contains("orchestrator_promotion_deliveries_pending");
            }
        }
    }

    private static long jobsStored(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM quartz.qrtz_job_details WHERE job_name = :name")
                .bind("name", PromotionModule.DELIVER).mapTo(Long.class).one());
    }

    private static String get(Node node, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
