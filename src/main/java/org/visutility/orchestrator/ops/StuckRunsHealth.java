package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.node.HealthSection;

import java.util.LinkedHashMap;
import java.util.Map;

/** The "runs" section of GET /health: runs that look stuck (heartbeat stale) and of those the orphaned ones. */
final class StuckRunsHealth implements HealthSection {
    private final StuckRunCounts counts;

    StuckRunsHealth(StuckRunCounts counts) {
        this.counts = counts;
    }

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> runs = new LinkedHashMap<>();
        try {
            StuckRuns.Count c = counts.now();
            runs.put("stuck", c.stuck());
            runs.put("orphaned", c.orphaned());
        } catch (RuntimeException e) {
            runs.put("error", e.getMessage());
        }
        runs.put("stale_after", Durations.format(counts.staleAfter()));
        return runs;
    }
}
