package org.visutility.orchestrator.node;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import org.visutility.orchestrator.core.Json;

import java.util.function.Consumer;

/** The node's HTTP server (Javalin): health and Prometheus metrics; ingest and the dashboard plug in as routes. */
public final class HttpServer implements AutoCloseable {
    private final Javalin app;
    private final MetricsEndpoint metrics;

    private HttpServer(Javalin app, MetricsEndpoint metrics) {
        this.app = app;
        this.metrics = metrics;
    }

    public static HttpServer start(String host, int port, HealthCheck health, Consumer<Javalin> routes) {
        return start(host, port, health, cfg -> {
        }, routes);
    }

    /** As above, letting capabilities adjust the server's configuration (static files) before it is created. */
    public static HttpServer start(String host, int port, HealthCheck health, Consumer<JavalinConfig> configure,
                                   Consumer<Javalin> routes) {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.useVirtualThreads = false;
            configure.accept(cfg);
        });
        app.get("/health", ctx -> {
            HealthCheck.Report r = health.check();
            ctx.status(r.up() ? 200 : 503).json(r.body());
        });
        MetricsEndpoint metrics = new MetricsEndpoint();
        metrics.route(app);
        routes.accept(app);
        app.start(host, port);
        return new HttpServer(app, metrics);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        metrics.close();
    }
}
