package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads how the configured SQL collectors' runs have gone, from the database: the runs are clustered
 * Quartz jobs that may have run on any node. A configured collector that has not run yet is listed too.
 */
final class CollectorRunStates {
    /** GET /health and the metrics must answer even when the database is slow. */
    private static final int QUERY_TIMEOUT_SECONDS = 3;
    private static final String READ = SqlFiles.load(CollectorRunStates.class, "CollectorRunStates");

    private final Jdbi jdbi;
    private final List<String> collectors;

    CollectorRunStates(Jdbi jdbi, List<String> collectors) {
        this.jdbi = jdbi;
        this.collectors = List.copyOf(collectors);
    }

    List<String> collectors() {
        return collectors;
    }

    /** Each configured collector's state, in the configuration's order. */
    List<CollectorRunState> read() {
        if (collectors.isEmpty()) return List.of();
        Map<String, CollectorRunState> stored = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(READ).setQueryTimeout(QUERY_TIMEOUT_SECONDS)
                .bindArray("collectors", String.class, collectors.toArray(String[]::new))
                .map((rs, ctx) -> state(rs))
                .forEach(s -> stored.put(s.collector(), s)));
        return collectors.stream().map(c -> stored.getOrDefault(c, CollectorRunState.neverRan(c))).toList();
    }

    private static CollectorRunState state(ResultSet rs) throws SQLException {
        int skipped = rs.getInt("last_skipped_count");
        Optional<Integer> lastSkipped = rs.wasNull() ? Optional.empty() : Optional.of(skipped);
        return new CollectorRunState(rs.getString("collector"), Optional.ofNullable(rs.getString("last_outcome")),
                instant(rs, "last_run_at"), instant(rs, "last_success_at"), instant(rs, "last_failure_at"),
                Optional.ofNullable(rs.getString("last_failure_error")), rs.getInt("consecutive_failures"), lastSkipped,
                instant(rs, "watermark"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
