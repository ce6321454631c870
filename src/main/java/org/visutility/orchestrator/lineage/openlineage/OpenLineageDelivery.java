package org.visutility.orchestrator.lineage.openlineage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.config.OpenLineageSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the outbox's events to this node's destinations, at least once: claims due events
 * under a lease, reads each experiment from lineage.experiment_lineage, sends through the
 * openlineage-java client, and records delivered or failed (with an exponential backoff, given
 * up after {@link DeliveryPolicy#giveUpAfter}). Runs never wait for it: it works off the
 * committed outbox, from the clustered delivery job and when a node stops.
 */
public final class OpenLineageDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageDelivery.class);
    /** One pass hands its Quartz thread back after this long, even with events still due. */
    private static final Duration PASS_BUDGET = Duration.ofMinutes(1);

    /** What one pass did. */
    record Pass(int delivered, int failed, int givenUp) {
        Pass plus(Pass other) {
            return new Pass(delivered + other.delivered, failed + other.failed, givenUp + other.givenUp);
        }
    }

    private final OpenLineageOutbox outbox;
    private final Jdbi jdbi;
    private final RunEvents events;
    private final Map<String, OpenLineageClient> clients;
    private final String node;
    private final DeliveryPolicy policy;
    private final OpenLineageMetrics metrics;

    OpenLineageDelivery(Jdbi jdbi, String namespace, Map<String, OpenLineageClient> clients, String node, DeliveryPolicy policy) {
        this.jdbi = jdbi;
        this.outbox = new OpenLineageOutbox(jdbi);
        this.events = new RunEvents(namespace);
        this.clients = Map.copyOf(clients);
        this.node = node;
        this.policy = policy;
        this.metrics = new OpenLineageMetrics(outbox);
    }

    /** The delivery the settings ask for, or empty when neither openlineage_url nor openlineage_file is set. */
    public static Optional<OpenLineageDelivery> create(OpenLineageSettings settings, Jdbi jdbi, String node) {
        if (!settings.enabled()) return Optional.empty();
        return Optional.of(new OpenLineageDelivery(jdbi, settings.namespace(), clients(settings), node,
                DeliveryPolicy.forTimeout(settings.timeout())));
    }

    /** One client per destination, keyed by the destination's name in the outbox (the URL, or the file's URI). */
    static Map<String, OpenLineageClient> clients(OpenLineageSettings settings) {
        Map<String, OpenLineageClient> clients = new LinkedHashMap<>();
        settings.url().ifPresent(url -> {
            HttpConfig http = new HttpConfig();
            http.setUrl(url);
            http.setTimeoutInMillis(Math.toIntExact(settings.timeout().toMillis()));
            settings.apiKey().ifPresent(key -> {
                ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
                auth.setApiKey(key);
                http.setAuth(auth);
            });
            clients.put(url.toString(), client(new HttpTransport(http)));
        });
        settings.file().ifPresent(file -> clients.put(file.toAbsolutePath().toUri().toString(),
                client(new FileTransport(new FileConfig(file.toString())))));
        return clients;
    }

    /** A client with meters of its own: the library's shared registry warns when a second client registers its gauge. */
    private static OpenLineageClient client(Transport transport) {
        return OpenLineageClient.builder().transport(transport).meterRegistry(new SimpleMeterRegistry()).build();
    }

    /**
     * Makes this node's destinations the ones the database enqueues events for ({@code alone}: the
     * destinations of other nodes' settings are dropped), or adds them to those.
     */
    void register(boolean alone) {
        if (alone) {
            outbox.register(clients.keySet(), node);
        } else {
            outbox.add(clients.keySet(), node);
        }
        LOG.info("OpenLineage export of experiment runs to {} (delivered from orchestrator.openlineage_outbox)",
                String.join(" and ", clients.keySet()));
    }

    /**
     * Sends what is due, claim after claim (an end event becomes due once its START is out), until
     * nothing is due, a claim's events all failed, or the pass has run {@link #PASS_BUDGET}.
     */
    Pass deliverDue() {
        return deliverUntil(Instant.now().plus(PASS_BUDGET));
    }

    Pass deliverUntil(Instant deadline) {
        Pass total = new Pass(0, 0, 0);
        while (Instant.now().isBefore(deadline)) {
            List<OutboxEvent> claimed = outbox.claim(clients.keySet(), node, policy.batch(), policy.lease());
            if (claimed.isEmpty()) break;
            Pass pass = new Pass(0, 0, 0);
            for (OutboxEvent event : claimed) {
                if (Instant.now().isBefore(deadline)) pass = pass.plus(send(event));
                else outbox.release(event);
            }
            total = total.plus(pass);
            if (pass.delivered() == 0) break;
        }
        return total;
    }

    private Pass send(OutboxEvent e) {
        MDC.put("experiment", Long.toString(e.experimentId()));
        try {
            Optional<ExperimentFacts> facts = jdbi.withHandle(h -> ExperimentFacts.find(h, e.experimentId()));
            if (facts.isEmpty()) return failed(e, "no experiment " + e.experimentId() + " in lineage.experiment_lineage");
            OpenLineage.RunEvent event = events.build(e.type(), facts.get());
            clients.get(e.destination()).emit(event);
            outbox.delivered(e);
            metrics.delivered();
            LOG.debug("OpenLineage {} of experiment {} delivered to {}", e.type(), e.experimentId(), e.destination());
            return new Pass(1, 0, 0);
        } catch (RuntimeException ex) {
            return failed(e, rootMessage(ex));
        } finally {
            MDC.remove("experiment");
        }
    }

    private Pass failed(OutboxEvent e, String error) {
        Duration backoff = policy.backoff(e.attempt());
        boolean gaveUp = outbox.failed(e, error, backoff, policy.giveUpAfter());
        metrics.failed(gaveUp);
        if (gaveUp) {
            LOG.error("OpenLineage {} of experiment {} to {} given up after {} attempts: {}", e.type(), e.experimentId(),
                    e.destination(), e.attempt(), error);
            return new Pass(0, 1, 1);
        }
        LOG.warn("OpenLineage {} of experiment {} to {} failed (attempt {}, next in {}): {}", e.type(), e.experimentId(),
                e.destination(), e.attempt(), backoff, error);
        return new Pass(0, 1, 0);
    }

    /** Closes the clients and removes the gauge. */
    @Override
    public void close() {
        metrics.close();
        for (OpenLineageClient client : clients.values()) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.debug("OpenLineage client did not close cleanly: {}", e.getMessage());
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
