package org.visutility.orchestrator.collect;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How one SQL collector's runs have gone, from orchestrator.collector_watermark (any node's runs).
 *
 * @param lastOutcome         ok, failed, or empty before its first run
 * @param consecutiveFailures failed runs since the last success
 * @param lastSkipped         rows the last successful run left out
 */
record CollectorRunState(String collector, Optional<String> lastOutcome, Optional<Instant> lastRunAt, Optional<Instant> lastSuccessAt,
                         Optional<Instant> lastFailureAt, Optional<String> lastFailureError, int consecutiveFailures,
                         Optional<Integer> lastSkipped, Optional<Instant> watermark) {
    /** The longest error text GET /health shows (the table keeps 2000 characters). */
    static final int SHOWN_ERROR_CHARS = 300;

    static CollectorRunState neverRan(String collector) {
        return new CollectorRunState(collector, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, Optional.empty(), Optional.empty());
    }

    boolean failingAfter(int degradedAfter) {
        return consecutiveFailures >= degradedAfter;
    }

    Map<String, Object> toJson(int degradedAfter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("collector", collector);
        out.put("status", lastOutcome.isEmpty() ? "not_run_yet" : failingAfter(degradedAfter) ? "failing"
                : consecutiveFailures > 0 ? "retrying" : "ok");
        out.put("consecutive_failures", consecutiveFailures);
        out.put("last_run_at", text(lastRunAt));
        out.put("last_success_at", text(lastSuccessAt));
        out.put("last_failure_at", text(lastFailureAt));
        out.put("last_error", lastFailureError.map(e -> e.length() <= SHOWN_ERROR_CHARS ? e : e.substring(0, SHOWN_ERROR_CHARS) + "...")
                .orElse(null));
        out.put("last_skipped_rows", lastSkipped.orElse(null));
        out.put("watermark", text(watermark));
        return out;
    }

    private static String text(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }
}
