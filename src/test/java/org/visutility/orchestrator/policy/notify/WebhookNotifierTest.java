package org.visutility.orchestrator.policy.notify;

import org.visutility.orchestrator.support.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyFiles;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The webhook notifier against a real HTTP server on loopback. */
class WebhookNotifierTest {
    private static final Duration FAST_BACKOFF = Duration.ofMillis(20);

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** The status to answer the n-th request (1-based) with. */
    private volatile IntUnaryOperator answer = n -> 200;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hold;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            int n = requests.incrementAndGet();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (hold) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(answer.applyAsInt(n), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private WebhookNotifier notifier(Duration timeout, int attempts) {
        return new WebhookNotifier(new WebhookNotifier.Settings(url(), timeout, attempts, FAST_BACKOFF, FAST_BACKOFF.multipliedBy(4), 100));
    }

    private static StateChange change() {
        return new StateChange(7, 1, "churn-floor", 2, 3, "churn", "pending", "firing", Instant.parse("2026-01-01T00:30:00Z"),
                "mean(accuracy, 6h) below 0.85", 0.84, 0.85, List.of(11L, 12L));
    }

    @Test
    void postsEachStateChangeAsJson() throws Exception {
        try (WebhookNotifier n = notifier(Duration.ofSeconds(5), 3)) {
            n.stateChanged(change());
            n.experimentQueued(new ExperimentQueued(42, 7, 1, "churn-floor", 3, "churn", Instant.parse("2026-01-01T00:30:00Z")));
            assertThat(n.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(bodies).hasSize(2);
        JsonNode state = Json.MAPPER.readTree(bodies.get(0));
        assertThat(state.get("event").asText()).isEqualTo("policy.state_changed");
        assertThat(state.get("to").asText()).isEqualTo("firing");
        assertThat(state.get("observed").asDouble()).isEqualTo(0.84);
        assertThat(state.get("evidence_snapshot_ids")).hasSize(2);
        JsonNode experiment = Json.MAPPER.readTree(bodies.get(1));
        assertThat(experiment.get("event").asText()).isEqualTo("experiment.queued");
        assertThat(experiment.get("experiment_id").asLong()).isEqualTo(42);
    }

    @Test
    void retriesServerErrorsWithBackOffUntilDelivered() throws Exception {
        answer = n -> n < 3 ? 503 : 200;
        try (WebhookNotifier n = notifier(Duration.ofSeconds(5), 5)) {
            n.stateChanged(change());
            assertThat(n.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(requests.get()).isEqualTo(3);
        assertThat(bodies).containsOnly(bodies.get(0));
    }

    @Test
    void givesUpAfterTheLastAttemptAndDoesNotRetryAClientError() throws Exception {
        answer = n -> 500;
        try (WebhookNotifier n = notifier(Duration.ofSeconds(5), 3)) {
            n.stateChanged(change());
            assertThat(n.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(requests.get()).isEqualTo(3);

        requests.set(0);
        answer = n -> 400;
        try (WebhookNotifier n = notifier(Duration.ofSeconds(5), 3)) {
            n.stateChanged(change());
            assertThat(n.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsRetried() throws Exception {
        hold = true;
        answer = n -> 200;
        try (WebhookNotifier n = notifier(Duration.ofMillis(300), 5)) {
            n.stateChanged(change());
            Await.until("a second attempt after the first timed out", Duration.ofSeconds(30), () -> requests.get() >= 2);
            hold = false;
            release.countDown();
            assertThat(n.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void aHangingWebhookNeverBlocksEvaluation(@TempDir Path dir, TestInfo test) {
        hold = true; // the server takes every request and answers only when the test says so
        try (PolicyBed bed = new PolicyBed(test.getTestMethod().orElseThrow().getName(), dir);
             WebhookNotifier webhook = notifier(Duration.ofSeconds(60), 1)) {
            bed.history().model("churn").from(Instant.parse("2026-01-01T00:00:00Z")).values(0.5);
            bed.apply("""
                    policies:
                      - {name: floor, model: churn, when: {metric: accuracy, snapshots: 1, below: 0.85}, experiment: EXP}
                    """.replace("EXP", PolicyFiles.inlineExperiment("churn")));
            PolicyEvaluator evaluator = new PolicyEvaluator(bed.jdbi(), bed.sqlConditions, bed.clock, webhook);
            bed.clock.set(Instant.parse("2026-01-01T00:05:00Z"));

            // were delivery on the evaluation thread, this would wait for the held answer: the
            // server answers only after the pass has returned
            PolicyEvaluator.PassResult r = assertTimeoutPreemptively(Duration.ofSeconds(30), evaluator::evaluateOnce);

            assertThat(r.changes()).hasSize(1);
            assertThat(webhook.waiting()).isPositive();
            release.countDown();
        }
    }
}
