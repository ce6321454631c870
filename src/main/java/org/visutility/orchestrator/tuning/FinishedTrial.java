package org.visutility.orchestrator.tuning;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A trial that has ended (complete, failed or pruned), as strategies and pruners see it: what was
 * tried, how it ended, its score, the intermediate reports it made on the way and the metrics of its
 * final report (strategies with several objectives read each objective's value there).
 */
public record FinishedTrial(int number, Params params, TrialStatus status, OptionalDouble score,
                            List<IntermediateReport> reports, Map<String, Double> metrics) {
    public FinishedTrial {
        reports = List.copyOf(reports);
        metrics = Map.copyOf(metrics);
    }

    /** A trial whose final metrics nobody reads (one objective: the score is all a strategy needs). */
    public FinishedTrial(int number, Params params, TrialStatus status, OptionalDouble score, List<IntermediateReport> reports) {
        this(number, params, status, score, reports, Map.of());
    }

    public boolean isComplete() {
        return status == TrialStatus.COMPLETE && score.isPresent();
    }
}
