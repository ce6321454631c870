package org.visutility.orchestrator.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentControlRoutes;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.ApiProblem;
import org.visutility.orchestrator.node.JsonBody;

import java.util.Set;

/**
 * The ops part of the control API (operator tokens): {@code POST /api/v1/experiments/{id}/restart}
 * (body {@code {"retry_failed": true}} for a run that failed by its own rules) and {@code POST /api/v1/experiments/{id}/abandon}: the checks and fenced writes of
 * ops restart and ops abandon ({@link RunRestarts}), the intervention's actor {@code operator:NAME}.
 * A restarted run goes back to the queue, where this cluster's dispatcher launches it. A refusal is
 * 409 with the reason.
 */
public final class OpsControlRoutes {
    public static final String RESTART = "/api/v1/experiments/{id}/restart";
    public static final String ABANDON = "/api/v1/experiments/{id}/abandon";
    /** The body field that asks for a retry round. */
    public static final String RETRY_FAILED = "retry_failed";

    private final Jdbi jdbi;
    private final BatchInfrastructure batch;
    private final OrchestratorConfig config;
    private final ApiAccess access;

    OpsControlRoutes(Jdbi jdbi, BatchInfrastructure batch, OrchestratorConfig config, ApiAccess access) {
        this.jdbi = jdbi;
        this.batch = batch;
        this.config = config;
        this.access = access;
    }

    void routes(Javalin app) {
        app.post(RESTART, this::restart);
        app.post(ABANDON, this::abandon);
    }

    private void restart(Context ctx) {
        String actor = access.require(ctx, ApiRole.OPERATOR).actor();
        long id = ExperimentControlRoutes.id(ctx);
        boolean retryFailed = retryFailed(ctx);
        ExperimentRow row = find(id);
        RunRestarts restarts = new RunRestarts(jdbi, batch, config, actor);
        RunRestarts.Outcome outcome = retryFailed ? restarts.retryFailed(row) : restarts.restart(row);
        if (!outcome.done()) throw refusal(id, "restarted", outcome);
        ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put("restarted", true).put(RETRY_FAILED, retryFailed);
        outcome.jobExecutionId().ifPresent(j -> out.put("failed_job_execution_id", j));
        out.put("status", outcome.status()).put("message", outcome.message());
        out.put("was_error", row.error().flatMap(e -> e.lines().findFirst()).orElse(null));
        ctx.json(out);
    }

    private void abandon(Context ctx) {
        String actor = access.require(ctx, ApiRole.OPERATOR).actor();
        long id = ExperimentControlRoutes.id(ctx);
        JsonBody.read(ctx, Set.of());
        ExperimentRow row = find(id);
        RunRestarts.Outcome outcome = new RunRestarts(jdbi, batch, config, actor).abandon(row);
        if (!outcome.done()) throw refusal(id, "abandoned", outcome);
        ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put("abandoned", true).put("was", row.status().sql())
                .put("status", outcome.status()).put("message", outcome.message());
        outcome.jobExecutionId().ifPresent(j -> out.put("job_execution_id", j));
        ctx.json(out);
    }

    private ExperimentRow find(long id) {
        return jdbi.withHandle(h -> ExperimentRows.find(h, id)).orElseThrow(() -> ApiProblem.notFound("no experiment " + id));
    }

    /** 409 with the reason and, under "experiment", what the command prints for its refusal. */
    private static ApiProblem refusal(long id, String done, RunRestarts.Outcome outcome) {
        ObjectNode said = Json.MAPPER.createObjectNode().put("id", id).put(done, false).put("status", outcome.status())
                .put("reason", outcome.message());
        return ApiProblem.conflict("experiment " + id + ": " + outcome.message()).with("experiment", said);
    }

    private static boolean retryFailed(Context ctx) {
        return JsonBody.read(ctx, Set.of(RETRY_FAILED)).flag(RETRY_FAILED);
    }
}
