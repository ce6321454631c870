package org.visutility.orchestrator.node;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.schedule.QuartzSchedulerFactory;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One running service node: the database (migrated), the clustered Quartz scheduler and the
 * HTTP server. Capabilities hook in through {@link Module}s; closing stops them in reverse order.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final Database database;
    private final Scheduler scheduler;
    private final HttpServer http;
    private final NodeContext context;
    private final List<Module> modules;
    private boolean closed;

    private Node(Database database, Scheduler scheduler, HttpServer http, NodeContext context, List<Module> modules) {
        this.database = database;
        this.scheduler = scheduler;
        this.http = http;
        this.context = context;
        this.modules = List.copyOf(modules);
    }

    public static Node start(OrchestratorConfig config, List<Module> modules) {
        Database database = DatabaseConnector.open(config);
        return start(config, database, modules);
    }

    /** Starts on an already open database (the node closes it). */
    public static Node start(OrchestratorConfig config, Database database, List<Module> modules) {
        Scheduler scheduler = null;
        try {
            LOG.info("Database: {}", database.description());
            Migrations migrations = new Migrations(database.dataSource());
            int applied = migrations.migrate();
            LOG.info("Schema at version {} ({} migrations applied now)", migrations.currentVersion().orElse("none"), applied);

            JobRegistry jobs = new JobRegistry();
            scheduler = QuartzSchedulerFactory.create(database.dataSource(), config, jobs);
            NodeContext context = new NodeContext(config, database, scheduler);
            for (Module m : modules) m.registerJobs(context, jobs);
            scheduler.start();
            for (Module m : modules) m.started(context);
            LOG.info("Quartz scheduler {} started as instance {} (clustered)", scheduler.getSchedulerName(),
                    scheduler.getSchedulerInstanceId());

            Consumer<Javalin> routes = app -> modules.forEach(m -> m.routes(context, app));
            Consumer<JavalinConfig> httpConfig = cfg -> modules.forEach(m -> m.configureHttp(context, cfg));
            HttpServer http = HttpServer.start(config.httpHost(), config.httpPort(),
                    new HealthCheck(database, migrations, scheduler, healthSections(context, modules)), httpConfig, routes);
            LOG.info("HTTP server listening on {}:{}", config.httpHost(), http.port());
            return new Node(database, scheduler, http, context, modules);
        } catch (Exception e) {
            shutdownQuietly(scheduler);
            database.close();
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static List<HealthSection> healthSections(NodeContext context, List<Module> modules) {
        List<HealthSection> sections = new ArrayList<>();
        for (Module m : modules) sections.addAll(m.healthSections(context));
        return sections;
    }

    public Database database() {
        return database;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public int httpPort() {
        return http.port();
    }

    /** The routes the node's HTTP server registered. */
    public List<HttpServer.Route> httpRoutes() {
        return http.routes();
    }

    /** Stops the HTTP server, then the scheduler (waiting for running jobs), then the database. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        LOG.info("Shutting down");
        try {
            http.close();
        } catch (RuntimeException e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.getMessage());
        }
        eachModuleInReverse(m -> m.stopping(context));
        shutdownQuietly(scheduler);
        eachModuleInReverse(m -> m.stopped(context));
        database.close();
        LOG.info("Stopped");
    }

    private void eachModuleInReverse(Consumer<Module> step) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            try {
                step.accept(modules.get(i));
            } catch (RuntimeException e) {
                LOG.warn("A module did not stop cleanly: {}", e.getMessage());
            }
        }
    }

    private static void shutdownQuietly(Scheduler scheduler) {
        if (scheduler == null) return;
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("Scheduler did not stop cleanly: {}", e.getMessage());
        }
    }
}
