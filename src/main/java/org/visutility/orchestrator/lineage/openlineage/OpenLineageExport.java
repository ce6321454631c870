package org.visutility.orchestrator.lineage.openlineage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
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
import org.visutility.orchestrator.experiment.ExperimentObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends OpenLineage run events for experiments (START when a run is prepared, COMPLETE, FAIL or
 * ABORT when it ends) to an HTTP endpoint and/or a file, through the openlineage-java client. An
 * experiment observer that never holds up a run: events queue for one background thread, which
 * reads the experiment from lineage.experiment_lineage and sends with the configured timeout; a
 * failure is logged and counted, never thrown back, and a full queue drops the event.
 */
public final class OpenLineageExport implements ExperimentObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageExport.class);
    /** Events waiting to be sent; beyond this they are dropped (an endpoint that is down must not fill the heap). */
    static final int MAX_QUEUED = 1000;

    private final Jdbi jdbi;
    private final RunEvents events;
    private final List<OpenLineageClient> clients;
    private final ThreadPoolExecutor sender;
    private final long closeWaitMillis;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private OpenLineageExport(Jdbi jdbi, OpenLineageSettings settings, List<OpenLineageClient> clients) {
        this.jdbi = jdbi;
        this.events = new RunEvents(settings.namespace());
        this.clients = List.copyOf(clients);
        // on close, what is queued gets two timeouts to go out; the rest is dropped
        this.closeWaitMillis = settings.timeout().multipliedBy(2).toMillis();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "openlineage-export");
            t.setDaemon(true);
            return t;
        }, (task, pool) -> {
            dropped.incrementAndGet();
            LOG.warn("OpenLineage export: an event is dropped ({} waiting already, or the export is closing)", MAX_QUEUED);
        });
    }

    /** The export the settings ask for, or empty when neither openlineage_url nor openlineage_file is set. */
    public static Optional<OpenLineageExport> start(OpenLineageSettings settings, Jdbi jdbi) {
        if (!settings.enabled()) return Optional.empty();
        List<OpenLineageClient> clients = new ArrayList<>();
        settings.url().ifPresent(url -> {
            HttpConfig http = new HttpConfig();
            http.setUrl(url);
            http.setTimeoutInMillis(Math.toIntExact(settings.timeout().toMillis()));
            settings.apiKey().ifPresent(key -> {
                ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
                auth.setApiKey(key);
                http.setAuth(auth);
            });
            clients.add(client(new HttpTransport(http)));
        });
        settings.file().ifPresent(file -> clients.add(client(new FileTransport(new FileConfig(file.toString())))));
        LOG.info("OpenLineage export of experiment runs to {}{}", settings.url().map(Object::toString).orElse(""),
                settings.file().map(f -> (settings.url().isPresent() ? " and " : "") + f).orElse(""));
        return Optional.of(new OpenLineageExport(jdbi, settings, clients));
    }

    /** A client with meters of its own: the library's shared registry warns when a second client registers its gauge. */
    private static OpenLineageClient client(Transport transport) {
        return OpenLineageClient.builder().transport(transport).meterRegistry(new SimpleMeterRegistry()).build();
    }

    @Override
    public void experimentStarted(long experimentId) {
        queue(experimentId, EventType.START);
    }

    @Override
    public void experimentEnded(long experimentId, String status) {
        queue(experimentId, RunEvents.typeOf(status));
    }

    private void queue(long experimentId, EventType type) {
        if (sender.isShutdown()) {
            dropped.incrementAndGet();
            LOG.debug("OpenLineage export closed; {} of experiment {} not sent", type, experimentId);
            return;
        }
        sender.execute(() -> send(experimentId, type));
    }

    private void send(long experimentId, EventType type) {
        MDC.put("experiment", Long.toString(experimentId));
        try {
            Optional<ExperimentFacts> facts = jdbi.withHandle(h -> ExperimentFacts.find(h, experimentId));
            if (facts.isEmpty()) {
                LOG.warn("OpenLineage export: no experiment {}; {} not sent", experimentId, type);
                failed.incrementAndGet();
                return;
            }
            OpenLineage.RunEvent event = events.build(type, facts.get());
            for (OpenLineageClient client : clients) {
                try {
                    client.emit(event);
                    sent.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    LOG.warn("OpenLineage export: {} of experiment {} could not be sent: {}", type, experimentId, rootMessage(e));
                }
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("OpenLineage export: {} of experiment {} could not be built: {}", type, experimentId, rootMessage(e));
        } finally {
            MDC.remove("experiment");
        }
    }

    /** Events sent (one per destination), failed, and dropped (queue full or closed). */
    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Sends what is queued, waiting a bounded time, then closes the clients. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(closeWaitMillis, TimeUnit.MILLISECONDS)) {
                int left = sender.shutdownNow().size();
                dropped.addAndGet(left);
                LOG.warn("OpenLineage export: {} events not sent at shutdown", left);
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (OpenLineageClient client : clients) {
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
