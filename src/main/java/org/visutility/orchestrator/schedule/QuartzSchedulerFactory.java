package org.visutility.orchestrator.schedule;

import org.jdbi.v3.core.Jdbi;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.visutility.orchestrator.config.OrchestratorConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

/**
 * Builds this node's Quartz scheduler: JDBC job store on the orchestrator's database (tables in
 * schema quartz), clustered, instance id AUTO, so every node of one database is one cluster.
 */
public final class QuartzSchedulerFactory {
    /** The cluster's name (quartz.qrtz_*.sched_name); every node must use the same. */
    public static final String SCHEDULER_NAME = "orchestrator";
    public static final String TABLE_PREFIX = "quartz.qrtz_";
    /**
     * How long an idle node waits before it looks for triggers again. A node only hears of triggers
     * it scheduled itself; those another node's dispatcher scheduled (experiment launches) it finds
     * at this poll. Quartz's default (30 s) leaves idle nodes idle while a busy one queues launches;
     * 5 s is the lowest Quartz recommends.
     */
    static final long IDLE_WAIT_MS = 5_000;

    private QuartzSchedulerFactory() {
    }

    public static Scheduler create(DataSource dataSource, OrchestratorConfig config, JobRegistry jobs) {
        // Quartz looks data sources up by name in a JVM-wide registry; a unique name keeps
        // schedulers of different databases in one JVM (tests) apart.
        String dataSourceName = "orchestrator-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnectionProvider(dataSource));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.interruptJobsOnShutdownWithWait", "false");
        p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(IDLE_WAIT_MS));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(config.schedulerThreads()));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", TABLE_PREFIX);
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(config.clusterCheckinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            Scheduler scheduler = factory.getScheduler();
            scheduler.setJobFactory(jobs);
            // on every node, the short-lived ones of commands too: a run counts wherever it ran
            scheduler.getListenerManager().addJobListener(new JobRunRecorder(Jdbi.create(dataSource)));
            return scheduler;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Hands Quartz connections from the orchestrator's pool. */
    private record PooledConnectionProvider(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the node, which closes it after the scheduler
        }

        @Override
        public void initialize() {
        }
    }
}
