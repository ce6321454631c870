package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Violations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The rule {@code median} (Optuna's MedianPruner): at a report of step s, a trial whose best
 * objective value so far is worse than the median of the values that complete trials reported at
 * step s is pruned. Never before step {@code warmup_steps}, only at the first report of every
 * {@code interval_steps} steps after it, and only when at least {@code min_trials} complete trials
 * reported a value at step s. Pruned and failed trials never enter the median.
 *
 * <p>The values complete trials reported are indexed by step as trials finish, so a decision
 * costs a lookup and a sort of one step's values, however long the history.
 */
public final class MedianPruner implements Pruner {
    public static final String RULE = "median";
    public static final int DEFAULT_MIN_TRIALS = 5;
    public static final int DEFAULT_WARMUP_STEPS = 0;
    public static final int DEFAULT_INTERVAL_STEPS = 1;
    private static final long MAX_STEPS = 1L << 40;
    private static final int MAX_MIN_TRIALS = 100_000;

    private final Objective objective;
    private final int minTrials;
    private final long warmupSteps;
    private final long intervalSteps;
    /** Complete trials' objective values by step, from the first {@code indexed} finished trials. */
    private final Map<Long, List<Double>> valuesByStep = new HashMap<>();
    private List<FinishedTrial> indexedFrom;
    private int indexed;

    public MedianPruner(Objective objective, int minTrials, long warmupSteps, long intervalSteps) {
        this.objective = objective;
        this.minTrials = minTrials;
        this.warmupSteps = warmupSteps;
        this.intervalSteps = intervalSteps;
    }

    @Override
    public boolean shouldPrune(int number, List<IntermediateReport> reports, List<FinishedTrial> finished) {
        if (reports.isEmpty()) return false;
        IntermediateReport latest = reports.get(reports.size() - 1);
        long step = latest.step();
        if (step < warmupSteps || latest.value(objective.metric()).isEmpty() || !firstInInterval(step, reports)) return false;
        OptionalDouble median = median(step, finished);
        if (median.isEmpty()) return false;
        double best = bestSoFar(reports);
        Direction direction = objective.direction();
        return direction.better(median.getAsDouble(), best);
    }

    /** Whether {@code step} is the first report in its interval (steps warmup + k·interval up to the next boundary). */
    private boolean firstInInterval(long step, List<IntermediateReport> reports) {
        long boundary = step - (step - warmupSteps) % intervalSteps;
        for (int i = 0; i < reports.size() - 1; i++) {
            long s = reports.get(i).step();
            if (s >= boundary && s < step) return false;
        }
        return true;
    }

    private double bestSoFar(List<IntermediateReport> reports) {
        double best = Double.NaN;
        for (IntermediateReport r : reports) {
            OptionalDouble v = r.value(objective.metric());
            if (v.isPresent() && (Double.isNaN(best) || objective.direction().better(v.getAsDouble(), best))) best = v.getAsDouble();
        }
        return best;
    }

    /** The median of complete trials' values at {@code step}, when enough of them reported one. */
    private synchronized OptionalDouble median(long step, List<FinishedTrial> finished) {
        index(finished);
        List<Double> values = valuesByStep.get(step);
        if (values == null || values.size() < minTrials) return OptionalDouble.empty();
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return OptionalDouble.of(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    }

    /** Adds the trials finished since the last call (the engine's list only grows); starts over for any other list. */
    private void index(List<FinishedTrial> finished) {
        boolean grown = indexedFrom != null && finished.size() >= indexed
                && (indexed == 0 || finished.get(indexed - 1) == indexedFrom.get(indexed - 1));
        if (!grown) {
            valuesByStep.clear();
            indexed = 0;
        }
        for (int i = indexed; i < finished.size(); i++) {
            FinishedTrial t = finished.get(i);
            if (!t.isComplete()) continue;
            for (IntermediateReport r : t.reports()) {
                r.value(objective.metric()).ifPresent(v -> valuesByStep.computeIfAbsent(r.step(), s -> new ArrayList<>()).add(v));
            }
        }
        indexed = finished.size();
        indexedFrom = finished;
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements PrunerProvider {
        @Override
        public String rule() {
            return RULE;
        }

        @Override
        public void validate(ObjectNode options, Violations v) {
            Fields.onlyKeys(options, "pruning", v, "rule", "min_trials", "warmup_steps", "interval_steps");
            Fields.wholeNumber(options, "min_trials", "pruning", v, false, 1, MAX_MIN_TRIALS);
            Fields.wholeNumber(options, "warmup_steps", "pruning", v, false, 0, MAX_STEPS);
            Fields.wholeNumber(options, "interval_steps", "pruning", v, false, 1, MAX_STEPS);
        }

        @Override
        public Pruner create(ObjectNode options, Objective objective) {
            Violations ignored = new Violations(); // validated before
            return new MedianPruner(objective,
                    Fields.wholeNumber(options, "min_trials", "pruning", ignored, false, 1, MAX_MIN_TRIALS)
                            .orElse((long) DEFAULT_MIN_TRIALS).intValue(),
                    Fields.wholeNumber(options, "warmup_steps", "pruning", ignored, false, 0, MAX_STEPS).orElse((long) DEFAULT_WARMUP_STEPS),
                    Fields.wholeNumber(options, "interval_steps", "pruning", ignored, false, 1, MAX_STEPS)
                            .orElse((long) DEFAULT_INTERVAL_STEPS));
        }
    }
}
