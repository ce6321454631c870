package org.visutility.orchestrator.tuning;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A trial that has ended (complete, failed or pruned), as strategies and pruners see it: what was
 * tried, how it ended, its score and the intermediate reports it made on the way.
 */
public record FinishedTrial(int number, Params params, TrialStatus status, OptionalDouble score,
                            List<IntermediateReport> reports) {
    public FinishedTrial {
        reports = List.copyOf(reports);
    }

    public boolean isComplete() {
        return status == TrialStatus.COMPLETE && score.isPresent();
    }
}
