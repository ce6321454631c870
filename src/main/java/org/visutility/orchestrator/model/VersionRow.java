package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.mapper.RowMapper;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.Optional;

/** One row of orchestrator.model_version with its model's name, as the lifecycle reads it. */
public record VersionRow(long id, long modelId, String model, String version, VersionStatus status, String source,
                         Optional<Long> experimentId, Optional<String> artifactUri, Instant createdAt) {

    /** Maps the columns id, model_id, model, version, status, source, experiment_id, artifact_uri, created_at. */
    static final RowMapper<VersionRow> MAPPER = (rs, ctx) -> new VersionRow(rs.getLong("id"), rs.getLong("model_id"),
            rs.getString("model"), rs.getString("version"), VersionStatus.of(rs.getString("status")), rs.getString("source"),
            Optional.ofNullable(SqlValues.longOrNull(rs, "experiment_id")), Optional.ofNullable(rs.getString("artifact_uri")),
            SqlValues.instant(rs, "created_at"));

    /** "v3 of churn", for messages. */
    public String label() {
        return "version " + version + " of " + model;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("version", version).put("status", status.sql()).put("source", source);
        n.put("experiment_id", experimentId.orElse(null)).put("artifact_uri", artifactUri.orElse(null))
                .put("created_at", createdAt.toString());
        return n;
    }
}
