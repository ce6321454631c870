package org.visutility.orchestrator.tuning.strategy.tpe;

import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;

import java.util.Comparator;
import java.util.List;

/**
 * One trial as TPE learns from it: its params in internal coordinates and how it ranks.
 * Ranking follows Optuna: complete trials first, by objective value; then pruned trials, those
 * that got further first (larger last step), then by their value at that step; then pruned trials
 * that reported nothing. Failed trials (when counted) and running ones (the constant liar) are not
 * ranked: they always go to the bad group.
 *
 * @param tier  0 complete, 1 pruned with an intermediate value, 2 pruned without, 3 failed or running
 * @param step  the pruned trial's last step (0 otherwise)
 * @param value the objective value, negated when maximizing (smaller is better)
 */
record Observation(int number, double[] x, int tier, long step, double value) {
    static final int COMPLETE = 0;
    static final int PRUNED = 1;
    static final int PRUNED_SILENT = 2;
    static final int UNRANKED = 3;

    /** Best first. */
    static final Comparator<Observation> RANKING = Comparator.comparingInt(Observation::tier)
            .thenComparing(Comparator.comparingLong(Observation::step).reversed())
            .thenComparingDouble(Observation::value)
            .thenComparingInt(Observation::number);

    boolean ranked() {
        return tier < UNRANKED;
    }

    /** The params in internal coordinates, or null when one of them does not fit the space (then the trial is left out). */
    static double[] internal(List<Dimension> dims, Params params) {
        double[] x = new double[dims.size()];
        for (int d = 0; d < x.length; d++) {
            x[d] = dims.get(d).toInternal(params.get(dims.get(d).name()));
            if (Double.isNaN(x[d])) return null;
        }
        return x;
    }

    /** A finished trial as an observation; null when TPE does not learn from it. */
    static Observation of(FinishedTrial t, List<Dimension> dims, Objective objective, TpeOptions.FailedTrials failed) {
        double[] x = internal(dims, t.params());
        if (x == null) return null;
        double sign = objective.direction() == Direction.MAXIMIZE ? -1 : 1;
        return switch (t.status()) {
            case COMPLETE -> t.isComplete() ? new Observation(t.number(), x, COMPLETE, 0, sign * t.score().getAsDouble()) : null;
            case PRUNED -> {
                IntermediateReport last = null;
                for (IntermediateReport r : t.reports()) {
                    if (r.value(objective.metric()).isPresent() && (last == null || r.step() >= last.step())) last = r;
                }
                yield last == null
                        ? new Observation(t.number(), x, PRUNED_SILENT, 0, 0)
                        : new Observation(t.number(), x, PRUNED, last.step(), sign * last.value(objective.metric()).getAsDouble());
            }
            case FAILED -> failed == TpeOptions.FailedTrials.BAD ? unranked(t.number(), x) : null;
            case RUNNING -> null;
        };
    }

    static Observation unranked(int number, double[] x) {
        return new Observation(number, x, UNRANKED, 0, 0);
    }
}
