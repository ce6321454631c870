package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.strategy.WarmStartedStrategy;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.Trainers;
import org.visutility.orchestrator.tuning.trainer.TrialContext;
import org.visutility.orchestrator.tuning.trainer.TrialReporter;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * {@code orchestrator bench warmstart}: does a retrain round that warm-starts from the earlier rounds
 * find the cold round's best sooner? Per seed, three rounds of TPE tune the built-in logistic
 * regression on shifted digits ({@link RoundShift}: each round another subsample, noisier pixels);
 * rounds 1 and 2 run cold and make the history; round 3 runs twice on the same data with the same
 * strategy seed: cold, and warm-started from rounds 1-2 exactly as the engine does it (the same
 * {@link WarmStartedStrategy} over their finished trials, oldest first, and trial 0 the baseline:
 * round 2's best hyperparameters, standing in for the serving version's). The figure is how many
 * trials the warm round needed to score at least the cold round's final best, per seed and median.
 * In-process, one trial at a time, with no database (the engine's bookkeeping is not what is measured).
 */
public final class WarmStartBenchmark {
    public static final int DEFAULT_TRIALS = 20;
    public static final int DEFAULT_SEEDS = 10;
    public static final int DEFAULT_ROWS = 300;
    static final int ROUNDS = 3;
    static final String METRIC = "accuracy";
    private static final Direction DIRECTION = Direction.MAXIMIZE;
    private static final String SPEC = """
            model: bench-warmstart
            objective: {metric: accuracy, direction: maximize}
            strategy: {name: tpe, seed: %d, startup_trials: 8}
            budget: {trials: %d}
            space:
              learning_rate: {type: float, low: 1.0e-4, high: 1.0, log: true}
              l2: {type: float, low: 1.0e-5, high: 1.0, log: true}
              epochs: {type: int, low: 1, high: 10}
              batch_size: {type: int, low: 1, high: 64, log: true}
              optimizer: {type: categorical, choices: [sgd, adagrad, adam, rmsprop]}
            trainer: {type: builtin, algorithm: logistic_regression, dataset: '%s', label: label, test_fraction: 0.25, seed: 1}
            """;

    /** One seed: the cold and warm round 3's scores in trial order, and the warm round's trials to reach the cold best. */
    public record Seed(long seed, double coldBest, int coldTrialsToOwnBest, double warmBest, OptionalInt warmTrialsToColdBest) {
    }

    public record Result(int trials, int seeds, int rows, List<Seed> bySeed) {
        /** Each seed's trials to reach, a seed that never reached counted as infinitely many. */
        double[] reach() {
            return bySeed.stream().mapToDouble(s -> s.warmTrialsToColdBest().isPresent()
                    ? s.warmTrialsToColdBest().getAsInt() : Double.POSITIVE_INFINITY).sorted().toArray();
        }

        /** The median trials to reach (infinite when more than half the seeds never reached). */
        double median() {
            return WarmStartBenchmark.median(reach());
        }

        int reached() {
            return (int) bySeed.stream().filter(s -> s.warmTrialsToColdBest().isPresent()).count();
        }

        public String text() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "Warm start on the built-in logistic regression (digits, %d rows a round, pixel noise +%.1f a round), TPE,"
                            + " %d trials a round, %d seeds, in-process:%n", rows, RoundShift.NOISE_PER_ROUND, trials, seeds));
            b.append("  seed  cold best (at trial)  warm best  warm trials to reach cold best\n");
            for (Seed s : bySeed) {
                b.append(String.format(Locale.ROOT, "  %4d  %9.4f (%3d)        %9.4f  %s%n", s.seed(), s.coldBest(), s.coldTrialsToOwnBest(),
                        s.warmBest(), s.warmTrialsToColdBest().isPresent() ? String.valueOf(s.warmTrialsToColdBest().getAsInt()) : "not reached"));
            }
            double[] r = reach();
            b.append(String.format(Locale.ROOT, "  warm trials to reach the cold best: min %s, median %s, max %s (reached in %d of %d seeds)%n",
                    count(r[0]), count(median()), count(r[r.length - 1]), reached(), seeds));
            double ratio = median() / trials;
            b.append(String.format(Locale.ROOT, "  median / cold round's %d trials: %s (goal <= 0.5: %s)%n", trials,
                    Double.isInfinite(ratio) ? "not reached" : String.format(Locale.ROOT, "%.3f", ratio), ratio <= 0.5 ? "met" : "not met"));
            return b.toString();
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "warmstart").put("trials", trials).put("seeds", seeds)
                    .put("rows", rows).put("noise_per_round", RoundShift.NOISE_PER_ROUND).put("in_process", true);
            n.set("machine", MachineFacts.local().toJson());
            ArrayNode seedsNode = n.putArray("by_seed");
            for (Seed s : bySeed) {
                ObjectNode o = seedsNode.addObject().put("seed", s.seed()).put("cold_best", s.coldBest())
                        .put("cold_trials_to_own_best", s.coldTrialsToOwnBest()).put("warm_best", s.warmBest());
                if (s.warmTrialsToColdBest().isPresent()) o.put("warm_trials_to_cold_best", s.warmTrialsToColdBest().getAsInt());
                else o.putNull("warm_trials_to_cold_best");
            }
            double[] r = reach();
            putCount(n, "min_trials_to_reach", r[0]);
            putCount(n, "median_trials_to_reach", median());
            putCount(n, "max_trials_to_reach", r[r.length - 1]);
            n.put("reached_seeds", reached());
            putCount(n, "median_over_cold_trials", median() / trials);
            n.put("goal_met", median() / trials <= 0.5);
            return n;
        }

        private static String count(double v) {
            return Double.isInfinite(v) ? "not reached" : String.format(Locale.ROOT, "%.1f", v);
        }

        private static void putCount(ObjectNode n, String key, double v) {
            if (Double.isInfinite(v)) n.putNull(key);
            else n.put(key, v);
        }
    }

    private WarmStartBenchmark() {
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static Result run(int trials, int seeds, int rows) {
        RoundShift digits = RoundShift.digits();
        Path folder = scratchFolder();
        try {
            List<Seed> bySeed = new ArrayList<>();
            for (int seed = 0; seed < seeds; seed++) {
                Seed s = seed(digits, seed, trials, rows, folder);
                bySeed.add(s);
                // progress on stderr: a long run on a loaded machine shows what it has so far
                System.err.printf(Locale.ROOT, "seed %d: cold best %.4f, warm trials to reach it %s%n", s.seed(), s.coldBest(),
                        s.warmTrialsToColdBest().isPresent() ? String.valueOf(s.warmTrialsToColdBest().getAsInt()) : "not reached");
            }
            return new Result(trials, seeds, rows, bySeed);
        } finally {
            delete(folder);
        }
    }

    private static Seed seed(RoundShift digits, long seed, int trials, int rows, Path folder) {
        List<FinishedTrial> history = new ArrayList<>();
        List<FinishedTrial> round2 = List.of();
        for (int round = 1; round < ROUNDS; round++) {
            ExperimentSpec spec = spec(digits, seed, round, trials, rows, folder);
            List<FinishedTrial> done = round(spec, strategy(spec), Optional.empty(), trials, folder.resolve("trials"));
            history.addAll(done);
            round2 = done;
        }
        ExperimentSpec spec = spec(digits, seed, ROUNDS, trials, rows, folder);
        List<OptionalDouble> cold = scores(round(spec, strategy(spec), Optional.empty(), trials, folder.resolve("trials")));
        Optional<Params> baseline = bestParams(round2);
        List<OptionalDouble> warm = scores(round(spec, new WarmStartedStrategy(strategy(spec), history), baseline, trials,
                folder.resolve("trials")));
        double coldBest = TrialsToReach.best(cold, DIRECTION).orElse(Double.NaN);
        return new Seed(seed, coldBest, TrialsToReach.of(cold, coldBest, DIRECTION).orElse(0),
                TrialsToReach.best(warm, DIRECTION).orElse(Double.NaN), TrialsToReach.of(warm, coldBest, DIRECTION));
    }

    private static ExperimentSpec spec(RoundShift digits, long seed, int round, int trials, int rows, Path folder) {
        Path data = digits.write(seed, round, rows, folder.resolve("digits-seed" + seed + "-round" + round + ".csv"));
        // each round's strategy seed differs, as a policy's rounds would; round 3 cold and warm share one
        return ExperimentSpec.parseYaml(SPEC.formatted(seed * 10 + round, trials, data.toAbsolutePath()), "bench warmstart");
    }

    private static SearchStrategy strategy(ExperimentSpec spec) {
        return Strategies.all().find(spec.strategy().name()).orElseThrow()
                .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objective());
    }

    /** One round of {@code trials} trials; trial 0 is {@code baseline} when given (the engine's warm-started round does the same). */
    private static List<FinishedTrial> round(ExperimentSpec spec, SearchStrategy strategy, Optional<Params> baseline, int trials, Path folder) {
        Trainer trainer = Trainers.all().find(spec.trainer().name()).orElseThrow().create(spec.trainer().options(), spec.space());
        List<FinishedTrial> finished = new ArrayList<>();
        for (int n = 0; n < trials; n++) {
            Optional<Params> params = n == 0 && baseline.isPresent() ? baseline : strategy.suggest(n, List.copyOf(finished), List.of());
            if (params.isEmpty()) break;
            finished.add(trial(n, params.get(), spec, trainer, folder));
        }
        return finished;
    }

    private static FinishedTrial trial(int number, Params params, ExperimentSpec spec, Trainer trainer, Path folder) {
        TrialContext context = new TrialContext(0, number, 1, params, spec.objective(), () -> false, () -> createFolder(folder));
        TrialResult result;
        try {
            result = trainer.train(context, report -> TrialReporter.Verdict.CONTINUE);
        } catch (Exception e) {
            result = TrialResult.failed(e.toString());
        }
        Double score = result.metrics().get(METRIC);
        boolean complete = result.outcome() == TrialResult.Outcome.COMPLETE && score != null && Double.isFinite(score);
        return new FinishedTrial(number, params, complete ? TrialStatus.COMPLETE : TrialStatus.FAILED,
                complete ? OptionalDouble.of(score) : OptionalDouble.empty(), List.of());
    }

    private static List<OptionalDouble> scores(List<FinishedTrial> trials) {
        return trials.stream().map(FinishedTrial::score).toList();
    }

    private static Optional<Params> bestParams(List<FinishedTrial> trials) {
        return trials.stream().filter(FinishedTrial::isComplete)
                .max(Comparator.comparingDouble(t -> t.score().getAsDouble())).map(FinishedTrial::params);
    }

    private static Path scratchFolder() {
        try {
            return Files.createTempDirectory("orchestrator-bench-warmstart");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createFolder(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
