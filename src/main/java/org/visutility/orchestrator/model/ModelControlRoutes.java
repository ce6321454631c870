package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.ApiProblem;
import org.visutility.orchestrator.node.JsonBody;

import java.util.Optional;
import java.util.Set;

/**
 * The models' part of the control API (operator tokens): promote (body {@code {"force": true,
 * "reason": "..."}}), reject ({@code {"reason": "..."}}, required) and rollback ({@code {"reason":
 * "..."}}), through {@link OperatorActions} as models promote, reject and rollback do. Every change
 * is recorded with the actor {@code operator:<token name>}. An unknown model or version is 404, a
 * change the lifecycle refuses 409; the answer is what the commands print with --json.
 */
final class ModelControlRoutes {
    static final String PROMOTE = "/api/v1/models/{model}/versions/{version}/promote";
    static final String REJECT = "/api/v1/models/{model}/versions/{version}/reject";
    static final String ROLLBACK = "/api/v1/models/{model}/rollback";
    private static final String FORCE = "force";
    private static final String REASON = "reason";

    private final Jdbi jdbi;
    private final ApiAccess access;

    ModelControlRoutes(Jdbi jdbi, ApiAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    void routes(Javalin app) {
        app.post(PROMOTE, this::promote);
        app.post(REJECT, this::reject);
        app.post(ROLLBACK, this::rollback);
    }

    private void promote(Context ctx) {
        Actor actor = actor(ctx);
        JsonBody body = JsonBody.read(ctx, Set.of(FORCE, REASON));
        String model = name(ctx, "model");
        String version = name(ctx, "version");
        boolean force = body.flag(FORCE);
        String why = reason(body.text(REASON)).orElse(PromoteCommand.DEFAULT_REASON);
        answer(ctx, () -> jdbi.inTransaction(h -> OperatorActions.promote(h, model, version, force, actor, why)));
    }

    private void reject(Context ctx) {
        Actor actor = actor(ctx);
        JsonBody body = JsonBody.read(ctx, Set.of(REASON));
        String model = name(ctx, "model");
        String version = name(ctx, "version");
        String why = reason(body.text(REASON)).orElseThrow(() -> ApiProblem.badRequest(REASON + ": is required to reject a version (1-"
                + LifecycleText.MAX_REASON + " characters)"));
        answer(ctx, () -> jdbi.inTransaction(h -> OperatorActions.reject(h, model, version, actor, why)));
    }

    private void rollback(Context ctx) {
        Actor actor = actor(ctx);
        JsonBody body = JsonBody.read(ctx, Set.of(REASON));
        String model = name(ctx, "model");
        String why = reason(body.text(REASON)).orElse(RollbackCommand.DEFAULT_REASON);
        answer(ctx, () -> jdbi.inTransaction(h -> OperatorActions.rollback(h, model, actor, why)));
    }

    private Actor actor(Context ctx) {
        return Actor.operator("the token's name", access.require(ctx, ApiRole.OPERATOR).name());
    }

    private static void answer(Context ctx, java.util.function.Supplier<OperatorActions.Outcome> action) {
        OperatorActions.Outcome outcome;
        try {
            outcome = action.get();
        } catch (UnknownModelOrVersion e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (TransitionRefused e) {
            throw ApiProblem.conflict(e.getMessage());
        }
        ObjectNode out = ChangesText.json(outcome);
        ctx.json(out);
    }

    private static String name(Context ctx, String param) {
        try {
            return ModelArguments.name(param, ctx.pathParam(param));
        } catch (UsageException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    private static Optional<String> reason(Optional<String> text) {
        try {
            return text.map(t -> LifecycleText.reason(REASON, t));
        } catch (UsageException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }
}
