package org.visutility.orchestrator.tuning;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether hyperparameters chosen under another search space (an earlier round's trial, the serving
 * version's set) can be read as a point of this one: every parameter of the space must be present,
 * of its kind (an int a whole number, a float a finite number, a categorical one of the choices)
 * and inside its range or on its steps today. Parameters the space no longer has are left out.
 */
public final class SpaceFit {
    private SpaceFit() {
    }

    /** The params restricted to the space's parameters (in space order), or empty when one is missing or does not fit. */
    public static Optional<Params> fit(SearchSpace space, Params params) {
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) {
            JsonNode value = params.get(p.name());
            if (value == null || !fits(p, value)) return Optional.empty();
            kept.put(p.name(), Params.normalize(value));
        }
        return Optional.of(Params.of(kept));
    }

    static boolean fits(Parameter p, JsonNode value) {
        if (p instanceof FloatParameter f) return value.isNumber() && fitsFloat(f, value.asDouble());
        if (p instanceof IntParameter i) return value.isIntegralNumber() && value.canConvertToLong() && fitsInt(i, value.asLong());
        CategoricalParameter c = (CategoricalParameter) p;
        JsonNode v = Params.normalize(value);
        return c.choices().stream().anyMatch(choice -> Params.normalize(choice).equals(v));
    }

    private static boolean fitsFloat(FloatParameter f, double v) {
        if (!Double.isFinite(v) || v < f.low() || v > f.high()) return false;
        if (f.step() == null) return true;
        // on the steps low + k·step, in decimal as the space enumerates them
        BigDecimal k = BigDecimal.valueOf(v).subtract(BigDecimal.valueOf(f.low())).divide(BigDecimal.valueOf(f.step()), MathContext.DECIMAL64);
        return k.subtract(new BigDecimal(k.toBigInteger())).abs().compareTo(new BigDecimal("1e-9")) <= 0;
    }

    private static boolean fitsInt(IntParameter i, long v) {
        return v >= i.low() && v <= i.high() && (v - i.low()) % i.step() == 0;
    }
}
