package org.visutility.orchestrator.tuning.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.IntParameter;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grid search: every combination of the parameters' values exactly once. Trial n gets grid point
 * π(n), where π is a permutation of the grid fixed by the seed (an affine map n → a·n + b mod
 * size, with a coprime to size). Because the point is a function of the trial number alone and
 * each trial number is recorded once, the grid is covered exactly once across any number of
 * restarts; when every point has had its trial, the strategy proposes nothing more.
 */
public final class GridSearch implements SearchStrategy {
    public static final String NAME = "grid";
    public static final long MAX_POINTS = 10_000_000L;
    public static final int MAX_GRID_SIZE = 1000;

    private final List<Parameter> parameters;
    private final List<List<JsonNode>> values;
    private final long size;
    private final long multiplier;
    private final long offset;

    GridSearch(SearchSpace space, Integer gridSize, long seed) {
        this.parameters = space.parameters();
        this.values = new ArrayList<>();
        long points = 1;
        for (Parameter p : parameters) {
            List<JsonNode> v = p.gridValues(gridSize);
            values.add(v);
            points *= v.size();
        }
        this.size = points;
        this.multiplier = coprimeMultiplier(Seeds.mix(seed, 1), size);
        this.offset = Math.floorMod(Seeds.mix(seed, 2), size);
    }

    /** How many points the grid has. */
    public long size() {
        return size;
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        if (number >= size) return Optional.empty();
        long index = Math.floorMod(multiplier * number + offset, size);
        Map<String, JsonNode> point = new LinkedHashMap<>();
        long[] digits = new long[parameters.size()];
        for (int j = parameters.size() - 1; j >= 0; j--) {
            int radix = values.get(j).size();
            digits[j] = index % radix;
            index /= radix;
        }
        for (int j = 0; j < parameters.size(); j++) {
            point.put(parameters.get(j).name(), values.get(j).get((int) digits[j]));
        }
        return Optional.of(Params.of(point));
    }

    /** A multiplier in [1, size) coprime to size (1 for a grid of one point), so that a·n mod size is a bijection. */
    private static long coprimeMultiplier(long random, long size) {
        if (size <= 2) return 1;
        long a = Math.max(1, Math.floorMod(random, size));
        while (gcd(a, size) != 1) a = a + 1 == size ? 1 : a + 1;
        return a;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements StrategyProvider {
        @Override
        public WarmStartUse warmStartUse() {
            return WarmStartUse.REFUSES;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void validate(ObjectNode options, SearchSpace space, Violations violations) {
            Fields.onlyKeys(options, "strategy", violations, "name", "seed", "grid_size");
            Integer gridSize = Fields.wholeNumber(options, "grid_size", "strategy", violations, false, 2, MAX_GRID_SIZE)
                    .map(Long::intValue).orElse(null);
            long points = 1;
            for (Parameter p : space.parameters()) {
                long count;
                if (p instanceof FloatParameter f && f.step() == null) {
                    if (gridSize == null) {
                        violations.add("space." + p.name(), "a float range needs a step for grid search (or set strategy.grid_size)");
                        return;
                    }
                    count = gridSize;
                } else if (p instanceof FloatParameter f) {
                    count = f.stepCount();
                } else if (p instanceof IntParameter i) {
                    count = i.valueCount();
                } else {
                    count = p.gridValues(null).size();
                }
                if (count > MAX_POINTS || points > MAX_POINTS / count) {
                    violations.add("space", "the grid has more than " + MAX_POINTS + " points; use steps or random search");
                    return;
                }
                points *= count;
            }
        }

        /** It never looks at scores, so any number of objectives will do. */
        @Override
        public boolean severalObjectives() {
            return true;
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objective objective) {
            JsonNode gridSize = options.get("grid_size");
            return new GridSearch(space, gridSize == null || gridSize.isNull() ? null : gridSize.asInt(), seed);
        }
    }
}
