package org.visutility.orchestrator.experiment;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.ApiCaller;
import org.visutility.orchestrator.node.ApiProblem;
import org.visutility.orchestrator.node.JsonBody;
import org.visutility.orchestrator.node.RequestBody;

import java.util.Optional;
import java.util.Set;

/**
 * The experiments' part of the control API (operator tokens): {@code POST /api/v1/experiments}
 * queues a spec sent as YAML or JSON (with {@code ?supersedes=ID}, replacing a failed run of the model), {@code POST /api/v1/experiments/{id}/cancel} cancels one.
 * The same code paths as experiments submit and experiments cancel; the token's name is recorded
 * as who submitted or cancelled.
 */
public final class ExperimentControlRoutes {
    public static final String SUBMIT = "/api/v1/experiments";
    public static final String CANCEL = "/api/v1/experiments/{id}/cancel";
    /** The query parameter of a submit naming the failed run the new experiment replaces. */
    public static final String SUPERSEDES = "supersedes";
    /** The media types a spec may be sent as. */
    public static final Set<String> SPEC_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "application/json");

    private final Jdbi jdbi;
    private final ApiAccess access;

    public ExperimentControlRoutes(Jdbi jdbi, ApiAccess access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public void routes(Javalin app) {
        app.post(SUBMIT, this::submit);
        app.post(CANCEL, this::cancel);
    }

    private void submit(Context ctx) {
        ApiCaller caller = access.require(ctx, ApiRole.OPERATOR);
        String type = RequestBody.mediaType(ctx);
        if (!SPEC_TYPES.contains(type)) {
            throw new ApiProblem(415, "Content-Type: send the spec as application/yaml or application/json, got "
                    + (type.isEmpty() ? "none" : type));
        }
        String text = RequestBody.text(ctx, RequestBody.MAX_CONTROL_BODY_BYTES);
        ExperimentSpec spec;
        try {
            spec = ExperimentSpec.parseSent(text, null);
        } catch (InvalidSpecException e) {
            throw ApiProblem.badRequest("invalid experiment spec: " + e.violations().size() + " problem(s) listed in violations; nothing was written")
                    .with("violations", e.violations());
        }
        Optional<Long> supersedes = supersedes(ctx);
        long id;
        try {
            id = jdbi.inTransaction(h -> ExperimentRows.insertSubmitted(h, spec, caller.actor(), supersedes));
        } catch (SupersedesRefused e) {
            String message = e.getMessage() + "; nothing was written";
            throw e.conflict() ? ApiProblem.conflict(message) : ApiProblem.badRequest(message);
        } catch (InvalidSpecException e) {
            throw ApiProblem.badRequest("invalid experiment spec: " + e.violations().size() + " problem(s) listed in violations; nothing was written")
                    .with("violations", e.violations());
        }
        ExperimentReports.Summary summary = jdbi.withHandle(h -> ExperimentReports.summary(h, id)).orElseThrow();
        ctx.status(201).header("Location", SUBMIT + "/" + id).json(summary.toJson());
    }

    private void cancel(Context ctx) {
        ApiCaller caller = access.require(ctx, ApiRole.OPERATOR);
        long id = id(ctx);
        JsonBody.read(ctx, Set.of());
        ExperimentCancellation.Outcome outcome = ExperimentCancellation.cancel(jdbi, id, "cancelled by " + caller.actor() + " (control API)")
                .orElseThrow(() -> ApiProblem.notFound("no experiment " + id));
        if (!outcome.holds()) {
            throw ApiProblem.conflict(outcome.text()).with("experiment", outcome.toJson());
        }
        ctx.json(outcome.toJson());
    }

    /** The optional {@code ?supersedes=ID} query parameter: a positive whole number, else 400 naming it. */
    private static Optional<Long> supersedes(Context ctx) {
        String raw = ctx.queryParam(SUPERSEDES);
        if (raw == null) return Optional.empty();
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return Optional.of(id);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest(SUPERSEDES + ": must be a positive whole number (an experiment's id), got '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
    }

    /** The {@code {id}} path parameter: a positive whole number, else 400 naming it. */
    public static long id(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest("id: must be a positive whole number (an experiment's id), got '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
    }
}
