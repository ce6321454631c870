package org.visutility.orchestrator.experiment;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.LifecycleText;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.ApiProblem;
import org.visutility.orchestrator.node.JsonBody;

import java.util.Set;

/**
 * Trial quarantine in the control API (operator tokens):
 * {@code POST /api/v1/experiments/{id}/trials/{number}/exclude} and {@code .../include} with
 * {@code {"reason": "..."}}; the token's name is the actor. Unknown experiment or trial: 404; already
 * excluded (or not excluded), or the last complete trial: 409; a bad reason: 400.
 */
public final class TrialExclusionRoutes {
    public static final String EXCLUDE = "/api/v1/experiments/{id}/trials/{number}/exclude";
    public static final String INCLUDE = "/api/v1/experiments/{id}/trials/{number}/include";
    private static final String REASON = "reason";

    private final Jdbi jdbi;
    private final ApiAccess access;

    public TrialExclusionRoutes(Jdbi jdbi, ApiAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public void routes(Javalin app) {
        app.post(EXCLUDE, ctx -> change(ctx, TrialExclusions.Action.EXCLUDE));
        app.post(INCLUDE, ctx -> change(ctx, TrialExclusions.Action.INCLUDE));
    }

    private void change(Context ctx, TrialExclusions.Action action) {
        Actor actor = Actor.operator("the token's name", access.require(ctx, ApiRole.OPERATOR).name());
        long id = ExperimentControlRoutes.id(ctx);
        int number = number(ctx);
        JsonBody body = JsonBody.read(ctx, Set.of(REASON));
        String why;
        try {
            why = LifecycleText.reason(REASON, body.text(REASON).orElseThrow(() -> new UsageException(REASON + ": is required (1-"
                    + LifecycleText.MAX_REASON + " characters)")));
        } catch (UsageException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        try {
            ctx.json(jdbi.inTransaction(h -> TrialExclusions.change(h, id, number, action, actor, why)).toJson());
        } catch (ExclusionRefused e) {
            throw e.kind() == ExclusionRefused.Kind.UNKNOWN ? ApiProblem.notFound(e.getMessage()) : ApiProblem.conflict(e.getMessage());
        }
    }

    private static int number(Context ctx) {
        String raw = ctx.pathParam("number");
        try {
            int n = Integer.parseInt(raw);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest("number: must be a trial number, a whole number 0 or more, got '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
    }
}
