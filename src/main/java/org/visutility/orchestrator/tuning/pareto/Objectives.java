package org.visutility.orchestrator.tuning.pareto;

import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;

import java.util.List;
import java.util.Map;

/**
 * The objectives of a search, in the order the spec lists them. Every computation of this package
 * works on points to minimise: a maximised metric's value is negated ({@link #point}).
 */
public record Objectives(List<Objective> list) {
    /** At most this many objectives: hypervolume (MOTPE's split) grows steeply with them. */
    public static final int MAX = 4;

    public Objectives {
        list = List.copyOf(list);
        if (list.isEmpty()) throw new IllegalArgumentException("no objective");
    }

    public static Objectives of(Objective... objectives) {
        return new Objectives(List.of(objectives));
    }

    public int size() {
        return list.size();
    }

    public Objective get(int i) {
        return list.get(i);
    }

    public List<String> metrics() {
        return list.stream().map(Objective::metric).toList();
    }

    /** The objective on {@code metric}, or null when none is. */
    public Objective find(String metric) {
        for (Objective o : list) {
            if (o.metric().equals(metric)) return o;
        }
        return null;
    }

    /** The trial's values as a point to minimise (maximised metrics negated); null when one is missing or not finite. */
    public double[] point(Map<String, Double> metrics) {
        double[] p = new double[list.size()];
        for (int i = 0; i < p.length; i++) {
            Double v = metrics.get(list.get(i).metric());
            if (v == null || !Double.isFinite(v)) return null;
            p[i] = list.get(i).direction() == Direction.MAXIMIZE ? -v : v;
        }
        return p;
    }

    /** The first objective metric that {@code metrics} lacks or reports as a non-finite value, or null when all are there. */
    public String missing(Map<String, Double> metrics) {
        for (Objective o : list) {
            Double v = metrics.get(o.metric());
            if (v == null || !Double.isFinite(v)) return o.metric();
        }
        return null;
    }
}
