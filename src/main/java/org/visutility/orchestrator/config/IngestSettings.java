package org.visutility.orchestrator.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The validated settings of metric collection.
 *
 * @param registerUnknown      register unknown models and versions on first sight; false rejects their snapshots
 * @param extraBoundedMetrics  metric names that must lie within [0, 1] besides the built-in ones
 * @param collectors           the SQL collectors this node schedules
 * @param maxAge               how long ago a snapshot may have been observed
 * @param maxNewPartitions     how many monthly partitions one batch may create
 * @param collectorDegradedAfter how many failed runs in a row of one SQL collector make GET /health say degraded
 * @param maxHistogramBins     how many bins (or categorical values) one distribution histogram may hold
 */
public record IngestSettings(boolean registerUnknown, Set<String> extraBoundedMetrics, List<SqlCollectorSetting> collectors,
                             Duration maxAge, int maxNewPartitions, int collectorDegradedAfter, int maxHistogramBins) {
    /** The default of max_histogram_bins. */
    public static final int DEFAULT_MAX_HISTOGRAM_BINS = 100;
    /** The ceiling of max_histogram_bins: the CHECK on the histogram tables' counts. */
    public static final int HISTOGRAM_BINS_CEILING = 10_000;

    public IngestSettings {
        extraBoundedMetrics = Set.copyOf(extraBoundedMetrics);
        collectors = List.copyOf(collectors);
    }

    /** Settings with the default bound on histogram bins. */
    public IngestSettings(boolean registerUnknown, Set<String> extraBoundedMetrics, List<SqlCollectorSetting> collectors,
                          Duration maxAge, int maxNewPartitions, int collectorDegradedAfter) {
        this(registerUnknown, extraBoundedMetrics, collectors, maxAge, maxNewPartitions, collectorDegradedAfter, DEFAULT_MAX_HISTOGRAM_BINS);
    }
}
