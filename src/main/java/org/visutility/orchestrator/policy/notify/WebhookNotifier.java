package org.visutility.orchestrator.policy.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs each state change, each enqueued experiment and each decided retrain verification
 * (event retrain.verified; not_recovered ones carry {@code "suggestion": "rollback suggested"}) as JSON to a URL, on a thread of its own:
 * the evaluation only queues the message and goes on. A delivery that fails (an I/O error, the
 * timeout, 408, 429 or a 5xx answer) is retried with exponential back-off up to
 * {@code maxAttempts}; other 4xx answers are not retried. When {@code queueCapacity} messages
 * are waiting, new ones are dropped with a warning rather than held in memory without bound.
 */
public final class WebhookNotifier implements PolicyObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    public record Settings(URI url, Duration timeout, int maxAttempts, Duration firstBackoff, Duration maxBackoff, int queueCapacity) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        public static final int DEFAULT_MAX_ATTEMPTS = 5;
        public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(1);
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
        public static final int DEFAULT_QUEUE_CAPACITY = 1000;

        public static Settings defaults(URI url) {
            return new Settings(url, DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_QUEUE_CAPACITY);
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final ScheduledExecutorService executor;
    private final AtomicInteger waiting = new AtomicInteger();

    public WebhookNotifier(Settings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-webhook");
            t.setDaemon(true); // never keeps a stopping node alive
            return t;
        });
    }

    @Override
    public void stateChanged(StateChange c) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("event", "policy.state_changed");
        n.put("evaluation_id", c.evaluationId());
        n.put("policy", c.policy());
        n.put("policy_id", c.policyId());
        n.put("policy_version", c.policyVersion());
        n.put("model", c.model());
        n.put("model_id", c.modelId());
        n.put("from", c.from());
        n.put("to", c.to());
        n.put("at", c.at().toString());
        n.put("condition", c.condition());
        n.put("observed", c.observed());
        n.put("threshold", c.threshold());
        ArrayNode ids = n.putArray("evidence_snapshot_ids");
        c.evidenceSnapshotIds().forEach(ids::add);
        send(n.toString());
    }

    @Override
    public void experimentQueued(ExperimentQueued e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("event", "experiment.queued");
        n.put("experiment_id", e.experimentId());
        n.put("evaluation_id", e.evaluationId());
        n.put("policy", e.policy());
        n.put("policy_id", e.policyId());
        n.put("model", e.model());
        n.put("model_id", e.modelId());
        n.put("at", e.at().toString());
        send(n.toString());
    }

    @Override
    public void verificationDecided(VerificationDecided v) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("event", "retrain.verified");
        n.put("outcome", v.outcome());
        if (v.rollbackSuggested()) n.put("suggestion", VerificationDecided.ROLLBACK_SUGGESTED);
        n.put("experiment_id", v.experimentId());
        n.put("policy", v.policy());
        n.put("policy_id", v.policyId());
        n.put("policy_version", v.policyVersion());
        n.put("model", v.model());
        n.put("model_id", v.modelId());
        n.put("version", v.version());
        n.put("previous_version", v.previousVersion());
        n.put("metric", v.metric());
        n.put("observed", v.observed());
        n.put("baseline", v.baseline());
        n.put("threshold", v.threshold());
        n.put("sample_count", v.sampleCount());
        n.put("opened_at", v.openedAt().toString());
        n.put("decided_at", v.decidedAt().toString());
        n.put("reason", v.reason());
        n.set("evidence", v.evidence());
        send(n.toString());
    }

    private void send(String body) {
        if (waiting.incrementAndGet() > settings.queueCapacity()) {
            waiting.decrementAndGet();
            LOG.warn("Webhook {}: {} messages are waiting; dropping {}", settings.url(), settings.queueCapacity(), body);
            return;
        }
        try {
            executor.execute(() -> attempt(body, 1));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiting.decrementAndGet();
            LOG.warn("Webhook {} is closed; dropping {}", settings.url(), body);
        }
    }

    private void attempt(String body, int attempt) {
        String failure;
        boolean retryable;
        try {
            HttpRequest request = HttpRequest.newBuilder(settings.url())
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "visutility-orchestrator")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                waiting.decrementAndGet();
                return;
            }
            failure = "HTTP " + status;
            retryable = status == 408 || status == 429 || status >= 500;
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            retryable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiting.decrementAndGet();
            return;
        }
        if (retryable && attempt < settings.maxAttempts()) {
            Duration wait = backoff(attempt);
            LOG.debug("Webhook {} attempt {} failed ({}); retrying in {}", settings.url(), attempt, failure, wait);
            try {
                executor.schedule(() -> attempt(body, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                failure = failure + "; the notifier closed";
            }
        }
        waiting.decrementAndGet();
        LOG.warn("Webhook {} gave up after {} attempt(s) ({}): {}", settings.url(), attempt, failure, body);
    }

    private Duration backoff(int attempt) {
        Duration d = settings.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    /** How many messages are queued or being delivered (tests and shutdown wait for 0). */
    public int waiting() {
        return waiting.get();
    }

    /** Waits until every queued message has been delivered or given up, up to {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (waiting.get() > 0) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
