package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** What the experiments commands show: summaries with progress, a trial table, the result. */
public final class ExperimentReports {
    private static final String SUMMARIES = SqlFiles.load(ExperimentReports.class, "ExperimentSummaries");
    private static final String TRIALS = SqlFiles.load(ExperimentReports.class, "ExperimentTrials");
    private static final String RESULT = SqlFiles.load(ExperimentReports.class, "ExperimentResult");

    /** An experiment and its progress. */
    public record Summary(long id, String model, ExperimentStatus status, String trigger, Instant queuedAt, Optional<Instant> startedAt,
                          Optional<Instant> finishedAt, Optional<String> error, int attempt, Optional<String> owner,
                          int budgetTrials, String metric, String direction, String strategy,
                          int complete, int failed, int pruned, int running, OptionalInt bestNumber, OptionalDouble bestScore,
                          Optional<Long> supersedes, Optional<Long> supersededBy) {
        public int ended() {
            return complete + failed + pruned;
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("id", id).put("model", model).put("status", status.sql())
                    .put("trigger", trigger).put("queued_at", queuedAt.toString());
            n.put("started_at", startedAt.map(Instant::toString).orElse(null));
            n.put("finished_at", finishedAt.map(Instant::toString).orElse(null));
            n.put("error", error.orElse(null));
            n.put("attempt", attempt).put("strategy", strategy);
            n.putObject("objective").put("metric", metric).put("direction", direction);
            n.putObject("trials").put("budget", budgetTrials).put("ended", ended()).put("complete", complete)
                    .put("failed", failed).put("pruned", pruned).put("running", running);
            ObjectNode best = n.putObject("best");
            if (bestNumber.isPresent()) {
                best.put("trial", bestNumber.getAsInt()).put("score", bestScore.getAsDouble());
            }
            n.put("supersedes", supersedes.orElse(null)).put("superseded_by", supersededBy.orElse(null));
            return n;
        }
    }

    public record TrialLine(int number, String status, OptionalDouble score, int attempt, Optional<String> worker,
                            JsonNode params, Optional<JsonNode> metrics, Optional<String> error, Instant startedAt,
                            Optional<Instant> finishedAt, boolean excluded) {
        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("number", number).put("status", status).put("excluded", excluded);
            if (score.isPresent()) n.put("score", score.getAsDouble()); else n.putNull("score");
            n.put("attempt", attempt).put("worker", worker.orElse(null));
            n.set("params", params);
            n.set("metrics", metrics.orElse(null));
            n.put("error", error.orElse(null)).put("started_at", startedAt.toString())
                    .put("finished_at", finishedAt.map(Instant::toString).orElse(null));
            return n;
        }
    }

    /**
     * The current best hyperparameter set, the model version registered from the experiment (with the
     * set and trial it was trained with: an earlier set when an exclusion replaced the best set since)
     * and the gate's verdict on it (approved or rejected, and why).
     */
    public record Result(long setId, JsonNode params, double score, int trialNumber, Optional<Long> modelVersionId,
                         Optional<String> modelVersion, Optional<String> modelVersionStatus, Optional<String> artifactUri,
                         Optional<Long> modelVersionSetId, OptionalInt modelVersionTrialNumber,
                         Optional<String> gateVerdict, Optional<String> gateReason) {
        /** Whether the registered version was trained with a set that an exclusion or inclusion replaced since. */
        public boolean versionTrainedWithReplacedSet() {
            return modelVersionSetId.isPresent() && modelVersionSetId.get() != setId;
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("hyperparameter_set", setId).put("trial", trialNumber)
                    .put("score", score);
            n.set("params", params);
            n.put("model_version", modelVersion.orElse(null)).put("model_version_status", modelVersionStatus.orElse(null))
                    .put("artifact_uri", artifactUri.orElse(null));
            n.put("model_version_hyperparameter_set", modelVersionSetId.orElse(null));
            if (modelVersionTrialNumber.isPresent()) n.put("model_version_trial", modelVersionTrialNumber.getAsInt());
            else n.putNull("model_version_trial");
            n.put("gate_verdict", gateVerdict.orElse(null)).put("gate_reason", gateReason.orElse(null));
            return n;
        }
    }

    private ExperimentReports() {
    }

    public static List<Summary> list(Handle h, Optional<String> status, int limit) {
        return h.createQuery(SUMMARIES).bind("id", (Long) null).bind("status", status.orElse(null)).bind("limit", limit)
                .map(SUMMARY).list();
    }

    public static Optional<Summary> summary(Handle h, long id) {
        return h.createQuery(SUMMARIES).bind("id", id).bind("status", (String) null).bind("limit", 1).map(SUMMARY).findOne();
    }

    public static List<TrialLine> trials(Handle h, long id) {
        return h.createQuery(TRIALS).bind("id", id).map((rs, ctx) -> new TrialLine(rs.getInt("number"), rs.getString("status"),
                optionalDouble(rs, "score"), rs.getInt("attempt"), Optional.ofNullable(rs.getString("worker")),
                json(rs.getString("params")), Optional.ofNullable(rs.getString("metrics")).map(ExperimentReports::json),
                Optional.ofNullable(rs.getString("error")), ExperimentRows.instant(rs, "started_at").orElseThrow(),
                ExperimentRows.instant(rs, "finished_at"), rs.getBoolean("excluded"))).list();
    }

    public static Optional<Result> result(Handle h, long id) {
        return h.createQuery(RESULT).bind("id", id).map((rs, ctx) -> {
            long mv = rs.getLong("model_version_id");
            Optional<Long> modelVersionId = rs.wasNull() ? Optional.empty() : Optional.of(mv);
            long vs = rs.getLong("model_version_set_id");
            Optional<Long> versionSet = rs.wasNull() ? Optional.empty() : Optional.of(vs);
            int vt = rs.getInt("model_version_trial_number");
            OptionalInt versionTrial = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(vt);
            return new Result(rs.getLong("set_id"), json(rs.getString("params")), rs.getDouble("score"),
                    rs.getInt("trial_number"), modelVersionId, Optional.ofNullable(rs.getString("model_version")),
                    Optional.ofNullable(rs.getString("model_version_status")), Optional.ofNullable(rs.getString("artifact_uri")),
                    versionSet, versionTrial, Optional.ofNullable(rs.getString("gate_verdict")), Optional.ofNullable(rs.getString("gate_reason")));
        }).findOne();
    }

    private static final RowMapper<Summary> SUMMARY = (rs, ctx) -> {
        int best = rs.getInt("best_number");
        OptionalInt bestNumber = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(best);
        return new Summary(rs.getLong("id"), rs.getString("model"), ExperimentStatus.of(rs.getString("status")), rs.getString("trigger"),
                ExperimentRows.instant(rs, "queued_at").orElseThrow(), ExperimentRows.instant(rs, "started_at"),
                ExperimentRows.instant(rs, "finished_at"), Optional.ofNullable(rs.getString("error")), rs.getInt("attempt"),
                Optional.ofNullable(rs.getString("owner")), rs.getInt("budget_trials"), rs.getString("metric"),
                rs.getString("direction"), rs.getString("strategy"), rs.getInt("complete"), rs.getInt("failed"),
                rs.getInt("pruned"), rs.getInt("running"), bestNumber, optionalDouble(rs, "best_score"),
                Optional.ofNullable(rs.getObject("supersedes", Long.class)), Optional.ofNullable(rs.getObject("superseded_by", Long.class)));
    };

    private static OptionalDouble optionalDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON: " + e.getMessage(), e);
        }
    }
}
