package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A built-in objective with no training at all: it computes a value from the parameters, so that
 * what a run costs is the orchestration alone ({@code orchestrator bench trials}), search quality
 * can be measured anywhere ({@code orchestrator bench search}) and tests need no external
 * program. It reports {@code loss}, the value of a {@link BenchmarkFunction}: {@code sphere} (the
 * sum over parameters of (position in the range − 0.5)², smallest (0) at the middle of every
 * range), {@code branin} (2 parameters) or {@code hartmann6} (6 parameters), each parameter placed
 * on its axis of the function's domain by its position in its range. With {@code zdt1} ({@link Zdt1},
 * at least 2 parameters, each at its position in [0, 1]) it reports two metrics instead, {@code f1}
 * and {@code f2}, for experiments with two objectives.
 */
public final class FunctionTrainer implements Trainer {
    public static final String TYPE = "function";
    public static final String SPHERE = "sphere";
    public static final String METRIC = "loss";

    private final SearchSpace space;
    /** The metrics reported at the parameters' positions. */
    private final Function<double[], Map<String, Double>> metrics;
    private final BenchmarkFunction function;

    public FunctionTrainer(SearchSpace space) {
        this(space, BenchmarkFunction.SPHERE);
    }

    public FunctionTrainer(SearchSpace space, BenchmarkFunction function) {
        this.space = space;
        this.function = function;
        this.metrics = positions -> Map.of(METRIC, function.atPositions(positions));
    }

    private FunctionTrainer(SearchSpace space, Function<double[], Map<String, Double>> metrics) {
        this.space = space;
        this.function = null;
        this.metrics = metrics;
    }

    /** The two-objective trainer: reports {@code f1} and {@code f2} of {@link Zdt1}. */
    public static FunctionTrainer zdt1(SearchSpace space) {
        return new FunctionTrainer(space, Zdt1::metrics);
    }

    @Override
    public TrialResult train(TrialContext trial, TrialReporter reporter) {
        return TrialResult.complete(metrics.apply(positions(trial.params())), Optional.empty());
    }

    /** The function's value at {@code params} (a single-objective function only). */
    public double evaluate(Params params) {
        if (function == null) throw new IllegalStateException("a two-objective function has no single value");
        return function.atPositions(positions(params));
    }

    private double[] positions(Params params) {
        List<Parameter> parameters = space.parameters();
        double[] positions = new double[parameters.size()];
        for (int i = 0; i < positions.length; i++) positions[i] = parameters.get(i).position(params.get(parameters.get(i).name()));
        return positions;
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements TrainerProvider {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void validate(ObjectNode options, Violations v) {
            Fields.onlyKeys(options, "trainer", v, "type", "function");
            Fields.text(options, "function", "trainer", v, true).ifPresent(f -> {
                if (BenchmarkFunction.find(f).isEmpty() && !Zdt1.SPELLING.equals(f)) {
                    v.add("trainer.function", "must be one of " + BenchmarkFunction.spellings() + ", " + Zdt1.SPELLING + " (is '" + f + "')");
                }
            });
        }

        @Override
        public void checkSpace(ObjectNode options, SearchSpace space, Violations v) {
            if (isZdt1(options)) {
                if (space.parameters().size() < Zdt1.MIN_DIMENSIONS) {
                    v.add("space", "the function " + Zdt1.SPELLING + " takes at least " + Zdt1.MIN_DIMENSIONS + " parameters (the space has "
                            + space.parameters().size() + ")");
                }
                return;
            }
            BenchmarkFunction f = function(options);
            f.dimensions().ifPresent(d -> {
                if (space.parameters().size() != d) {
                    v.add("space", "the function " + f.spelling() + " takes exactly " + d + " parameters (the space has "
                            + space.parameters().size() + ")");
                }
            });
        }

        @Override
        public Trainer create(ObjectNode options, SearchSpace space) {
            return isZdt1(options) ? zdt1(space) : new FunctionTrainer(space, function(options));
        }

        private static boolean isZdt1(ObjectNode options) {
            return Zdt1.SPELLING.equals(options.path("function").asText().trim());
        }

        private static BenchmarkFunction function(ObjectNode options) {
            return BenchmarkFunction.find(options.path("function").asText().trim()).orElseThrow();
        }

        /** The function computed; it reads no dataset. */
        @Override
        public TrainerProvenance provenance(ObjectNode options) {
            return TrainerProvenance.algorithm(options.path("function").asText(SPHERE), Optional.empty());
        }
    }
}
