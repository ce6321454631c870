package org.visutility.orchestrator.tuning.gate;

import org.visutility.orchestrator.tuning.Direction;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The gate's rule ({@code gate:} of a spec): the candidate is approved when its {@code metric}
 * beats the active version's by at least {@code minGain} in {@code direction} (gain = candidate −
 * active when maximizing, active − candidate when minimizing; a gain equal to min_gain passes), and
 * it is no worse on any {@code noWorse} metric (judged in the same direction). With no active
 * version, a candidate that could be scored is approved. Anything that keeps the rule from being
 * applied (an evaluation that failed, a metric missing) rejects: the rule never approves by accident.
 */
public record GateRule(String metric, Direction direction, double minGain, List<String> noWorse) {
    public GateRule {
        if (!(minGain >= 0) || Double.isInfinite(minGain)) throw new IllegalArgumentException("min_gain must be a number >= 0: " + minGain);
        noWorse = List.copyOf(noWorse);
    }

    /**
     * @param active the active version's evaluation; empty when the model has no active version
     */
    public GateVerdict judge(Evaluation candidate, Optional<Evaluation> active) {
        OptionalDouble c = value(candidate, metric);
        OptionalDouble a = active.map(e -> value(e, metric)).orElse(OptionalDouble.empty());
        if (!candidate.ok()) return GateVerdict.rejected("cannot run the gate: " + candidate.failure().get(), c, a);
        if (c.isEmpty()) return GateVerdict.rejected("cannot run the gate: the candidate's evaluation has no metric " + metric, c, a);
        if (active.isEmpty()) {
            return new GateVerdict(true, "no active version to beat (" + metric + " " + shown(c.getAsDouble()) + ")", c, a, Map.of());
        }
        if (!active.get().ok()) return GateVerdict.rejected("cannot run the gate: " + active.get().failure().get(), c, a);
        if (a.isEmpty()) return GateVerdict.rejected("cannot run the gate: the active version's evaluation has no metric " + metric, c, a);

        Map<String, GateVerdict.NoWorse> checks = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String m : noWorse) {
            OptionalDouble cm = value(candidate, m);
            OptionalDouble am = value(active.get(), m);
            if (cm.isEmpty() || am.isEmpty()) {
                problems.add("cannot run the gate: the " + (cm.isEmpty() ? "candidate's" : "active version's")
                        + " evaluation has no metric " + m + " (no_worse)");
                continue;
            }
            boolean ok = !direction.better(am.getAsDouble(), cm.getAsDouble());
            checks.put(m, new GateVerdict.NoWorse(cm.getAsDouble(), am.getAsDouble(), ok));
            if (!ok) problems.add(m + " is worse: " + shown(cm.getAsDouble()) + " against " + shown(am.getAsDouble()) + " (no_worse)");
        }
        double gain = direction == Direction.MAXIMIZE ? c.getAsDouble() - a.getAsDouble() : a.getAsDouble() - c.getAsDouble();
        boolean beats = gain >= minGain;
        String comparison = metric + " " + shown(c.getAsDouble()) + (beats ? " beats " : " does not beat ") + shown(a.getAsDouble())
                + " by " + shown(gain) + (beats ? " >= " : " < ") + "min_gain " + shown(minGain);
        if (!problems.isEmpty()) {
            // a missing no_worse metric is the first thing to say: the rule could not be applied at all
            problems.sort((x, y) -> Boolean.compare(!x.startsWith("cannot"), !y.startsWith("cannot")));
            return new GateVerdict(false, String.join("; ", problems) + "; " + comparison, c, a, checks);
        }
        return new GateVerdict(beats, comparison, c, a, checks);
    }

    private static OptionalDouble value(Evaluation e, String metric) {
        Double v = e.metrics().get(metric);
        return v == null || !Double.isFinite(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** A score as the reason shows it: four significant digits, no exponent. */
    static String shown(double v) {
        if (v == 0) return "0";
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
