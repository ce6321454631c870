package org.visutility.orchestrator.ops;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.node.HealthSection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The "runs" section of GET /health: runs that look stuck (heartbeat stale) and of those the orphaned ones. */
final class StuckRunsHealth implements HealthSection {
    private final Jdbi jdbi;
    private final Duration staleAfter;

    StuckRunsHealth(Jdbi jdbi, Duration staleAfter) {
        this.jdbi = jdbi;
        this.staleAfter = staleAfter;
    }

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> runs = new LinkedHashMap<>();
        try {
            StuckRuns.Count c = jdbi.withHandle(h -> StuckRuns.count(h, staleAfter));
            runs.put("stuck", c.stuck());
            runs.put("orphaned", c.orphaned());
        } catch (RuntimeException e) {
            runs.put("error", e.getMessage());
        }
        runs.put("stale_after", Durations.format(staleAfter));
        return runs;
    }
}
