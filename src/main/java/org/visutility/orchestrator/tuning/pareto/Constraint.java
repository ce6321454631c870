package org.visutility.orchestrator.tuning.pareto;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bound of {@code select.constraint}: {@code metric op number}. The grammar is small and parsed
 * here, never handed to SQL: {@code name (<=|<|>=|>) number}, several joined by {@code and}, e.g.
 * {@code "latency_ms <= 20 and size_mb < 50"}.
 */
public record Constraint(String metric, Operator operator, double bound) {
    /** A constraint text longer than this is refused. */
    public static final int MAX_LENGTH = 500;
    /** At most this many bounds joined by {@code and}. */
    public static final int MAX_BOUNDS = 8;

    public enum Operator {
        AT_MOST("<="), BELOW("<"), AT_LEAST(">="), ABOVE(">");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double value, double bound) {
            return switch (this) {
                case AT_MOST -> value <= bound;
                case BELOW -> value < bound;
                case AT_LEAST -> value >= bound;
                case ABOVE -> value > bound;
            };
        }

        static Operator of(String symbol) {
            for (Operator o : values()) {
                if (o.symbol.equals(symbol)) return o;
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** Thrown by {@link #parseAll} with the rule the text breaks. */
    public static final class Malformed extends IllegalArgumentException {
        public Malformed(String message) {
            super(message);
        }
    }

    private static final Pattern JOIN = Pattern.compile("\\s+and\\s+");
    private static final Pattern BOUND = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_.-]{0,63})\\s*(<=|>=|<|>)\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    /** True when {@code metrics} holds the metric and its value is within the bound. */
    public boolean holds(Map<String, Double> metrics) {
        Double v = metrics.get(metric);
        return v != null && Double.isFinite(v) && operator.holds(v, bound);
    }

    /** How far {@code value} is outside the bound (0 inside it). */
    public double violation(double value) {
        if (operator.holds(value, bound)) return 0;
        return Math.abs(value - bound);
    }

    /** Parses a whole constraint text; {@link Malformed} names what is wrong with it. */
    public static List<Constraint> parseAll(String text) {
        if (text.length() > MAX_LENGTH) throw new Malformed("must be at most " + MAX_LENGTH + " characters");
        if (text.isBlank()) throw new Malformed("must be a non-empty string such as \"latency_ms <= 20\"");
        String[] parts = JOIN.split(text.trim(), -1);
        if (parts.length > MAX_BOUNDS) throw new Malformed("joins " + parts.length + " bounds; at most " + MAX_BOUNDS);
        List<Constraint> bounds = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            Matcher m = BOUND.matcher(parts[i]);
            if (!m.matches()) {
                throw new Malformed("bound " + (i + 1) + " ('" + shown(parts[i]) + "') is not 'metric <=|<|>=|> number'"
                        + " (bounds are joined by 'and', e.g. \"latency_ms <= 20 and accuracy >= 0.9\")");
            }
            double bound = Double.parseDouble(m.group(3));
            if (!Double.isFinite(bound)) throw new Malformed("bound " + (i + 1) + " has a number that is not finite");
            bounds.add(new Constraint(m.group(1), Operator.of(m.group(2)), bound));
        }
        return List.copyOf(bounds);
    }

    /** A user's text in a message: bounded, control characters replaced. */
    private static String shown(String s) {
        String t = s.trim().replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 60) + "…" : t;
    }

    @Override
    public String toString() {
        return metric + " " + operator.symbol() + " " + format(bound);
    }

    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d).toLowerCase(Locale.ROOT);
    }

    /** The bounds as one text, joined by {@code and} (the stored spelling). */
    public static String join(List<Constraint> constraints) {
        return String.join(" and ", constraints.stream().map(Constraint::toString).toList());
    }
}
