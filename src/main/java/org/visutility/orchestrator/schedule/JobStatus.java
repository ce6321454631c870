package org.visutility.orchestrator.schedule;

import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One cluster-wide job as GET /health and GET /metrics show it: the verdict and its evidence. */
public record JobStatus(String job, Verdict verdict, Optional<String> triggerState, Optional<Duration> interval,
                        Optional<String> cron, JobRuns runs, Optional<Instant> overdueAt) {

    public enum Verdict {
        /** It ran successfully within its allowance. */
        OK,
        /** The run due after its last success (or after it was scheduled, if later) is three intervals late. */
        OVERDUE,
        /** Its trigger is in ERROR: Quartz never fires it again until it is re-armed (a serve node's start does). */
        ERROR,
        /** A stored job without a trigger: nothing fires it. */
        UNSCHEDULED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean ok() {
        return verdict == Verdict.OK;
    }

    /** The job's entry in GET /health. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job);
        m.put("status", verdict.label());
        m.put("trigger_state", triggerState.orElse(null));
        m.put("interval", interval.map(Durations::format).orElse(null));
        cron.ifPresent(c -> m.put("cron", c));
        m.put("last_success_at", runs.lastSuccessAt().map(Instant::toString).orElse(null));
        m.put("last_success_node", runs.lastSuccessNode().orElse(null));
        m.put("last_failure_at", runs.lastFailureAt().map(Instant::toString).orElse(null));
        m.put("last_failure_node", runs.lastFailureNode().orElse(null));
        m.put("last_error", runs.lastError().orElse(null));
        m.put("overdue_at", overdueAt.map(Instant::toString).orElse(null));
        return m;
    }
}
