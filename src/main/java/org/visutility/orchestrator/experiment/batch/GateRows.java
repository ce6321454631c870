package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.util.Optional;
import java.util.OptionalDouble;

/** The gate step's SQL: the versions it judges, and its verdict (orchestrator.gate_result). */
final class GateRows {
    private static final String CANDIDATE = SqlFiles.load(GateRows.class, "GateCandidate");
    private static final String ACTIVE = SqlFiles.load(GateRows.class, "GateActiveVersion");
    private static final String INSERT = SqlFiles.load(GateRows.class, "InsertGateResult");
    /** gate_result.reason's CHECK. */
    static final int MAX_REASON = 4000;

    /** A version the gate reads: the candidate, or the active version it must beat. */
    record Version(long id, long modelId, String model, String version, VersionStatus status, Optional<String> artifactUri) {
    }

    private static final RowMapper<Version> VERSION = (rs, ctx) -> new Version(rs.getLong("id"), rs.getLong("model_id"),
            rs.getString("model"), rs.getString("version"), VersionStatus.of(rs.getString("status")),
            Optional.ofNullable(rs.getString("artifact_uri")));

    /** What gate_result holds besides the experiment and the decision time. */
    record Result(long candidate, Optional<Long> active, Optional<String> metric, Optional<String> direction,
                  OptionalDouble minGain, OptionalDouble candidateScore, OptionalDouble activeScore, boolean approved,
                  String reason, ObjectNode evidence) {
    }

    private GateRows() {
    }

    static Optional<Version> candidate(Handle h, long experiment) {
        return h.createQuery(CANDIDATE).bind("experiment", experiment).map(VERSION).findOne();
    }

    static Optional<Version> active(Handle h, long modelId) {
        return h.createQuery(ACTIVE).bind("model", modelId).map(VERSION).findOne();
    }

    /** @return false when the experiment has a verdict already (nothing written) */
    static boolean insert(Handle h, long experiment, Result r) {
        return h.createQuery(INSERT).bind("experiment", experiment).bind("candidate", r.candidate())
                .bind("active", r.active().orElse(null)).bind("metric", r.metric().orElse(null))
                .bind("direction", r.direction().orElse(null)).bind("minGain", boxed(r.minGain()))
                .bind("candidateScore", boxed(r.candidateScore())).bind("activeScore", boxed(r.activeScore()))
                .bind("verdict", r.approved() ? "approved" : "rejected").bind("reason", bounded(r.reason(), MAX_REASON))
                .bind("evidence", r.evidence().toString())
                .mapTo(Long.class).findOne().isPresent();
    }

    /** Text cut to {@code max} characters, cleaned of what PostgreSQL refuses. */
    static String bounded(String text, int max) {
        String t = TrainerText.clean(text);
        return t.codePointCount(0, t.length()) <= max ? t : t.substring(0, t.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static Double boxed(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }
}
