package org.visutility.orchestrator.reference;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.collect.HistogramRules;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.ApiProblem;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.visutility.orchestrator.node.RequestBody;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/models/{model}/versions/{version}/references} (operator tokens): the body is a
 * references file ({@link ReferenceDocument}); it sets the version's reference as
 * {@code references set MODEL VERSION FILE} does, recorded as set by {@code operator:<token name>}.
 * 400 naming each broken rule, 404 for an unknown version; the answer is the reference set.
 */
public final class ReferenceModule implements Module {
    public static final String PATH = "/api/v1/models/{model}/versions/{version}/references";

    @Override
    public void routes(NodeContext context, Javalin app) {
        Jdbi jdbi = context.database().jdbi();
        ApiAccess access = new ApiAccess(context.config().apiTokens());
        HistogramRules rules = new HistogramRules(context.config().ingest().maxHistogramBins());
        app.post(PATH, ctx -> set(ctx, jdbi, access, rules));
    }

    private static void set(Context ctx, Jdbi jdbi, ApiAccess access, HistogramRules rules) {
        String setBy = "operator:" + access.require(ctx, ApiRole.OPERATOR).name();
        if (!"application/json".equals(RequestBody.mediaType(ctx))) throw new ApiProblem(415, "Content-Type: must be application/json");
        String model = ctx.pathParam("model");
        String version = ctx.pathParam("version");
        References refs;
        try {
            refs = ReferenceDocument.read(Json.MAPPER.readTree(RequestBody.text(ctx, RequestBody.MAX_CONTROL_BODY_BYTES)), rules);
        } catch (IOException e) {
            throw ApiProblem.badRequest("body: is not JSON; send {\"features\": [...], \"calibration\": {...}}");
        } catch (InvalidReferencesException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        jdbi.useTransaction(tx -> {
            long id = ReferenceStore.versionId(tx, model, version)
                    .orElseThrow(() -> ApiProblem.notFound("no version " + version + " of model " + model));
            ReferenceStore.set(tx, id, refs, ReferenceOrigin.FILE, null, setBy);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("version", version);
        out.put("origin", ReferenceOrigin.FILE.column());
        out.putAll(refs.toJson());
        ctx.json(out);
    }
}
