package org.visutility.orchestrator.tuning.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Random search: each trial's parameters are drawn independently from a random stream of its
 * own (seed, trial number), so a replay after a restart draws the same values.
 */
public final class RandomSearch implements SearchStrategy {
    public static final String NAME = "random";

    private final SearchSpace space;
    private final long seed;

    RandomSearch(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        return Optional.of(draw(space, seed, number));
    }

    /** Random search's proposal for trial {@code number}: each parameter drawn from the stream (seed, number). */
    public static Params draw(SearchSpace space, long seed, int number) {
        Random random = new Random(Seeds.mix(seed, number));
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) values.put(p.name(), p.sample(random));
        return Params.of(values);
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements StrategyProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void validate(ObjectNode options, SearchSpace space, Violations violations) {
            Fields.onlyKeys(options, "strategy", violations, "name", "seed");
        }

        /** It never looks at scores, so any number of objectives will do. */
        @Override
        public boolean severalObjectives() {
            return true;
        }

        @Override
        public SearchStrategy create(ObjectNode options, SearchSpace space, long seed, Objective objective) {
            return new RandomSearch(space, seed);
        }
    }
}
