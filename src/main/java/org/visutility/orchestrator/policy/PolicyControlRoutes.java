package org.visutility.orchestrator.policy;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.ApiProblem;
import org.visutility.orchestrator.node.RequestBody;
import org.visutility.orchestrator.policy.eval.Backtester;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.ValuesAsOf;
import org.visutility.orchestrator.policy.spec.PolicyFile;
import org.visutility.orchestrator.policy.spec.PolicyFileException;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.policy.spec.Problem;
import picocli.CommandLine;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policies' part of the control API (operator tokens), with a policy file as the body (YAML or
 * JSON): {@code POST /api/v1/policies?source=NAME} applies it as policies apply does (NAME plays the
 * file's path: applying again under the same source disables the policies no longer in it), and
 * {@code POST /api/v1/policies/backtest?from=T1&to=T2[&step=D][&values=as_known_at|as_now]} replays it
 * as policies backtest does (values: its --as-known-at, the default, or --as-now). A file sent over HTTP has no folder: experiment specs must be inline, with absolute paths.
 */
final class PolicyControlRoutes {
    static final String APPLY = "/api/v1/policies";
    static final String BACKTEST = "/api/v1/policies/backtest";
    private static final Set<String> TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "application/json");
    private static final int MAX_SOURCE = 500;

    private final Jdbi jdbi;
    private final ConditionPool sqlConditions;
    private final OrchestratorConfig config;
    private final ApiAccess access;

    PolicyControlRoutes(Jdbi jdbi, ConditionPool sqlConditions, OrchestratorConfig config, ApiAccess access) {
        this.jdbi = jdbi;
        this.sqlConditions = sqlConditions;
        this.config = config;
        this.access = access;
    }

    void routes(Javalin app) {
        app.post(APPLY, this::apply);
        app.post(BACKTEST, this::backtest);
    }

    private void apply(Context ctx) {
        String actor = access.require(ctx, ApiRole.OPERATOR).actor();
        String source = source(ctx.queryParam("source"));
        PolicyFile file = policyFile(ctx, source);
        List<PolicyApplier.Outcome> outcomes;
        try {
            outcomes = new PolicyApplier(jdbi, sqlConditions).apply(file, source, actor);
        } catch (PolicyFileException e) {
            throw invalid(e);
        }
        ctx.json(PolicyApplier.toJson(outcomes, "source", source));
    }

    private void backtest(Context ctx) {
        access.require(ctx, ApiRole.OPERATOR);
        Instant from = instant("from", ctx.queryParam("from"));
        Instant to = instant("to", ctx.queryParam("to"));
        Duration every = ctx.queryParam("step") == null ? config.policyInterval() : step(ctx.queryParam("step"));
        if (to.isBefore(from)) throw ApiProblem.badRequest("to: " + to + " is before from " + from);
        ValuesAsOf values = values(ctx.queryParam("values"));
        PolicyFile file = policyFile(ctx, "request body");
        Backtester.Report report;
        try {
            report = jdbi.withHandle(h -> new Backtester(sqlConditions).run(h, file.specs(), from, to, every, values));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        ctx.json(BacktestJson.of(report, from, to, every));
    }

    private static PolicyFile policyFile(Context ctx, String label) {
        String type = RequestBody.mediaType(ctx);
        if (!TYPES.contains(type)) {
            throw new ApiProblem(415, "Content-Type: send the policy file as application/yaml or application/json, got "
                    + (type.isEmpty() ? "none" : type));
        }
        String text = RequestBody.text(ctx, RequestBody.MAX_CONTROL_BODY_BYTES);
        try {
            return PolicyFileParser.parse(text, label, null);
        } catch (PolicyFileException e) {
            throw invalid(e);
        }
    }

    private static ApiProblem invalid(PolicyFileException e) {
        List<Map<String, Object>> problems = e.problems().stream().map(PolicyControlRoutes::problem).toList();
        return ApiProblem.badRequest("invalid policy file: " + problems.size() + " problem(s) listed in violations; nothing was applied")
                .with("violations", problems);
    }

    private static Map<String, Object> problem(Problem p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("line", p.line());
        out.put("field", p.field());
        out.put("reason", p.reason());
        return out;
    }

    private static String source(String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest("source: is required: a name for this policy file (its path, say); applying again under"
                    + " the same source disables the policies no longer in it");
        }
        if (value.length() > MAX_SOURCE || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("source: must be 1-" + MAX_SOURCE + " characters without control characters");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null) throw ApiProblem.badRequest(name + ": is required: 2026-11-26T10:00:00Z or 2026-11-26 (UTC)");
        try {
            return new InstantConverter().convert(value);
        } catch (CommandLine.TypeConversionException e) {
            throw ApiProblem.badRequest(name + ": " + e.getMessage());
        }
    }

    private static ValuesAsOf values(String value) {
        if (value == null) return ValuesAsOf.KNOWN_AT;
        for (ValuesAsOf v : ValuesAsOf.values()) {
            if (v.spelling().equals(value)) return v;
        }
        throw ApiProblem.badRequest("values: must be as_known_at (the values known at each instant, the default) or as_now"
                + " (today's values, revised ones included)");
    }

    private static Duration step(String value) {
        Duration d;
        try {
            d = new DurationConverter().convert(value);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("step: " + e.getMessage());
        }
        if (d.isZero() || d.isNegative()) throw ApiProblem.badRequest("step: must be longer than zero");
        return d;
    }
}
