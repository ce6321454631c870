package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.model.VersionTransitions;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** The trial table as the engine writes it, one SQL file per statement. */
final class TrialRows {
    private static final String REOPEN = SqlFiles.load(TrialRows.class, "ReopenTrials");
    private static final String RETRY_FAILED = SqlFiles.load(TrialRows.class, "RetryFailedTrial");
    private static final String STOP_OPEN = SqlFiles.load(TrialRows.class, "StopOpenTrials");
    private static final String FINISHED = SqlFiles.load(TrialRows.class, "FinishedTrials");
    private static final String HIGHEST = SqlFiles.load(TrialRows.class, "HighestTrialNumber");
    private static final String STATUS = SqlFiles.load(TrialRows.class, "ExperimentStatus");
    private static final String BEST = SqlFiles.load(TrialRows.class, "BestTrial");
    private static final String REPORTED_REFERENCE = SqlFiles.load(TrialRows.class, "ReportedReference");
    private static final String COUNTS = SqlFiles.load(TrialRows.class, "CountTrials");
    private static final String RUN_AGAIN = SqlFiles.load(TrialRows.class, "RunTrialAgain");
    private static final String LIVE_NODES = SqlFiles.load(TrialRows.class, "LiveNodes");
    private static final String INSERT_SET = SqlFiles.load(TrialRows.class, "InsertHyperparameterSet");

    record OpenTrial(int number, Params params, int attempt) {
    }

    /** @param reference the reference its trainer reported (JSON text, checked when the trial completed), if any */
    record BestTrial(long id, int number, Params params, double score, Optional<String> artifactUri, Optional<String> reference) {
    }

    record Counts(int complete, int failed, int pruned) {
    }

    record ExperimentState(ExperimentStatus status, int version) {
    }

    private TrialRows() {
    }

    static boolean fence(Handle h, long experiment, int version) {
        return ExperimentRows.fence(h, experiment, version);
    }

    static List<OpenTrial> reopen(Handle h, long experiment, String worker) {
        return h.createQuery(REOPEN).bind("experiment", experiment).bind("worker", worker)
                .bind("orchestratorVersion", Version.current())
                .map(TrialRows::openTrial)
                .list();
    }

    /** A retry round re-opens a trial that failed in an earlier round: same number and params, attempt + 1. */
    static Optional<OpenTrial> retryFailed(Handle h, long experiment, int number, String worker) {
        return h.createQuery(RETRY_FAILED).bind("experiment", experiment).bind("number", number).bind("worker", worker)
                .bind("orchestratorVersion", Version.current())
                .map(TrialRows::openTrial)
                .findOne();
    }

    /** An attempt that cannot end where it ran runs again, attempt + 1, back with the owner until a worker takes it. */
    static Optional<OpenTrial> runAgain(Handle h, long experiment, int number, int attempt, String owner) {
        return h.createQuery(RUN_AGAIN).bind("experiment", experiment).bind("number", number).bind("attempt", attempt)
                .bind("owner", owner).bind("orchestratorVersion", Version.current())
                .map(TrialRows::openTrial)
                .findOne();
    }

    /** Nodes of the cluster alive now (their Quartz check-in is recent), this one included. */
    static long liveNodes(Handle h) {
        return h.createQuery(LIVE_NODES).bind("scheduler", org.visutility.orchestrator.schedule.QuartzSchedulerFactory.SCHEDULER_NAME)
                .bind("nowMs", System.currentTimeMillis()).mapTo(Long.class).one();
    }

    private static OpenTrial openTrial(ResultSet rs, StatementContext ctx) throws SQLException {
        return new OpenTrial(rs.getInt("number"), Params.fromJson(json(rs.getString("params"))), rs.getInt("attempt"));
    }

    static int stopOpen(Handle h, long experiment, String reason) {
        return h.createUpdate(STOP_OPEN).bind("experiment", experiment).bind("reason", reason).execute();
    }

    static List<FinishedTrial> finished(Handle h, long experiment) {
        return h.createQuery(FINISHED).bind("experiment", experiment).map((rs, ctx) -> {
            double score = rs.getDouble("score");
            OptionalDouble s = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(score);
            return new FinishedTrial(rs.getInt("number"), Params.fromJson(json(rs.getString("params"))),
                    TrialStatus.parse(rs.getString("status")), s, reports(json(rs.getString("reports"))),
                    metrics(rs.getString("metrics")));
        }).list();
    }

    static OptionalInt highestNumber(Handle h, long experiment) {
        Integer n = h.createQuery(HIGHEST).bind("experiment", experiment).mapTo(Integer.class).one();
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The experiment's status and version, the row locked until commit. */
    static ExperimentState lockExperiment(Handle h, long experiment) {
        return h.createQuery(STATUS).bind("experiment", experiment)
                .map((rs, ctx) -> new ExperimentState(ExperimentStatus.of(rs.getString("status")), rs.getInt("version"))).one();
    }

    static Optional<BestTrial> best(Handle h, long experiment, boolean maximize) {
        return h.createQuery(BEST).bind("experiment", experiment).bind("maximize", maximize)
                .map((rs, ctx) -> new BestTrial(rs.getLong("id"), rs.getInt("number"),
                        Params.fromJson(json(rs.getString("params"))), rs.getDouble("score"),
                        Optional.ofNullable(rs.getString("artifact_uri")), Optional.ofNullable(rs.getString("reported_reference"))))
                .findOne();
    }

    /** The reference a trial's trainer reported (JSON text), if any: a chosen set's becomes its version's. */
    static Optional<String> reportedReference(Handle h, long trialId) {
        return h.createQuery(REPORTED_REFERENCE).bind("trial", trialId).mapTo(String.class).findOne();
    }

    static Counts counts(Handle h, long experiment) {
        return h.createQuery(COUNTS).bind("experiment", experiment)
                .map((rs, ctx) -> new Counts(rs.getInt("complete"), rs.getInt("failed"), rs.getInt("pruned"))).one();
    }

    /** @param selection hyperparameter_set.selection (JSON), or null for one objective */
    static long insertHyperparameterSet(Handle h, long experiment, BestTrial best, String selection) {
        return h.createQuery(INSERT_SET).bind("experiment", experiment).bind("trial", best.id())
                .bind("params", best.params().toString()).bind("score", best.score()).bind("selection", selection)
                .mapTo(Long.class).one();
    }

    /** The candidate version, registered through the lifecycle (its first event, actor experiment). */
    static long registerModelVersion(Handle h, long experiment, String version, long hyperparameterSet, Optional<String> artifactUri) {
        return VersionTransitions.registerCandidate(h, experiment, version, hyperparameterSet, artifactUri).versionId();
    }

    /** Intermediate reports as stored in trial.reports: one object per report, as the trainer printed it. */
    static ArrayNode reportsJson(List<IntermediateReport> reports) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (IntermediateReport r : reports) {
            ObjectNode o = array.addObject().put("step", r.step());
            r.metrics().forEach((name, value) -> o.put(TrainerText.clean(name), value));
        }
        return array;
    }

    static List<IntermediateReport> reports(JsonNode array) {
        List<IntermediateReport> reports = new ArrayList<>();
        if (array == null || !array.isArray()) return reports;
        for (JsonNode o : array) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("step") && e.getValue().isNumber()) metrics.put(e.getKey(), e.getValue().asDouble());
            }
            reports.add(new IntermediateReport(o.path("step").asLong(), metrics));
        }
        return reports;
    }

    /** A trial's final metrics as stored in trial.metrics (numbers only; NULL as none). */
    static Map<String, Double> metrics(String text) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (text == null) return metrics;
        for (Iterator<Map.Entry<String, JsonNode>> it = json(text).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) metrics.put(e.getKey(), e.getValue().asDouble());
        }
        return metrics;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the trial table: " + e.getMessage(), e);
        }
    }
}
