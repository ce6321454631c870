package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.node.HealthSection;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import io.javalin.Javalin;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.schedule.JobRegistry;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Metric collection in a serving node: POST /api/v1/snapshots and /api/v1/distributions, the SQL collectors' Quartz jobs, their
 * section of GET /health and their gauges in GET /metrics.
 * Other capabilities listen to committed batches through {@link #listeners()}.
 */
public final class CollectModule implements Module {
    private final IngestListeners listeners;
    private SnapshotIngest ingest;
    private DistributionIngest distributions;
    private CollectorGauges gauges;

    public CollectModule() {
        this(new IngestListeners());
    }

    public CollectModule(IngestListeners listeners) {
        this.listeners = listeners;
    }

    public IngestListeners listeners() {
        return listeners;
    }

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        ingest = new SnapshotIngest(context.database().jdbi(), context.config().ingest(), listeners);
        distributions = new DistributionIngest(context.database().jdbi(), context.config().ingest());
        SqlCollector collector = new SqlCollector(ingest, distributions, context.database().jdbi());
        Map<String, SqlCollectorSetting> settings = context.config().ingest().collectors().stream()
                .collect(Collectors.toUnmodifiableMap(SqlCollectorSetting::name, Function.identity()));
        jobs.register(SqlCollectorJob.class, () -> new SqlCollectorJob(collector, settings));
    }

    @Override
    public List<HealthSection> healthSections(NodeContext context) {
        if (context.config().ingest().collectors().isEmpty()) return List.of();
        return List.of(new CollectorsHealth(runStates(context), context.config().ingest().collectorDegradedAfter()));
    }

    @Override
    public void started(NodeContext context) throws Exception {
        SqlCollectorSchedule.apply(context.scheduler(), context.config().ingest().collectors());
        gauges = new CollectorGauges(runStates(context));
    }

    @Override
    public void stopped(NodeContext context) {
        if (gauges != null) gauges.close();
    }

    private static CollectorRunStates runStates(NodeContext context) {
        return new CollectorRunStates(context.database().jdbi(),
                context.config().ingest().collectors().stream().map(SqlCollectorSetting::name).toList());
    }

    @Override
    public void routes(NodeContext context, Javalin app) {
        IngestAuthenticator tokens = IngestAuthenticator.of(context.config().ingestApiTokens());
        app.post(SnapshotIngestRoute.PATH, new SnapshotIngestRoute(ingest, tokens));
        app.post(DistributionIngestRoute.PATH, new DistributionIngestRoute(distributions, tokens));
    }
}
