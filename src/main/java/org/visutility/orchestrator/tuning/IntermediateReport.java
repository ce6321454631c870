package org.visutility.orchestrator.tuning;

import java.util.Map;
import java.util.OptionalDouble;

/** A report a trainer made while training (it carried a step): the step and the metrics at that step. */
public record IntermediateReport(long step, Map<String, Double> metrics) {
    public IntermediateReport {
        metrics = Map.copyOf(metrics);
    }

    public OptionalDouble value(String metric) {
        Double v = metrics.get(metric);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
