package org.visutility.orchestrator.node;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The node's HTTP server (Javalin): health and Prometheus metrics; ingest and the dashboard plug in as routes. */
public final class HttpServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpServer.class);
    /** Where the OpenAPI description of the /api/v1 routes is served, from a resource beside this class. */
    public static final String OPENAPI_PATH = "/api/v1/openapi.json";
    private static final String OPENAPI_RESOURCE = "openapi.json";

    /** One registered route: its method (GET, POST) and path ({id} style parameters). */
    public record Route(String method, String path) {
    }

    private final Javalin app;
    private final MetricsEndpoint metrics;
    private final List<Route> routes;

    private HttpServer(Javalin app, MetricsEndpoint metrics, List<Route> routes) {
        this.app = app;
        this.metrics = metrics;
        this.routes = routes;
    }

    public static HttpServer start(String host, int port, HealthCheck health, Consumer<Javalin> routes) {
        return start(host, port, health, cfg -> {
        }, routes);
    }

    /** As above, letting capabilities adjust the server's configuration (static files) before it is created. */
    public static HttpServer start(String host, int port, HealthCheck health, Consumer<JavalinConfig> configure,
                                   Consumer<Javalin> routes) {
        List<Route> registered = new CopyOnWriteArrayList<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) registered.add(new Route(h.getHttpMethod().name(), h.getPath()));
            });
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
        byte[] openApi = openApi();
        app.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
        app.exception(ApiProblem.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
        // anything else a route did not expect: still the API's JSON shape, so clients can tell it
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(new ApiProblem(500, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())).body());
        });
        routes.accept(app);
        app.start(host, port);
        return new HttpServer(app, metrics, registered);
    }

    /** Every route registered on this server (the OpenAPI test checks them against the description). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private static byte[] openApi() {
        try (InputStream in = HttpServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) throw new IllegalStateException("the resource " + OPENAPI_RESOURCE + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
