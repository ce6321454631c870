package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The hyperparameters an experiment searches, in the order the spec lists them. */
public final class SearchSpace {
    public static final int MAX_PARAMETERS = 64;
    public static final int MAX_CHOICES = 1000;
    /** A stepped float has at most this many values (2^53: beyond it, counting them loses whole numbers). */
    public static final long MAX_STEPS = 1L << 53;
    /** Names travel as {@code --name=value} arguments and JSON keys: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private final List<Parameter> parameters;

    public SearchSpace(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        parameters.forEach(p -> n.set(p.name(), p.toJson()));
        return n;
    }

    /** Reads {@code space} (a mapping of parameter names to definitions), recording every problem. */
    public static SearchSpace parse(JsonNode space, String path, Violations v) {
        List<Parameter> parameters = new ArrayList<>();
        if (space.size() == 0) {
            v.add(path, "must define at least one parameter");
        } else if (space.size() > MAX_PARAMETERS) {
            v.add(path, "must define at most " + MAX_PARAMETERS + " parameters (has " + space.size() + ")");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = space.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = Fields.path(path, e.getKey());
            if (!NAME.matcher(e.getKey()).matches()) {
                v.add(p, "a parameter name must start with a letter or _ and hold only letters, digits, _, . and - (at most 64)");
                continue;
            }
            if (!e.getValue().isObject()) {
                v.add(p, "must be a mapping with a type (float, int or categorical)");
                continue;
            }
            parseParameter(e.getKey(), e.getValue(), p, v).ifPresent(parameters::add);
        }
        return new SearchSpace(parameters);
    }

    private static Optional<Parameter> parseParameter(String name, JsonNode def, String path, Violations v) {
        Optional<String> type = Fields.text(def, "type", path, v, true);
        if (type.isEmpty()) return Optional.empty();
        return switch (type.get()) {
            case "float" -> parseFloat(name, def, path, v);
            case "int" -> parseInt(name, def, path, v);
            case "categorical" -> parseCategorical(name, def, path, v);
            default -> {
                v.add(Fields.path(path, "type"), "must be float, int or categorical (is '" + type.get() + "')");
                yield Optional.empty();
            }
        };
    }

    private static Optional<Parameter> parseFloat(String name, JsonNode def, String path, Violations v) {
        Fields.onlyKeys(def, path, v, "type", "low", "high", "log", "step");
        int before = v.size();
        Optional<Double> low = Fields.number(def, "low", path, v, true);
        Optional<Double> high = Fields.number(def, "high", path, v, true);
        boolean log = Fields.bool(def, "log", path, v).orElse(false);
        Optional<Double> step = Fields.number(def, "step", path, v, false);
        if (low.isPresent() && high.isPresent() && low.get() >= high.get()) {
            v.add(Fields.path(path, "high"), "must be greater than low");
        }
        if (log && low.isPresent() && low.get() <= 0) {
            v.add(Fields.path(path, "low"), "must be greater than 0 when log is true");
        }
        if (step.isPresent()) {
            if (step.get() <= 0) v.add(Fields.path(path, "step"), "must be greater than 0");
            if (log) v.add(Fields.path(path, "step"), "cannot be combined with log: true");
            // halves: high - low overflows for ranges such as ±1e308
            if (low.isPresent() && high.isPresent() && step.get() / 2 > high.get() / 2 - low.get() / 2) {
                v.add(Fields.path(path, "step"), "must not exceed high - low");
            } else if (low.isPresent() && high.isPresent() && step.get() > 0 && low.get() < high.get()
                    && BigDecimal.valueOf(high.get()).subtract(BigDecimal.valueOf(low.get()))
                    .divideToIntegralValue(BigDecimal.valueOf(step.get())).compareTo(BigDecimal.valueOf(MAX_STEPS)) >= 0) {
                v.add(Fields.path(path, "step"), "leaves more than " + MAX_STEPS + " values in the range; use a larger step or none");
            }
        }
        if (v.size() > before) return Optional.empty();
        return Optional.of(new FloatParameter(name, low.get(), high.get(), log, step.orElse(null)));
    }

    private static Optional<Parameter> parseInt(String name, JsonNode def, String path, Violations v) {
        Fields.onlyKeys(def, path, v, "type", "low", "high", "log", "step");
        int before = v.size();
        long limit = 1L << 53; // beyond this, JSON readers in other languages lose whole numbers
        Optional<Long> low = Fields.wholeNumber(def, "low", path, v, true, -limit, limit);
        Optional<Long> high = Fields.wholeNumber(def, "high", path, v, true, -limit, limit);
        boolean log = Fields.bool(def, "log", path, v).orElse(false);
        Optional<Long> step = Fields.wholeNumber(def, "step", path, v, false, 1, limit);
        if (low.isPresent() && high.isPresent() && low.get() >= high.get()) {
            v.add(Fields.path(path, "high"), "must be greater than low");
        }
        if (log && low.isPresent() && low.get() < 1) {
            v.add(Fields.path(path, "low"), "must be at least 1 when log is true");
        }
        if (log && step.isPresent() && step.get() != 1) {
            v.add(Fields.path(path, "step"), "cannot be combined with log: true");
        }
        if (v.size() > before) return Optional.empty();
        return Optional.of(new IntParameter(name, low.get(), high.get(), log, step.orElse(1L)));
    }

    private static Optional<Parameter> parseCategorical(String name, JsonNode def, String path, Violations v) {
        Fields.onlyKeys(def, path, v, "type", "choices");
        JsonNode choices = def.get("choices");
        String p = Fields.path(path, "choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            v.add(p, "must be a non-empty list");
            return Optional.empty();
        }
        if (choices.size() > MAX_CHOICES) {
            v.add(p, "must have at most " + MAX_CHOICES + " choices");
            return Optional.empty();
        }
        List<JsonNode> values = new ArrayList<>();
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode c : choices) {
            if (!c.isValueNode() || c.isNull()) {
                v.add(p, "each choice must be a string, a number or a boolean");
                return Optional.empty();
            }
            JsonNode value = Params.normalize(c);
            if (!seen.add(value)) {
                v.add(p, "choice " + value + " is listed twice");
                return Optional.empty();
            }
            values.add(value);
        }
        return Optional.of(new CategoricalParameter(name, values));
    }
}
