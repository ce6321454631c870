package org.visutility.orchestrator.model;

import io.javalin.Javalin;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;

/** The model lifecycle's part in a serving node: the control API's promote, reject and rollback. */
public final class ModelModule implements Module {
    @Override
    public void routes(NodeContext context, Javalin app) {
        new ModelControlRoutes(context.database().jdbi(), new ApiAccess(context.config().apiTokens())).routes(app);
    }
}
