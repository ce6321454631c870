package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.collect.DistributionIngest;
import org.visutility.orchestrator.collect.IngestListeners;
import org.visutility.orchestrator.collect.SnapshotIngest;
import org.visutility.orchestrator.config.IngestSettings;
import org.visutility.orchestrator.config.OrchestratorConfig;

import java.time.Instant;

/**
 * One scratch database of {@code bench lineage} and the writers that build its history through the
 * real write paths: snapshots over the ingest path, histograms, experiments through the engine and
 * policies through their passes.
 */
final class LineageHistory implements AutoCloseable {
    final ScratchDatabase scratch;
    final SnapshotHistory snapshots;
    final DriftHistory drift;
    final ExperimentHistory experiments;
    final PolicyHistory policies;

    /** {@code newest}: the hour the newest snapshots are stamped with (the same for every history of a run). */
    LineageHistory(ScratchDatabase scratch, OrchestratorConfig config, int models, int trialsPerExperiment, Instant newest) {
        this.scratch = scratch;
        IngestSettings s = config.ingest();
        SnapshotIngest ingest = new SnapshotIngest(scratch.jdbi(),
                new IngestSettings(true, s.extraBoundedMetrics(), java.util.List.of(), s.maxAge(), s.maxNewPartitions(), s.collectorDegradedAfter()),
                new IngestListeners());
        this.snapshots = new SnapshotHistory(ingest, newest, models);
        this.drift = new DriftHistory(scratch.jdbi(), new DistributionIngest(scratch.jdbi(), new IngestSettings(true, s.extraBoundedMetrics(),
                java.util.List.of(), s.maxAge(), s.maxNewPartitions(), s.collectorDegradedAfter(), s.maxHistogramBins())),
                newest, PolicyHistory.policyModels(models));
        this.experiments = new ExperimentHistory(scratch, config, models, trialsPerExperiment);
        this.policies = new PolicyHistory(scratch, config, ExperimentHistory.readSpec(), PolicyHistory.policyModels(models));
    }

    @Override
    public void close() {
        policies.close();
    }
}
