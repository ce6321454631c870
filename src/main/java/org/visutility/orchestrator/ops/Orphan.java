package org.visutility.orchestrator.ops;

import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A running experiment whose owner is provably gone, as the rescuer read it. */
record Orphan(long id, String model, String status, int version, Optional<String> owner, Optional<Instant> heartbeatAt,
              int rescues, Optional<Long> jobExecutionId) {

    static final RowMapper<Orphan> MAPPER = (rs, ctx) -> {
        OffsetDateTime beat = rs.getObject("heartbeat_at", OffsetDateTime.class);
        long job = rs.getLong("job_execution_id");
        Optional<Long> jobExecution = rs.wasNull() ? Optional.empty() : Optional.of(job);
        return new Orphan(rs.getLong("id"), rs.getString("model"), rs.getString("status"), rs.getInt("version"),
                Optional.ofNullable(rs.getString("owner")), Optional.ofNullable(beat).map(OffsetDateTime::toInstant),
                rs.getInt("rescues"), jobExecution);
    };
}
