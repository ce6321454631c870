package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.mapper.RowMapper;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.Optional;

/** The challenger gate's verdict on a candidate version, as orchestrator.gate_result records it. */
public record GateVerdict(long versionId, long experimentId, String verdict, Optional<String> metric, Optional<Double> candidateScore,
                          Optional<String> activeVersion, Optional<Double> activeScore, String reason, Instant decidedAt) {

    static final RowMapper<GateVerdict> MAPPER = (rs, ctx) -> new GateVerdict(rs.getLong("candidate_version_id"),
            rs.getLong("experiment_id"), rs.getString("verdict"), Optional.ofNullable(rs.getString("metric")),
            Optional.ofNullable(SqlValues.doubleOrNull(rs, "candidate_score")), Optional.ofNullable(rs.getString("active_version")),
            Optional.ofNullable(SqlValues.doubleOrNull(rs, "active_score")), rs.getString("reason"), SqlValues.instant(rs, "decided_at"));

    /** "0.967 vs 0.580 (v1)", or "-" when no scores were compared. */
    String scores() {
        if (candidateScore.isEmpty()) return "-";
        return String.format("%.4g", candidateScore.get()) + activeScore.map(a -> String.format(" vs %.4g", a)).orElse("")
                + activeVersion.map(v -> " (" + v + ")").orElse("");
    }

    ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("experiment_id", experimentId).put("verdict", verdict)
                .put("metric", metric.orElse(null)).put("candidate_score", candidateScore.orElse(null))
                .put("active_version", activeVersion.orElse(null)).put("active_score", activeScore.orElse(null))
                .put("reason", reason).put("decided_at", decidedAt.toString());
        return n;
    }
}
