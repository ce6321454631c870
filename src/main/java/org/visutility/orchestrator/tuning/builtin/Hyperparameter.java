package org.visutility.orchestrator.tuning.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.tuning.CategoricalParameter;
import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.IntParameter;
import org.visutility.orchestrator.tuning.Parameter;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One hyperparameter a built-in algorithm takes: its kind, its default and the values it accepts.
 * A search space may search it (a parameter of the same name), or leave it at its default.
 *
 * @param low       the smallest value accepted (whole and real kinds)
 * @param lowOpen   the smallest value itself is not accepted (a learning rate of 0)
 * @param high      the largest value accepted
 * @param highOpen  the largest value itself is not accepted (a feature fraction of 1 in a random forest)
 * @param choices   the values accepted (choice kind)
 */
public record Hyperparameter(String name, Kind kind, Object defaultValue, double low, boolean lowOpen, double high,
                             boolean highOpen, List<String> choices, String meaning) {

    public enum Kind { WHOLE, REAL, CHOICE }

    static Hyperparameter whole(String name, long defaultValue, long low, long high, String meaning) {
        return new Hyperparameter(name, Kind.WHOLE, defaultValue, low, false, high, false, List.of(), meaning);
    }

    static Hyperparameter real(String name, double defaultValue, double low, boolean lowOpen, double high, boolean highOpen,
                               String meaning) {
        return new Hyperparameter(name, Kind.REAL, defaultValue, low, lowOpen, high, highOpen, List.of(), meaning);
    }

    static Hyperparameter choice(String name, String defaultValue, List<String> choices, String meaning) {
        return new Hyperparameter(name, Kind.CHOICE, defaultValue, 0, false, 0, false, List.copyOf(choices), meaning);
    }

    /** "a whole number from 1 to 1000", "a number above 0 and at most 10", "one of sgd, adagrad". */
    public String rule() {
        return switch (kind) {
            case WHOLE -> "a whole number from " + (long) low + " to " + (long) high;
            case REAL -> "a number " + (lowOpen ? "above " : "from ") + plain(low) + (highOpen ? " and below " : " to ") + plain(high);
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    /** Why a search-space parameter cannot search this hyperparameter, if it cannot. */
    Optional<String> misfit(Parameter p) {
        boolean fits = switch (kind) {
            case WHOLE -> p instanceof IntParameter i && accepts(i.low()) && accepts(i.high());
            case REAL -> p instanceof FloatParameter f && accepts(f.low()) && accepts(f.high())
                    || p instanceof IntParameter i && accepts(i.low()) && accepts(i.high());
            case CHOICE -> p instanceof CategoricalParameter c
                    && c.choices().stream().allMatch(v -> v.isTextual() && choices.contains(v.asText()));
        };
        if (fits) return Optional.empty();
        String type = switch (kind) {
            case WHOLE -> "an int parameter";
            case REAL -> "a float (or int) parameter";
            case CHOICE -> "a categorical parameter";
        };
        return Optional.of("must be " + type + " whose values are " + rule());
    }

    /** The value a trial gets: {@code value} (a number or a string), checked, or the default when null. */
    Object resolve(Object value) {
        if (value == null) return defaultValue;
        if (value instanceof JsonNode node) return resolve(node.isNumber() ? (Object) node.numberValue() : node.asText());
        switch (kind) {
            case WHOLE -> {
                if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && accepts(n.doubleValue())) return n.longValue();
            }
            case REAL -> {
                if (value instanceof Number n && accepts(n.doubleValue())) return n.doubleValue();
            }
            case CHOICE -> {
                if (value instanceof String s && choices.contains(s)) return s;
            }
        }
        throw new IllegalArgumentException(name + " must be " + rule() + " (is " + value + ")");
    }

    private boolean accepts(double v) {
        return Double.isFinite(v) && (lowOpen ? v > low : v >= low) && (highOpen ? v < high : v <= high);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
