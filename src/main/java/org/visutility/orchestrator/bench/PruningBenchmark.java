package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.pruning.Pruner;
import org.visutility.orchestrator.tuning.pruning.Pruners;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.TrainerProvider;
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

/**
 * {@code orchestrator bench pruning}: what each pruning rule costs and saves on a real model. TPE
 * tunes the built-in logistic regression on the shipped breast cancer data (log loss after every
 * epoch, 2-30 epochs), one trial at a time in this process, with no database, once per seed and
 * rule; the figures are the median over seeds of the best log loss and of the total epochs trained,
 * each against no pruning with the same seeds in the same run.
 */
public final class PruningBenchmark {
    public static final int DEFAULT_TRIALS = 40;
    public static final int DEFAULT_SEEDS = 10;
    public static final List<String> DEFAULT_RULES = List.of(
            "{rule: median, warmup_steps: 2, min_trials: 5}",
            "{rule: asha, min_resource: 1, reduction_factor: 3, max_resource: 30}",
            "{rule: hyperband, min_resource: 1, reduction_factor: 3, max_resource: 30}");
    private static final String NONE = "{rule: none}";
    private static final String SPEC = """
            model: bench-pruning
            objective: {metric: log_loss, direction: minimize}
            strategy: {name: tpe, seed: %d, startup_trials: 8}
            budget: {trials: %d}
            space:
              learning_rate: {type: float, low: 1.0e-3, high: 1.0, log: true}
              l2: {type: float, low: 1.0e-5, high: 0.1, log: true}
              epochs: {type: int, low: 2, high: 30}
              optimizer: {type: categorical, choices: [sgd, adagrad, adam, rmsprop]}
            trainer: {type: builtin, algorithm: logistic_regression, dataset: breast_cancer, label: label,
                      positive_label: malignant, test_fraction: 0.25, seed: 1}
            pruning: %s
            """;

    /** One rule over the seeds: each seed's best log loss and total epochs. */
    public record Run(String rule, double[] bestBySeed, long[] epochsBySeed) {
        double medianBest() {
            return Repetitions.of("best log loss", bestBySeed).median();
        }

        double medianEpochs() {
            return Repetitions.of("epochs", Arrays.stream(epochsBySeed).asDoubleStream().toArray()).median();
        }
    }

    public record Result(int trials, int seeds, Run none, List<Run> rules) {
        public String text() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "Pruning on the built-in logistic regression (breast cancer, log loss per epoch, 2-30 epochs), TPE,"
                            + " %d trials, median over %d seeds, in-process:%n", trials, seeds));
            b.append(String.format(Locale.ROOT, "  %-72s best %.4f  epochs %7.0f%n", none.rule(), none.medianBest(), none.medianEpochs()));
            for (Run r : rules) {
                b.append(String.format(Locale.ROOT, "  %-72s best %.4f (%+.4f)  epochs %7.0f (%.0f%% of no pruning)%n", r.rule(),
                        r.medianBest(), r.medianBest() - none.medianBest(), r.medianEpochs(), 100 * r.medianEpochs() / none.medianEpochs()));
            }
            return b.toString();
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "pruning").put("trials", trials).put("seeds", seeds)
                    .put("in_process", true);
            n.set("machine", MachineFacts.local().toJson());
            ArrayNode runs = n.putArray("rules");
            for (Run r : rulesWithNone()) {
                ObjectNode o = runs.addObject().put("pruning", r.rule()).put("median_best_log_loss", r.medianBest())
                        .put("median_total_epochs", r.medianEpochs())
                        .put("best_minus_no_pruning", r.medianBest() - none.medianBest())
                        .put("epochs_over_no_pruning", r.medianEpochs() / none.medianEpochs());
                ArrayNode best = o.putArray("best_by_seed");
                Arrays.stream(r.bestBySeed()).forEach(best::add);
                ArrayNode epochs = o.putArray("epochs_by_seed");
                Arrays.stream(r.epochsBySeed()).forEach(epochs::add);
            }
            return n;
        }

        private List<Run> rulesWithNone() {
            List<Run> all = new ArrayList<>(List.of(none));
            all.addAll(rules);
            return all;
        }
    }

    private PruningBenchmark() {
    }

    /** Each rule (a {@code pruning:} mapping as YAML) and no pruning, over seeds 0..seeds-1; throws InvalidSpecException for a bad rule. */
    public static Result run(List<String> rules, int trials, int seeds) {
        for (String rule : rules) ExperimentSpec.parseYaml(SPEC.formatted(0, trials, rule), "--pruning " + rule);
        Path folder = scratchFolder();
        try {
            Run none = run(NONE, trials, seeds, folder);
            List<Run> runs = new ArrayList<>();
            for (String rule : rules) runs.add(run(rule, trials, seeds, folder));
            return new Result(trials, seeds, none, runs);
        } finally {
            delete(folder);
        }
    }

    private static Run run(String rule, int trials, int seeds, Path folder) {
        double[] best = new double[seeds];
        long[] epochs = new long[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            ExperimentSpec spec = ExperimentSpec.parseYaml(SPEC.formatted(seed, trials, rule), "bench");
            SearchStrategy strategy = Strategies.all().find(spec.strategy().name()).orElseThrow()
                    .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objective());
            TrainerProvider trainers = Trainers.all().find(spec.trainer().name()).orElseThrow();
            Trainer trainer = trainers.create(spec.trainer().options(), spec.space());
            Pruner pruner = spec.pruning().map(p -> Pruners.all().find(p.name()).orElseThrow().create(p.options(), spec.objective()))
                    .orElse(Pruner.NEVER);
            List<FinishedTrial> finished = new ArrayList<>();
            double b = Double.POSITIVE_INFINITY;
            long used = 0;
            for (int n = 0; n < trials; n++) {
                Optional<Params> params = strategy.suggest(n, List.copyOf(finished), List.of());
                if (params.isEmpty()) break;
                FinishedTrial t = trial(n, params.get(), spec, trainer, pruner, finished, folder.resolve(seed + "-" + n));
                used += t.reports().size();
                if (t.isComplete()) b = Math.min(b, t.score().getAsDouble());
                finished.add(t);
            }
            best[seed] = b;
            epochs[seed] = used;
        }
        return new Run(rule, best, epochs);
    }

    private static FinishedTrial trial(int number, Params params, ExperimentSpec spec, Trainer trainer, Pruner pruner,
                                       List<FinishedTrial> finished, Path folder) {
        List<IntermediateReport> reports = new ArrayList<>();
        TrialContext context = new TrialContext(0, number, 1, params, spec.objective(), () -> false, () -> createFolder(folder));
        TrialReporter reporter = report -> {
            reports.add(report);
            return pruner.shouldPrune(number, List.copyOf(reports), List.copyOf(finished))
                    ? TrialReporter.Verdict.PRUNE : TrialReporter.Verdict.CONTINUE;
        };
        TrialResult result;
        try {
            result = trainer.train(context, reporter);
        } catch (Exception e) {
            result = TrialResult.failed(e.toString());
        }
        Double score = result.metrics().get(spec.objective().metric());
        return switch (result.outcome()) {
            case COMPLETE -> new FinishedTrial(number, params, score == null ? TrialStatus.FAILED : TrialStatus.COMPLETE,
                    score == null ? OptionalDouble.empty() : OptionalDouble.of(score), reports);
            case PRUNED -> new FinishedTrial(number, params, TrialStatus.PRUNED, OptionalDouble.empty(), reports);
            default -> new FinishedTrial(number, params, TrialStatus.FAILED, OptionalDouble.empty(), reports);
        };
    }

    private static Path scratchFolder() {
        try {
            return Files.createTempDirectory("orchestrator-bench-pruning");
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
