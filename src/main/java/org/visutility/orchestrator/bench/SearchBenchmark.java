package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.FinishedTrial;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.trainer.BenchmarkFunction;
import org.visutility.orchestrator.tuning.trainer.FunctionTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code orchestrator bench search}: how good a value each strategy finds on the built-in
 * benchmark functions in a fixed number of trials, as the median over seeds of the best value of
 * each run. Strategies run in this process through the strategy SPI, one trial at a time, with
 * no database: search quality does not depend on storage, and this way 2 × 20 × 60 trials take
 * seconds.
 */
public final class SearchBenchmark {
    public static final int DEFAULT_TRIALS = 60;
    public static final int DEFAULT_SEEDS = 20;
    public static final List<BenchmarkFunction> FUNCTIONS = List.of(BenchmarkFunction.BRANIN, BenchmarkFunction.HARTMANN6);
    public static final List<String> DEFAULT_STRATEGIES = List.of("random", "tpe");
    /** Optuna 3.1's median best over 20 seeds × 60 trials, measured on the same functions (TPESampler defaults, RandomSampler). */
    private static final Map<BenchmarkFunction, Map<String, Double>> OPTUNA = Map.of(
            BenchmarkFunction.BRANIN, Map.of("tpe", 0.450, "random", 1.066),
            BenchmarkFunction.HARTMANN6, Map.of("tpe", -2.860, "random", -1.994));

    /** One strategy on one function: the best value of each seed's run. */
    public record Run(BenchmarkFunction function, String strategy, double[] bestBySeed) {
        public double median() {
            return spread().median();
        }

        /** The best values over the seeds: each seed is a repetition (search quality has no warm-up). */
        public Repetitions spread() {
            return Repetitions.of("best value", bestBySeed);
        }

        /** How far the median is from the function's minimum. */
        public double gap() {
            return median() - function.minimum();
        }

        public OptionalDouble optuna() {
            Double v = OPTUNA.get(function).get(strategy);
            return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
        }
    }

    public record Result(int trials, int seeds, List<Run> runs) {
        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "search").put("trials", trials).put("seeds", seeds)
                    .put("in_process", true);
            n.set("machine", MachineFacts.local().toJson());
            ArrayNode functions = n.putArray("functions");
            for (BenchmarkFunction f : FUNCTIONS) {
                ObjectNode fn = functions.addObject().put("function", f.spelling()).put("minimum", f.minimum());
                ObjectNode strategies = fn.putObject("median_best");
                ObjectNode gaps = fn.putObject("gap_to_minimum");
                ObjectNode optuna = fn.putObject("optuna_3_1_median_best");
                ObjectNode spreads = fn.putObject("best_over_seeds");
                for (Run r : runs) {
                    if (r.function() != f) continue;
                    strategies.put(r.strategy(), round(r.median()));
                    spreads.set(r.strategy(), r.spread().toJson());
                    gaps.put(r.strategy(), round(r.gap()));
                    r.optuna().ifPresent(o -> optuna.put(r.strategy(), o));
                }
                ratio(f).ifPresent(x -> fn.put("tpe_gap_over_random_gap", round(x)));
            }
            return n;
        }

        public String text() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "bench search: median over %d seeds of the best value found in %d trials (minimise; strategies run in-process through the strategy SPI, no database)%n",
                    seeds, trials));
            s.append("  ").append(MachineFacts.local().text());
            for (BenchmarkFunction f : FUNCTIONS) {
                s.append(String.format(Locale.ROOT, "  %s (minimum %.6f)%n", f.spelling(), f.minimum()));
                for (Run r : runs) {
                    if (r.function() != f) continue;
                    s.append(String.format(Locale.ROOT, "    %-8s median best %10.4f (min %.4f, max %.4f)   gap to minimum %8.4f",
                            r.strategy(), r.median(), r.spread().min(), r.spread().max(), r.gap()));
                    r.optuna().ifPresent(o -> s.append(String.format(Locale.ROOT, "   (Optuna 3.1 %s: %.3f)", r.strategy(), o)));
                    s.append('\n');
                }
                ratio(f).ifPresent(x -> s.append(String.format(Locale.ROOT,
                        "    tpe's gap is %.2f x random's gap in this run%n", x)));
            }
            return s.toString();
        }

        /** TPE's gap to the minimum over random search's, when both ran. */
        private Optional<Double> ratio(BenchmarkFunction f) {
            Optional<Run> tpe = runs.stream().filter(r -> r.function() == f && r.strategy().equals("tpe")).findFirst();
            Optional<Run> random = runs.stream().filter(r -> r.function() == f && r.strategy().equals("random")).findFirst();
            if (tpe.isEmpty() || random.isEmpty() || random.get().gap() <= 0) return Optional.empty();
            return Optional.of(tpe.get().gap() / random.get().gap());
        }
    }

    private SearchBenchmark() {
    }

    /** A strategy's options were not valid for it (the message lists the violations). */
    public static final class InvalidOptionsException extends IllegalArgumentException {
        InvalidOptionsException(String message) {
            super(message);
        }
    }

    /**
     * Runs each strategy {@code seeds} times (seeds 0..seeds-1) on each function.
     *
     * @param options strategy options given to every strategy (name and seed are set per run)
     * @throws InvalidOptionsException when a strategy rejects the options
     */
    public static Result run(List<String> strategies, ObjectNode options, int trials, int seeds) {
        List<Run> runs = new ArrayList<>();
        for (BenchmarkFunction f : FUNCTIONS) {
            for (String strategy : strategies) {
                double[] best = new double[seeds];
                for (int seed = 0; seed < seeds; seed++) best[seed] = bestValue(f, strategy, options, seed, trials);
                runs.add(new Run(f, strategy, best));
            }
        }
        return new Result(trials, seeds, runs);
    }

    /** The best value one run of {@code strategy} finds on {@code function} in {@code trials} trials. */
    public static double bestValue(BenchmarkFunction function, String strategy, ObjectNode strategyOptions, long seed, int trials) {
        SearchSpace space = standardDomain(function);
        Objective objective = new Objective(FunctionTrainer.METRIC, Direction.MINIMIZE);
        ObjectNode options = strategyOptions.deepCopy().put("name", strategy).put("seed", seed);
        StrategyProvider provider = Strategies.all().find(strategy)
                .orElseThrow(() -> new IllegalArgumentException(Strategies.all().unknown(strategy)));
        Violations v = new Violations();
        provider.validate(options, space, v);
        if (!v.isEmpty()) throw new InvalidOptionsException(strategy + ": " + String.join("; ", v.messages()));
        SearchStrategy search = provider.create(options, space, seed, objective);
        FunctionTrainer trainer = new FunctionTrainer(space, function);
        List<FinishedTrial> finished = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int n = 0; n < trials; n++) {
            Optional<Params> params = search.suggest(n, List.copyOf(finished), List.of());
            if (params.isEmpty()) break;
            double value = trainer.evaluate(params.get());
            best = Math.min(best, value);
            finished.add(new FinishedTrial(n, params.get(), TrialStatus.COMPLETE, OptionalDouble.of(value), List.of()));
        }
        return best;
    }

    /** The function's standard domain as a search space of floats x1, x2, ... */
    public static SearchSpace standardDomain(BenchmarkFunction function) {
        int d = function.dimensions().orElseThrow();
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            parameters.add(new FloatParameter("x" + (i + 1), function.lower(i), function.upper(i), false, null));
        }
        return new SearchSpace(parameters);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
