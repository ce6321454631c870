package org.visutility.orchestrator.schedule;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * GET /metrics for each cluster-wide job, the same on every node (read from the database):
 * {@code orchestrator_job_last_success_timestamp_seconds{job}} (NaN before its first success),
 * {@code orchestrator_job_interval_seconds{job}} and {@code orchestrator_job_overdue{job}} (1 when
 * GET /health counts it against the node: overdue, trigger in ERROR, or unscheduled). The jobs come
 * and go with the configuration (SQL collectors), so the rows are read again every {@link #EVERY}.
 */
public final class JobLivenessGauges implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JobLivenessGauges.class);

    private final JobLiveness liveness;
    private final MultiGauge lastSuccess = MultiGauge.builder("orchestrator.job.last.success.timestamp.seconds")
            .description("When the cluster-wide job last ran without error, on any node (Unix time; NaN before its first success)")
            .register(Metrics.globalRegistry);
    private final MultiGauge interval = MultiGauge.builder("orchestrator.job.interval.seconds")
            .description("The cluster-wide job's interval (its trigger's repeat interval, or the gap between its cron fire times)")
            .register(Metrics.globalRegistry);
    private final MultiGauge overdue = MultiGauge.builder("orchestrator.job.overdue")
            .description("1 when the cluster-wide job is overdue by three intervals, its trigger is in ERROR or it has none (GET /health: degraded)")
            .register(Metrics.globalRegistry);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-liveness-gauges");
        t.setDaemon(true);
        return t;
    });

    public JobLivenessGauges(JobLiveness liveness) {
        this.liveness = liveness;
        refresher.scheduleWithFixedDelay(this::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            List<JobStatus> jobs = liveness.read();
            lastSuccess.register(rows(jobs, j -> j.runs().lastSuccessAt().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN)), true);
            interval.register(rows(jobs, j -> j.interval().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN)), true);
            overdue.register(rows(jobs, j -> j.ok() ? 0.0 : 1.0), true);
        } catch (RuntimeException e) {
            // the database is away: the gauges keep their last values; /health says the database is down
            LOG.debug("Could not read the jobs' liveness: {}", e.getMessage());
        }
    }

    private static List<MultiGauge.Row<?>> rows(List<JobStatus> jobs, Function<JobStatus, Double> value) {
        return jobs.stream().<MultiGauge.Row<?>>map(j -> MultiGauge.Row.of(Tags.of("job", j.job()), value.apply(j))).toList();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        lastSuccess.register(List.of(), true);
        interval.register(List.of(), true);
        overdue.register(List.of(), true);
    }
}
