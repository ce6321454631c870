package org.visutility.orchestrator.tuning.pareto;

import org.visutility.orchestrator.tuning.Objective;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one trial is chosen from the Pareto front ({@code select:}): among the front's members that
 * meet every constraint, the best on {@code metric} (ties: the lower trial number). The front is
 * the completed trials no other completed trial dominates. When no member meets the constraints
 * nothing is chosen ({@link Choice#chosen()} empty) and {@link Choice#closest()} names the member
 * nearest to meeting them, for the message: the experiment then fails rather than register a version
 * that breaks the constraint.
 *
 * @param metric      the objective the choice maximises or minimises (its own direction)
 * @param constraints bounds every chosen trial meets, on objective metrics
 */
public record SelectRule(String metric, List<Constraint> constraints) {
    public SelectRule {
        constraints = List.copyOf(constraints);
    }

    /** A trial as the rule sees it: its number and metrics. */
    public record Candidate(int number, Map<String, Double> metrics) {
    }

    /**
     * What the rule found.
     *
     * @param front   the non-dominated candidates, by number
     * @param chosen  the chosen one, when a front member meets every constraint
     * @param closest with no member meeting them: the member whose summed shortfall, relative to each bound, is smallest
     */
    public record Choice(List<Candidate> front, Optional<Candidate> chosen, Optional<Candidate> closest) {
    }

    /** The default with several objectives and no {@code select}: the best on the first objective listed, no constraint. */
    public static SelectRule firstObjective(Objectives objectives) {
        return new SelectRule(objectives.get(0).metric(), List.of());
    }

    public String constraintText() {
        return Constraint.join(constraints);
    }

    /** Applies the rule to {@code candidates} (completed trials; those lacking an objective value are left out). */
    public Choice choose(List<Candidate> candidates, Objectives objectives) {
        List<Candidate> usable = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (Candidate c : candidates) {
            double[] p = objectives.point(c.metrics());
            if (p == null) continue;
            usable.add(c);
            points.add(p);
        }
        List<Candidate> front = new ArrayList<>();
        for (int i : NonDominatedSort.front(points)) front.add(usable.get(i));
        front.sort((a, b) -> Integer.compare(a.number(), b.number()));
        Objective by = objectives.find(metric);
        Candidate best = null;
        Candidate closest = null;
        double closestShortfall = Double.POSITIVE_INFINITY;
        for (Candidate c : front) {
            if (constraints.stream().allMatch(k -> k.holds(c.metrics()))) {
                double v = c.metrics().get(metric);
                if (best == null || by.direction().better(v, best.metrics().get(metric))) best = c;
            } else {
                double shortfall = 0;
                for (Constraint k : constraints) {
                    Double v = c.metrics().get(k.metric());
                    shortfall += v == null ? Double.POSITIVE_INFINITY : k.violation(v) / Math.max(Math.abs(k.bound()), 1e-12);
                }
                if (shortfall < closestShortfall) {
                    closest = c;
                    closestShortfall = shortfall;
                }
            }
        }
        return best != null
                ? new Choice(List.copyOf(front), Optional.of(best), Optional.empty())
                : new Choice(List.copyOf(front), Optional.empty(), Optional.ofNullable(closest));
    }
}
