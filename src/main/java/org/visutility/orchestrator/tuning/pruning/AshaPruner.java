package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.Violations;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;

/**
 * The rule {@code asha}: asynchronous successive halving (Li et al., "A System for Massively
 * Parallel Hyperparameter Tuning", MLSys 2020). Rung k sits at step
 * {@code min_resource · reduction_factor^(k + min_early_stopping_rate)}. The first report of a
 * trial at or past a rung's step records the trial's value there; the trial goes on only if that
 * value is among the best {@code max(1, ⌊n / reduction_factor⌋)} of the n values recorded at the
 * rung (its own included), otherwise it is pruned. So the first trial at a rung always goes on, and
 * until a rung holds {@code reduction_factor} values only a trial that beats all of them does
 * (Optuna's SuccessiveHalvingPruner decides the same way). Ties go on; a NaN value is pruned.
 *
 * <p>The values recorded at a rung are those of the finished trials the engine passes in (complete
 * and pruned ones; failed ones never count, excluded ones are left out by the engine), which a
 * restart reads back from the database. The decision depends on that set of values only, not on
 * the order the trials finished in.
 */
public final class AshaPruner implements Pruner {
    public static final String RULE = "asha";

    private final Objective objective;
    private final Rungs rungs;
    private final long reductionFactor;
    private final IntPredicate member;
    /** Values recorded at each rung by the first {@code indexed} finished trials. */
    private final List<List<Double>> valuesByRung = new ArrayList<>();
    private List<FinishedTrial> indexedFrom;
    private int indexed;

    /** @param member the trial numbers this rule judges and compares (all of them, or one Hyperband bracket) */
    public AshaPruner(Objective objective, Rungs rungs, long reductionFactor, IntPredicate member) {
        this.objective = objective;
        this.rungs = rungs;
        this.reductionFactor = reductionFactor;
        this.member = member;
        for (int k = 0; k < rungs.count(); k++) valuesByRung.add(new ArrayList<>());
    }

    @Override
    public boolean shouldPrune(int number, List<IntermediateReport> reports, List<FinishedTrial> finished) {
        if (reports.isEmpty() || !member.test(number)) return false;
        IntermediateReport latest = reports.get(reports.size() - 1);
        OptionalDouble value = latest.value(objective.metric());
        if (value.isEmpty()) return false;
        long before = Long.MIN_VALUE;
        for (int i = 0; i < reports.size() - 1; i++) before = Math.max(before, reports.get(i).step());
        for (int k = 0; k < rungs.count(); k++) {
            long rungStep = rungs.step(k);
            // only the rungs this report is the first to reach
            if (rungStep <= before || rungStep > latest.step()) continue;
            if (Double.isNaN(value.getAsDouble())) return true;
            if (!promoted(k, value.getAsDouble(), number, finished)) return true;
        }
        return false;
    }

    /** Whether {@code value} is among the best max(1, n / reduction_factor) of the n values at rung {@code k}. */
    private boolean promoted(int k, double value, int number, List<FinishedTrial> finished) {
        double[] others = recorded(k, finished);
        int n = others.length + 1;
        int keep = (int) Math.max(1, n / reductionFactor);
        // how many recorded values are strictly better than this one: fewer than keep and it goes on
        Direction direction = objective.direction();
        int better = 0;
        for (double other : others) if (direction.better(other, value)) better++;
        return better < keep;
    }

    private synchronized double[] recorded(int k, List<FinishedTrial> finished) {
        index(finished);
        List<Double> values = valuesByRung.get(k);
        double[] copy = new double[values.size()];
        for (int i = 0; i < copy.length; i++) copy[i] = values.get(i);
        return copy;
    }

    /** Adds the trials finished since the last call (the engine's list only grows); starts over for any other list. */
    private void index(List<FinishedTrial> finished) {
        boolean grown = indexedFrom != null && finished.size() >= indexed
                && (indexed == 0 || finished.get(indexed - 1) == indexedFrom.get(indexed - 1));
        if (!grown) {
            valuesByRung.forEach(List::clear);
            indexed = 0;
        }
        for (int i = indexed; i < finished.size(); i++) {
            FinishedTrial t = finished.get(i);
            if (!member.test(t.number()) || !(t.status() == TrialStatus.COMPLETE || t.status() == TrialStatus.PRUNED)) continue;
            for (int k = 0; k < rungs.count(); k++) {
                valueAt(t.reports(), rungs.step(k)).ifPresent(valuesByRung.get(k)::add);
            }
        }
        indexed = finished.size();
        indexedFrom = finished;
    }

    /** The value a trial recorded at a rung: that of its first report at or past the rung's step (when finite). */
    private OptionalDouble valueAt(List<IntermediateReport> reports, long rungStep) {
        long before = Long.MIN_VALUE;
        for (IntermediateReport r : reports) {
            if (r.step() >= rungStep && before < rungStep) {
                OptionalDouble v = r.value(objective.metric());
                return v.isPresent() && !Double.isNaN(v.getAsDouble()) ? v : OptionalDouble.empty();
            }
            before = Math.max(before, r.step());
        }
        return OptionalDouble.empty();
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements PrunerProvider {
        @Override
        public String rule() {
            return RULE;
        }

        @Override
        public void validate(ObjectNode options, Violations v) {
            Fields.onlyKeys(options, "pruning", v,
                    "rule", "min_resource", "reduction_factor", "max_resource", "min_early_stopping_rate");
            HalvingOptions.read(options, RULE, false, true, v);
        }

        @Override
        public Pruner create(ObjectNode options, Objective objective) {
            Violations problems = new Violations();
            HalvingOptions o = HalvingOptions.read(options, RULE, false, true, problems)
                    .orElseThrow(() -> new IllegalArgumentException(String.join("; ", problems.messages())));
            return new AshaPruner(objective, Rungs.of(o.minResource(), o.reductionFactor(), o.earlyStoppingRate(), o.maxResource()),
                    o.reductionFactor(), n -> true);
        }
    }
}
