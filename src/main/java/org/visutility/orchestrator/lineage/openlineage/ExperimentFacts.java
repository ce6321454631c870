package org.visutility.orchestrator.lineage.openlineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** One experiment as its OpenLineage events describe it, read from lineage.experiment_lineage. */
record ExperimentFacts(long experimentId, String model, String status, Optional<String> error, Instant queuedAt,
                       Optional<Instant> preparedAt, Optional<Instant> finishedAt, JsonNode experiment,
                       Optional<JsonNode> hyperparameters, Optional<Dataset> dataset, Optional<ModelVersion> produced) {
    private static final String FIND = SqlFiles.load(ExperimentFacts.class, "ExperimentFacts");

    /** The dataset the trainer read: where, and when known its size and SHA-256. */
    record Dataset(String location, OptionalLong bytes, Optional<String> sha256) {
    }

    /** The model version the experiment registered. */
    record ModelVersion(String version, String status, Optional<String> artifactUri) {
    }

    static Optional<ExperimentFacts> find(Handle h, long experimentId) {
        return h.createQuery(FIND).bind("id", experimentId).map((rs, ctx) -> read(rs)).findOne();
    }

    private static ExperimentFacts read(ResultSet rs) throws SQLException {
        String location = rs.getString("dataset_location");
        long bytes = rs.getLong("dataset_bytes");
        OptionalLong size = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(bytes);
        Optional<String> sha256 = Optional.ofNullable(rs.getString("dataset_sha256"));
        Optional<Dataset> dataset = Optional.ofNullable(location).map(l -> new Dataset(l, size, sha256));
        String version = rs.getString("produced_version");
        String versionStatus = rs.getString("produced_version_status");
        Optional<String> artifactUri = Optional.ofNullable(rs.getString("produced_artifact_uri"));
        return new ExperimentFacts(rs.getLong("experiment_id"), rs.getString("model"), rs.getString("status"),
                Optional.ofNullable(rs.getString("error")), rs.getTimestamp("queued_at").toInstant(),
                instant(rs.getTimestamp("prepared_at")), instant(rs.getTimestamp("finished_at")),
                json(rs.getString("experiment")), Optional.ofNullable(rs.getString("hyperparameters")).map(ExperimentFacts::json),
                dataset, Optional.ofNullable(version).map(v -> new ModelVersion(v, versionStatus, artifactUri)));
    }

    private static Optional<Instant> instant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON from lineage.experiment_lineage: " + e.getMessage(), e);
        }
    }
}
