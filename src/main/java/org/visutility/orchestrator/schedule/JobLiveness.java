package org.visutility.orchestrator.schedule;

import org.jdbi.v3.core.Jdbi;
import org.quartz.CronExpression;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Reads, for every cluster-wide recurring Quartz job, its trigger and its last runs (whichever node
 * ran them, from orchestrator.job_run) and judges it: overdue when the run due after its last
 * success (or after it was scheduled, if later) is three intervals late, in error when its trigger
 * is in ERROR. Times are compared on the database's clock, which wrote the runs.
 */
public final class JobLiveness {
    /** GET /health and the metrics must answer even when the database is slow. */
    private static final int QUERY_TIMEOUT_SECONDS = 3;
    private static final String READ = SqlFiles.load(JobLiveness.class, "JobLiveness");

    private final Jdbi jdbi;

    public JobLiveness(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The jobs section of GET /health: whether every job is on time, and each job's verdict with its evidence. */
    public record Summary(boolean onTime, Map<String, Object> json) {
        /** The database is away: nothing can be said about the jobs (the database's own status says down). */
        public static final Summary UNKNOWN = new Summary(true, Map.of());
    }

    public Summary summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        try {
            List<JobStatus> each = read();
            List<String> overdue = each.stream().filter(j -> !j.ok()).map(JobStatus::job).toList();
            json.put("status", overdue.isEmpty() ? "up" : "degraded");
            json.put("overdue", overdue);
            json.put("list", each.stream().map(JobStatus::toJson).toList());
            return new Summary(overdue.isEmpty(), json);
        } catch (RuntimeException e) {
            json.put("error", e.getMessage());
            return new Summary(true, json);
        }
    }

    public List<JobStatus> read() {
        return jdbi.withHandle(h -> h.createQuery(READ).setQueryTimeout(QUERY_TIMEOUT_SECONDS)
                .bind("scheduler", QuartzSchedulerFactory.SCHEDULER_NAME)
                .map((rs, ctx) -> judge(rs.getString("job"), trigger(rs), runs(rs), instant(rs, "now").orElseThrow()))
                .list());
    }

    /** The verdict on one job at {@code now}. */
    static JobStatus judge(String job, Optional<JobTrigger> trigger, JobRuns runs, Instant now) {
        if (trigger.isEmpty()) {
            return new JobStatus(job, JobStatus.Verdict.UNSCHEDULED, Optional.empty(), Optional.empty(), Optional.empty(),
                    runs, Optional.empty());
        }
        JobTrigger t = trigger.get();
        Instant since = runs.lastSuccessAt().filter(s -> s.isAfter(t.scheduledAt())).orElse(t.scheduledAt());
        Optional<Instant> overdueAt = t.overdueAt(since);
        JobStatus.Verdict verdict = JobTrigger.ERROR.equals(t.state()) ? JobStatus.Verdict.ERROR
                : overdueAt.filter(now::isAfter).isPresent() ? JobStatus.Verdict.OVERDUE : JobStatus.Verdict.OK;
        return new JobStatus(job, verdict, Optional.of(t.state()), t.interval(now),
                t.cron().map(CronExpression::getCronExpression), runs, overdueAt);
    }

    private static Optional<JobTrigger> trigger(ResultSet rs) throws SQLException {
        String state = rs.getString("trigger_state");
        if (state == null) return Optional.empty();
        Instant scheduledAt = Instant.ofEpochMilli(rs.getLong("start_time"));
        long repeatMs = rs.getLong("repeat_interval");
        Optional<Duration> repeat = rs.wasNull() || repeatMs <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis(repeatMs));
        return Optional.of(new JobTrigger(state, scheduledAt, repeat,
                cron(rs.getString("cron_expression"), rs.getString("time_zone_id"))));
    }

    private static Optional<CronExpression> cron(String expression, String zone) {
        if (expression == null) return Optional.empty();
        try {
            CronExpression cron = new CronExpression(expression);
            if (zone != null) cron.setTimeZone(TimeZone.getTimeZone(zone));
            return Optional.of(cron);
        } catch (ParseException e) {
            return Optional.empty(); // Quartz parsed it when it stored it; should it not parse here, no deadline is known
        }
    }

    private static JobRuns runs(ResultSet rs) throws SQLException {
        return new JobRuns(instant(rs, "last_success_at"), Optional.ofNullable(rs.getString("last_success_node")),
                instant(rs, "last_failure_at"), Optional.ofNullable(rs.getString("last_failure_node")),
                Optional.ofNullable(rs.getString("last_error")));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
