package org.visutility.orchestrator.web.dashboard;

import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.HttpServer;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

/**
 * The read-only web dashboard: pages at / (static files from the jar), the charting library from
 * its WebJar at /webjars/ (no CDN: it works without internet), and the JSON read API they use
 * (behind ORCHESTRATOR_READ_TOKENS once any is set), every answer with a strict Content-Security-Policy ({@link SecurityHeaders}).
 */
public final class DashboardModule implements Module {
    /** Where the pages live on the classpath. */
    static final String STATIC_DIRECTORY = "/org/visutility/orchestrator/web/dashboard/static";

    @Override
    public void configureHttp(NodeContext context, JavalinConfig http) {
        http.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = STATIC_DIRECTORY;
            files.location = Location.CLASSPATH;
        });
        http.staticFiles.enableWebjars();
    }

    @Override
    public void routes(NodeContext context, Javalin app) {
        // every answer of this node, pages, files and JSON alike: the policy covers whatever a browser opens
        app.before(SecurityHeaders::apply);
        // the read API needs a read (or operator) token once any read token is set; the pages themselves hold no data
        ApiAccess access = new ApiAccess(context.config().apiTokens());
        app.before(DashboardApi.PREFIX + "*", ctx -> {
            if (ctx.method() == HandlerType.GET && !ctx.path().equals(HttpServer.OPENAPI_PATH)) access.require(ctx, ApiRole.READ);
        });
        new DashboardApi(context.database().jdbi()).routes(app);
    }
}
