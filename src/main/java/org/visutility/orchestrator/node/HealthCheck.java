package org.visutility.orchestrator.node;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.visutility.orchestrator.schedule.JobLiveness;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.Migrations;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What GET /health reports: the database, the schema version, the Quartz scheduler, the
 * sections the capabilities add (the runs that look stuck, for one), and each cluster-wide
 * job's last runs: {@code degraded} when one is overdue or its trigger in ERROR, or when a section
 * says so (a SQL collector failing run after run).
 */
public final class HealthCheck {
    private static final int QUERY_TIMEOUT_SECONDS = 3;
    private static final String SERVER_VERSION = SqlFiles.load(HealthCheck.class, "ServerVersion");

    private final Database database;
    private final Migrations migrations;
    private final Scheduler scheduler;
    private final List<HealthSection> sections;
    private final JobLiveness jobs;

    public HealthCheck(Database database, Migrations migrations, Scheduler scheduler, List<HealthSection> sections) {
        this.database = database;
        this.migrations = migrations;
        this.scheduler = scheduler;
        this.sections = List.copyOf(sections);
        this.jobs = new JobLiveness(database.jdbi());
    }

    public Report check() {
        Map<String, Object> db = new LinkedHashMap<>();
        boolean dbUp;
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(SERVER_VERSION)) {
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


        JobLiveness.Summary jobsNow = dbUp ? jobs.summary() : JobLiveness.Summary.UNKNOWN;

        Map<String, Object> body = new LinkedHashMap<>();
        boolean up = dbUp && schedUp;
        body.put("status", "down");
        body.put("database", db);
        body.put("scheduler", sched);
        boolean sectionsDegrade = false;
        if (dbUp) {
            for (HealthSection section : sections) {
                Map<String, Object> report = section.report();
                body.put(section.name(), report);
                sectionsDegrade |= section.degrades(report);
            }
        }
        body.put("jobs", jobsNow.json());
        boolean healthy = jobsNow.onTime() && !sectionsDegrade;
        body.put("status", !up ? "down" : healthy ? "up" : "degraded");
        return new Report(up && healthy, body);
    }

    /** {@code up}: the answer is 200; false (503) when the node is down or degraded. */
    public record Report(boolean up, Map<String, Object> body) {
    }
}
