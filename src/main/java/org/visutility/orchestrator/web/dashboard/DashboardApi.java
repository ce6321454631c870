package org.visutility.orchestrator.web.dashboard;

import io.javalin.Javalin;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;

/**
 * The dashboard's JSON read API under /api/v1. Every list is bounded (limit, default and maximum
 * below); an unknown model or experiment is a 404 and a bad parameter a 400, each with
 * {@code {"status": ..., "error": "..."}} naming what was wrong.
 */
final class DashboardApi {
    /** Where the read API's routes begin. */
    static final String PREFIX = "/api/v1/";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ModelReader models;
    private final TimelineReader timelines;
    private final ExperimentReader experiments;
    private final VersionReader versions;
    private final DriftReader drift;

    DashboardApi(Jdbi jdbi) {
        ReadOnlyDatabase db = new ReadOnlyDatabase(jdbi);
        this.models = new ModelReader(db);
        this.timelines = new TimelineReader(db);
        this.experiments = new ExperimentReader(db);
        this.versions = new VersionReader(db);
        this.drift = new DriftReader(db);
    }

    void routes(Javalin app) {
        app.get("/api/v1/overview", ctx -> ctx.json(models.overview()));
        app.get("/api/v1/models", ctx -> ctx.json(models.list(RequestParams.count(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT))));
        app.get("/api/v1/models/{name}", ctx -> ctx.json(models.one(RequestParams.name(ctx, "name"))));
        app.get("/api/v1/models/{name}/timelines", ctx -> ctx.json(timelines.read(new TimelineReader.Request(
                RequestParams.name(ctx, "name"),
                RequestParams.text(ctx, "metric"),
                RequestParams.instant(ctx, "from"),
                RequestParams.instant(ctx, "to"),
                RequestParams.count(ctx, "points", TimelineReader.DEFAULT_POINTS_PER_METRIC, TimelineReader.MAX_POINTS_PER_METRIC)))));
        app.get("/api/v1/models/{name}/versions/events", ctx -> ctx.json(versions.read(new VersionReader.Request(
                RequestParams.name(ctx, "name"),
                RequestParams.instant(ctx, "from"),
                RequestParams.instant(ctx, "to"),
                RequestParams.count(ctx, "limit", VersionReader.DEFAULT_EVENTS, VersionReader.MAX_EVENTS)))));
        app.get("/api/v1/models/{name}/drift", ctx -> ctx.json(drift.read(new DriftReader.Request(
                RequestParams.name(ctx, "name"),
                RequestParams.instant(ctx, "from"),
                RequestParams.instant(ctx, "to"),
                RequestParams.oneOf(ctx, "method", DriftWatch.METHODS),
                RequestParams.oneOf(ctx, "metric", DriftReader.METRICS).orElse(DriftReader.DEFAULT_METRIC),
                RequestParams.count(ctx, "points", DriftReader.DEFAULT_POINTS, DriftReader.MAX_POINTS),
                RequestParams.count(ctx, "features", DriftReader.DEFAULT_FEATURES, DriftReader.MAX_FEATURES)))));
        app.get("/api/v1/experiments", ctx -> ctx.json(experiments.list(
                RequestParams.text(ctx, "model"),
                RequestParams.oneOf(ctx, "status", ExperimentReader.STATUSES),
                RequestParams.count(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT))));
        app.get("/api/v1/experiments/{id}", ctx -> ctx.json(experiments.one(
                RequestParams.id(ctx, "id"),
                RequestParams.count(ctx, "trials", ExperimentReader.DEFAULT_TRIALS, ExperimentReader.MAX_TRIALS))));
        app.get("/api/v1/failed-runs", ctx -> ctx.json(experiments.failedRuns(RequestParams.count(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT))));
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("status", e.status(), "error", e.getMessage())));
    }
}
