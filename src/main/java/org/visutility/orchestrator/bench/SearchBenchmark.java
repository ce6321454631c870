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
 * {@code orchestrator bench search}: how good a value each strategy finds on a suite of problems
 * ({@link SearchProblem#suite()}: Branin and Hartmann-6 over floats, a mixed int/categorical
 * problem, Rosenbrock over log-scaled floats and a noisy Hartmann-6) in a fixed number of trials,
 * as the median over seeds of the best value of each run (for the noisy problem: the true value of
 * the best observed trial). Random search runs in every run as the reference, with the same seeds,
 * so each strategy's gap to the minimum is also given as a share of random search's. Strategies
 * run in this process through the strategy SPI, one trial at a time, with no database: search
 * quality does not depend on storage.
 */
public final class SearchBenchmark {
    public static final int DEFAULT_TRIALS = 60;
    public static final int DEFAULT_SEEDS = 20;
    public static final List<BenchmarkFunction> FUNCTIONS = List.of(BenchmarkFunction.BRANIN, BenchmarkFunction.HARTMANN6);
    public static final List<String> DEFAULT_STRATEGIES = List.of("random", "tpe");
    public static final String REFERENCE = "random";

    /** Where a figure of Optuna's comes from. */
    public record OptunaFigure(double medianBest, String source) {
    }

    private static final String OPTUNA_3_1 = "Optuna 3.1, measured, 20 seeds x 60 trials";
    private static final String OPTUNA_5_0 = "Optuna 5.0.0, measured with ops/bench/optuna_search.py, 20 seeds x 60 trials";
    /** Optuna's median best over 20 seeds × 60 trials, measured on the same problems (TPESampler defaults, RandomSampler). */
    private static final Map<String, Map<String, OptunaFigure>> OPTUNA = Map.of(
            "branin", Map.of("tpe", new OptunaFigure(0.450, OPTUNA_3_1), "random", new OptunaFigure(1.066, OPTUNA_3_1)),
            "hartmann6", Map.of("tpe", new OptunaFigure(-2.860, OPTUNA_3_1), "random", new OptunaFigure(-1.994, OPTUNA_3_1)));

    /** One strategy on one problem: the best value of each seed's run. */
    public record Run(SearchProblem problem, String strategy, double[] bestBySeed) {
        public double median() {
            return spread().median();
        }

        /** The best values over the seeds: each seed is a repetition (search quality has no warm-up). */
        public Repetitions spread() {
            return Repetitions.of("best value", bestBySeed);
        }

        /** How far the median is from the problem's minimum. */
        public double gap() {
            return median() - problem.minimum();
        }

        /** Optuna's figure for this strategy and problem, when one was measured (only with the strategy's default options). */
        public Optional<OptunaFigure> optuna() {
            return Optional.ofNullable(OPTUNA.getOrDefault(problem.name(), Map.of()).get(strategy));
        }
    }

    /** A strategy that cannot search a problem's space (grid search over a space too large to enumerate). */
    public record Skipped(SearchProblem problem, String strategy, String reason) {
    }

    public record Result(int trials, int seeds, ObjectNode options, List<Run> runs, List<Skipped> skipped) {
        private List<SearchProblem> problems() {
            List<SearchProblem> ps = new ArrayList<>();
            for (Run r : runs) if (!ps.contains(r.problem())) ps.add(r.problem());
            return ps;
        }

        private List<String> strategies() {
            return runs.stream().map(Run::strategy).distinct().toList();
        }

        /** Optuna's figures apply to a strategy run with its default options only. */
        private Optional<OptunaFigure> optuna(Run r) {
            return r.strategy().equals(REFERENCE) || options.isEmpty() ? r.optuna() : Optional.empty();
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "search").put("trials", trials).put("seeds", seeds)
                    .put("in_process", true).put("reference", REFERENCE);
            n.set("options", options);
            n.set("machine", MachineFacts.local().toJson());
            ArrayNode functions = n.putArray("functions");
            for (SearchProblem f : problems()) {
                ObjectNode fn = functions.addObject().put("function", f.name()).put("kinds", f.kinds()).put("minimum", f.minimum());
                ObjectNode strategies = fn.putObject("median_best");
                ObjectNode gaps = fn.putObject("gap_to_minimum");
                ObjectNode optuna = fn.putObject("optuna_median_best");
                ObjectNode spreads = fn.putObject("best_over_seeds");
                for (Run r : runs) {
                    if (r.problem() != f) continue;
                    strategies.put(r.strategy(), round(r.median()));
                    spreads.set(r.strategy(), r.spread().toJson());
                    gaps.put(r.strategy(), round(r.gap()));
                    optuna(r).ifPresent(o -> optuna.putObject(r.strategy()).put("median_best", o.medianBest()).put("source", o.source()));
                }
                for (Skipped k : skipped) if (k.problem() == f) fn.putObject("skipped").put(k.strategy(), k.reason());
                ObjectNode ratios = fn.putObject("gap_over_random_gap");
                for (String s : strategies()) ratio(f, s).ifPresent(x -> ratios.put(s, round(x)));
                ratio(f, "tpe").ifPresent(x -> fn.put("tpe_gap_over_random_gap", round(x)));
            }
            ObjectNode suite = n.putObject("suite_mean_gap_over_random_gap");
            for (String s : strategies()) suiteRatio(s).ifPresent(x -> suite.put(s, round(x)));
            return n;
        }

        public String text() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "bench search: median over %d seeds of the best value found in %d trials (minimise; strategies run in-process through the strategy SPI, no database)%n",
                    seeds, trials));
            if (!options.isEmpty()) s.append("  options of the strategy under test: ").append(options).append('\n');
            s.append("  ").append(MachineFacts.local().text());
            for (SearchProblem f : problems()) {
                s.append(String.format(Locale.ROOT, "  %s: %s (minimum %.6f)%n", f.name(), f.kinds(), f.minimum()));
                for (Run r : runs) {
                    if (r.problem() != f) continue;
                    s.append(String.format(Locale.ROOT, "    %-8s median best %10.4f (min %.4f, max %.4f)   gap to minimum %8.4f",
                            r.strategy(), r.median(), r.spread().min(), r.spread().max(), r.gap()));
                    ratio(f, r.strategy()).filter(x -> !r.strategy().equals(REFERENCE))
                            .ifPresent(x -> s.append(String.format(Locale.ROOT, " = %.2f x random's", x)));
                    optuna(r).ifPresent(o -> s.append(String.format(Locale.ROOT, "   (%s: %.3f)", o.source(), o.medianBest())));
                    s.append('\n');
                }
                for (Skipped k : skipped) {
                    if (k.problem() == f) s.append(String.format(Locale.ROOT, "    %-8s skipped: %s%n", k.strategy(), k.reason()));
                }
            }
            for (String st : strategies()) {
                if (st.equals(REFERENCE)) continue;
                suiteRatio(st).ifPresent(x -> s.append(String.format(Locale.ROOT,
                        "  %s over the suite: its gap to the minimum is on average %.3f x random search's (lower is better)%n", st, x)));
            }
            return s.toString();
        }

        /** The strategy's gap to the minimum over random search's on one problem, when both ran. */
        private Optional<Double> ratio(SearchProblem f, String strategy) {
            Optional<Run> run = runs.stream().filter(r -> r.problem() == f && r.strategy().equals(strategy)).findFirst();
            Optional<Run> random = runs.stream().filter(r -> r.problem() == f && r.strategy().equals(REFERENCE)).findFirst();
            if (run.isEmpty() || random.isEmpty() || random.get().gap() <= 0) return Optional.empty();
            return Optional.of(run.get().gap() / random.get().gap());
        }

        /** The mean over the problems of the strategy's gap over random search's: one figure for the whole suite. */
        public Optional<Double> suiteRatio(String strategy) {
            double[] ratios = problems().stream().map(f -> ratio(f, strategy)).flatMap(Optional::stream).mapToDouble(Double::doubleValue).toArray();
            return ratios.length == problems().size() && ratios.length > 0 && skipped.isEmpty() ? Optional.of(Arrays.stream(ratios).average().orElseThrow()) : Optional.empty();
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
     * Runs random search and {@code strategy} {@code seeds} times (seeds 0..seeds-1) on each problem of the suite.
     *
     * @param options options of {@code strategy} (name and seed are set per run); random search runs with none
     * @throws InvalidOptionsException when the strategy rejects the options
     */
    public static Result run(List<String> strategies, ObjectNode options, int trials, int seeds) {
        return run(SearchProblem.suite(), strategies, options, trials, seeds);
    }

    public static Result run(List<SearchProblem> problems, List<String> strategies, ObjectNode options, int trials, int seeds) {
        List<String> all = new ArrayList<>(List.of(REFERENCE));
        strategies.stream().filter(s -> !all.contains(s)).forEach(all::add);
        ObjectNode none = Json.MAPPER.createObjectNode();
        List<Run> runs = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (SearchProblem f : problems) {
            for (String strategy : all) {
                ObjectNode o = strategy.equals(REFERENCE) && !strategies.contains(REFERENCE) ? none : options;
                Optional<String> unfit = spaceRejected(f, strategy, o);
                if (unfit.isPresent()) {
                    skipped.add(new Skipped(f, strategy, unfit.get()));
                    continue;
                }
                double[] best = new double[seeds];
                for (int seed = 0; seed < seeds; seed++) best[seed] = bestValue(f, strategy, o, seed, trials);
                runs.add(new Run(f, strategy, best));
            }
        }
        return new Result(trials, seeds, options, runs, skipped);
    }

    /** Why the strategy cannot search the problem's space, when only the space (not the options) is at fault. */
    private static Optional<String> spaceRejected(SearchProblem problem, String strategy, ObjectNode options) {
        StrategyProvider provider = Strategies.all().find(strategy)
                .orElseThrow(() -> new IllegalArgumentException(Strategies.all().unknown(strategy)));
        Violations v = new Violations();
        provider.validate(options.deepCopy().put("name", strategy).put("seed", 0), problem.space(), v);
        if (v.isEmpty() || !v.messages().stream().allMatch(m -> m.startsWith("space"))) return Optional.empty();
        return Optional.of(String.join("; ", v.messages()));
    }

    /** The best value one run of {@code strategy} finds on {@code function} (standard domain) in {@code trials} trials. */
    public static double bestValue(BenchmarkFunction function, String strategy, ObjectNode strategyOptions, long seed, int trials) {
        return bestValue(new SearchProblem.OnDomain(function), strategy, strategyOptions, seed, trials);
    }

    /**
     * The true value of the trial one run of {@code strategy} would pick on {@code problem} (the
     * best observed) after {@code trials} trials.
     */
    public static double bestValue(SearchProblem problem, String strategy, ObjectNode strategyOptions, long seed, int trials) {
        SearchSpace space = problem.space();
        Objective objective = new Objective(FunctionTrainer.METRIC, Direction.MINIMIZE);
        ObjectNode options = strategyOptions.deepCopy().put("name", strategy).put("seed", seed);
        StrategyProvider provider = Strategies.all().find(strategy)
                .orElseThrow(() -> new IllegalArgumentException(Strategies.all().unknown(strategy)));
        Violations v = new Violations();
        provider.validate(options, space, v);
        if (!v.isEmpty()) throw new InvalidOptionsException(strategy + ": " + String.join("; ", v.messages()));
        SearchStrategy search = provider.create(options, space, seed, objective);
        List<FinishedTrial> finished = new ArrayList<>();
        double bestObserved = Double.POSITIVE_INFINITY;
        double best = Double.NaN;
        for (int n = 0; n < trials; n++) {
            Optional<Params> params = search.suggest(n, List.copyOf(finished), List.of());
            if (params.isEmpty()) break;
            double observed = problem.observe(params.get(), seed, n);
            if (observed < bestObserved) {
                bestObserved = observed;
                best = problem.value(params.get());
            }
            finished.add(new FinishedTrial(n, params.get(), TrialStatus.COMPLETE, OptionalDouble.of(observed), List.of()));
        }
        return best;
    }

    /** The function's standard domain as a search space of floats x1, x2, ... */
    public static SearchSpace standardDomain(BenchmarkFunction function) {
        return new SearchProblem.OnDomain(function).space();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
