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
import org.visutility.orchestrator.outbox.DeliveryPolicy;
import org.visutility.orchestrator.outbox.NotDelivered;
import org.visutility.orchestrator.outbox.OutboxDelivery;
import org.visutility.orchestrator.outbox.OutboxMetrics;
import org.visutility.orchestrator.outbox.Pass;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the outbox's events to this node's destinations, at least once: the shared delivery
 * ({@link OutboxDelivery}: lease, backoff, give-up) claims due events, and this reads each
 * experiment from lineage.experiment_lineage and sends through the openlineage-java client. Runs
 * never wait for it: it works off the committed outbox, from the clustered delivery job and when a
 * node stops. In GET /metrics: {@code orchestrator_openlineage_events_total{outcome}} and
 * {@code orchestrator_openlineage_events_pending}.
 */
public final class OpenLineageDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageDelivery.class);
    static final String EVENTS = "orchestrator.openlineage.events";
    static final String PENDING = "orchestrator.openlineage.events.pending";

    private final OpenLineageOutbox outbox;
    private final Jdbi jdbi;
    private final RunEvents events;
    private final Map<String, OpenLineageClient> clients;
    private final String node;
    private final OutboxMetrics metrics;
    private final OutboxDelivery<OutboxEvent> delivery;

    OpenLineageDelivery(Jdbi jdbi, String namespace, Map<String, OpenLineageClient> clients, String node, DeliveryPolicy policy) {
        this.jdbi = jdbi;
        this.outbox = new OpenLineageOutbox(jdbi);
        this.events = new RunEvents(namespace);
        this.clients = Map.copyOf(clients);
        this.node = node;
        this.metrics = new OutboxMetrics(EVENTS, "OpenLineage event sends on this node, by outcome (a given-up event also counts as failed)",
                PENDING, "OpenLineage events waiting in the outbox (not delivered, not given up)", null, this.clients.keySet(),
                outbox::pending);
        this.delivery = new OutboxDelivery<>(outbox.forNode(this.clients.keySet(), node), this::send, policy, metrics);
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
     * nothing is due, a claim's events all failed, or the pass has run {@link OutboxDelivery#PASS_BUDGET}.
     */
    Pass deliverDue() {
        return delivery.deliverDue();
    }

    Pass deliverUntil(Instant deadline) {
        return delivery.deliverUntil(deadline);
    }

    private void send(OutboxEvent e) throws NotDelivered {
        MDC.put("experiment", Long.toString(e.experimentId()));
        try {
            Optional<ExperimentFacts> facts = jdbi.withHandle(h -> ExperimentFacts.find(h, e.experimentId()));
            if (facts.isEmpty()) throw new NotDelivered("no experiment " + e.experimentId() + " in lineage.experiment_lineage");
            OpenLineage.RunEvent event = events.build(e.type(), facts.get());
            clients.get(e.destination()).emit(event);
        } finally {
            MDC.remove("experiment");
        }
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
}
