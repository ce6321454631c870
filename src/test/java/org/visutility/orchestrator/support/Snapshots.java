package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test builders for snapshots in their JSON form, and counts of what the snapshot tables hold. */
public final class Snapshots {
    private Snapshots() {
    }

    /** A valid snapshot an hour ago, to be changed by the test. */
    public static Map<String, Object> aSnapshot() {
        return aSnapshot("churn", "v3", Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS));
    }

    public static Map<String, Object> aSnapshot(String model, String version, Instant observedAt) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model);
        s.put("version", version);
        s.put("observed_at", observedAt.toString());
        s.put("sample_count", 5000);
        s.put("segment", "eu");
        s.put("source", "serving");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.91);
        metrics.put("precision", 0.88);
        metrics.put("recall", 0.84);
        s.put("metrics", metrics);
        return s;
    }

    /** What the snapshot tables hold. */
    public record Counts(long models, long versions, long batches, long snapshots, long metricValues) {
        public static Counts of(Jdbi jdbi) {
            return jdbi.withHandle(h -> h.createQuery("""
                    SELECT (SELECT count(*) FROM orchestrator.model) AS models,
                           (SELECT count(*) FROM orchestrator.model_version) AS versions,
                           (SELECT count(*) FROM orchestrator.ingest_batch) AS batches,
                           (SELECT count(*) FROM orchestrator.metric_snapshot) AS snapshots,
                           (SELECT count(*) FROM orchestrator.metric_value) AS metric_values""")
                    .map((rs, ctx) -> new Counts(rs.getLong("models"), rs.getLong("versions"), rs.getLong("batches"),
                            rs.getLong("snapshots"), rs.getLong("metric_values")))
                    .one());
        }

        public static Counts none() {
            return new Counts(0, 0, 0, 0, 0);
        }
    }
}
