package org.visutility.orchestrator.web;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.schedule.JobLiveness;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.Migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What GET /health reports: the database, the schema version, the Quartz scheduler, the runs
 * that look stuck (running, heartbeat stale) and of those the orphaned ones (node gone too), and
 * each cluster-wide job's last runs: {@code degraded} when one is overdue or its trigger in ERROR.
 */
public final class HealthCheck {
    private static final int QUERY_TIMEOUT_SECONDS = 3;

    private final Database database;
    private final Migrations migrations;
    private final Scheduler scheduler;
    private final Duration staleAfter;
    private final JobLiveness jobs;

    public HealthCheck(Database database, Migrations migrations, Scheduler scheduler, Duration staleAfter) {
        this.database = database;
        this.migrations = migrations;
        this.scheduler = scheduler;
        this.staleAfter = staleAfter;
        this.jobs = new JobLiveness(database.jdbi());
    }

    public Report check() {
        Map<String, Object> db = new LinkedHashMap<>();
        boolean dbUp;
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT current_setting('server_version')")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                db.put("status", "up");
                db.put("server_version", rs.getString(1));
            }
            db.put("schema_version", migrations.currentVersion().orElse(null));
            db.put("where", database.description());
            dbUp = true;
        } catch (SQLException | RuntimeException e) {
            db.put("status", "down");
            db.put("error", e.getMessage());
            dbUp = false;
        }

        Map<String, Object> sched = new LinkedHashMap<>();
        boolean schedUp;
        try {
            schedUp = scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
            sched.put("status", schedUp ? "up" : "down");
            sched.put("name", scheduler.getSchedulerName());
            sched.put("instance_id", scheduler.getSchedulerInstanceId());
            sched.put("clustered", scheduler.getMetaData().isJobStoreClustered());
        } catch (SchedulerException e) {
            schedUp = false;
            sched.put("status", "down");
            sched.put("error", e.getMessage());
        }

        Map<String, Object> runs = new LinkedHashMap<>();
        if (dbUp) {
            try {
                StuckRuns.Count c = database.jdbi().withHandle(h -> StuckRuns.count(h, staleAfter));
                runs.put("stuck", c.stuck());
                runs.put("orphaned", c.orphaned());
            } catch (RuntimeException e) {
                runs.put("error", e.getMessage());
            }
        }
        runs.put("stale_after", Durations.format(staleAfter));

        JobLiveness.Summary jobsNow = dbUp ? jobs.summary() : JobLiveness.Summary.UNKNOWN;

        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = dbUp && schedUp;
        body.put("status", !up ? "down" : jobsNow.onTime() ? "up" : "degraded");
        body.put("database", db);
        body.put("scheduler", sched);
        body.put("runs", runs);
        body.put("jobs", jobsNow.json());
        return new Report(up && jobsNow.onTime(), body);
    }

    /** {@code up}: the answer is 200; false (503) when the node is down or degraded. */
    public record Report(boolean up, Map<String, Object> body) {
    }
}
