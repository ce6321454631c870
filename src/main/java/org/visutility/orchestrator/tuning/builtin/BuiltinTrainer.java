package org.visutility.orchestrator.tuning.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.TrainerProvider;
import org.visutility.orchestrator.tuning.trainer.TrialContext;
import org.visutility.orchestrator.tuning.trainer.TrialReporter;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code trainer: {type: builtin, algorithm: logistic_regression | random_forest, dataset: ..., ...}}:
 * trains a Tribuo model in this process on a fixed, seeded, stratified split of a shipped dataset
 * or a user's CSV, with the trial's hyperparameters (the others at their defaults). It reports the
 * held-out scores after each epoch or batch of trees (step = epochs or trees so far) so that pruning
 * applies, and finally the scores of the finished model; the model is saved in the trial's folder
 * ({@code model.tribuo}, Tribuo's protobuf format) and its path is the trial's artifact.
 */
public final class BuiltinTrainer implements Trainer {
    public static final String TYPE = "builtin";
    public static final double DEFAULT_TEST_FRACTION = 0.25;
    public static final long DEFAULT_SEED = 1;
    private static final double MAX_TEST_FRACTION = 0.9;
    private static final int MAX_TREE_BATCH = 2000;
    static final String MODEL_FILE = "model.tribuo";
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinTrainer.class);

    private final Algorithm algorithm;
    private final Table.Split split;
    private final long seed;
    private final Optional<String> positive;
    private final int treeBatch;

    BuiltinTrainer(Algorithm algorithm, Table.Split split, long seed, Optional<String> positive, int treeBatch) {
        this.algorithm = algorithm;
        this.split = split;
        this.seed = seed;
        this.positive = positive;
        this.treeBatch = treeBatch;
    }

    @Override
    public TrialResult train(TrialContext trial, TrialReporter reporter) throws IOException {
        // what a command trainer reads from ORCH_MODEL, ORCH_SERVING_VERSION, ORCH_TRIGGER and ORCH_ROUND
        if (trial.round().known()) LOG.info("Trial {} trains {} ({})", trial.number(), algorithm.spelling(), trial.round().describe());
        Map<String, JsonNode> params = new LinkedHashMap<>(trial.params().values());
        AtomicReference<Map<String, Double>> last = new AtomicReference<>(Map.of());
        AtomicBoolean pruned = new AtomicBoolean();
        TrainedClassifier model;
        try {
            model = BuiltinTraining.train(algorithm, params, split.train(), split.test(), seed, positive, treeBatch, (step, scores) -> {
                last.set(scores.metrics());
                if (trial.stopRequested()) return false;
                boolean prune = reporter.report(new IntermediateReport(step, scores.metrics())) == TrialReporter.Verdict.PRUNE;
                pruned.set(prune);
                return !prune && !trial.stopRequested();
            });
        } catch (BuiltinTraining.Stopped e) {
            return pruned.get() ? TrialResult.pruned(last.get()) : TrialResult.stopped("stopped after step " + e.step());
        } catch (IllegalArgumentException e) {
            return TrialResult.failed(e.getMessage());
        }
        Path file = trial.directory().resolve(MODEL_FILE);
        model.save(file);
        return TrialResult.complete(model.score(split.test()).metrics(), Optional.of(file.toUri().toString()),
                Optional.of(TrainingReference.of(split.train(), split.test(), model, positive)));
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements TrainerProvider {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void validate(ObjectNode o, Violations v) {
            Fields.onlyKeys(o, "trainer", v, "type", "algorithm", "dataset", "label", "test_fraction", "seed", "positive_label", "tree_batch");
            Optional<Algorithm> algorithm = Fields.text(o, "algorithm", "trainer", v, true).flatMap(a -> {
                Optional<Algorithm> found = Algorithm.find(a);
                if (found.isEmpty()) v.add("trainer.algorithm", "must be one of " + Algorithm.spellings() + " (is '" + a + "')");
                return found;
            });
            Optional<String> dataset = Fields.text(o, "dataset", "trainer", v, true);
            String label = Fields.text(o, "label", "trainer", v, false).orElse(Datasets.SHIPPED_LABEL);
            Optional<Double> fraction = Fields.number(o, "test_fraction", "trainer", v, false);
            fraction.filter(f -> f <= 0 || f > MAX_TEST_FRACTION).ifPresent(f ->
                    v.add("trainer.test_fraction", "must be more than 0 and at most " + MAX_TEST_FRACTION + " (is " + f + ")"));
            Fields.wholeNumber(o, "seed", "trainer", v, false, Long.MIN_VALUE, Long.MAX_VALUE);
            Fields.wholeNumber(o, "tree_batch", "trainer", v, false, 1, MAX_TREE_BATCH);
            if (o.has("tree_batch") && algorithm.isPresent() && algorithm.get() != Algorithm.RANDOM_FOREST) {
                v.add("trainer.tree_batch", "applies to random_forest only");
            }
            Optional<String> positive = Fields.text(o, "positive_label", "trainer", v, false);
            if (dataset.isEmpty()) return;
            int before = v.size();
            Optional<String> problem = Datasets.problem(dataset.get(), label);
            if (problem.isPresent()) {
                v.add("trainer.dataset", problem.get());
                return;
            }
            Table table = Datasets.load(dataset.get(), label);
            if (table.classes().size() < 2) v.add("trainer.dataset", table.source() + ": the label column has one class only");
            positive.filter(p -> !table.classes().contains(p)).ifPresent(p -> v.add("trainer.positive_label",
                    "'" + p + "' is not a class of " + table.source() + (Datasets.SHIPPED.contains(dataset.get())
                            ? " (its classes: " + String.join(", ", table.classes()) + ")"
                            : " (its label column has " + table.classes().size() + " classes; a user's file is never quoted)")));
            if (v.size() == before && fraction.filter(f -> f <= 0 || f > MAX_TEST_FRACTION).isEmpty()) {
                Table.Split split = table.split(fraction.orElse(DEFAULT_TEST_FRACTION), 0);
                if (split.test().size() == 0 || split.train().size() == 0) {
                    v.add("trainer.test_fraction", "leaves one part of " + table.source() + "'s " + table.size() + " rows empty");
                }
            }
        }

        @Override
        public void checkSpace(ObjectNode options, SearchSpace space, Violations v) {
            Algorithm.find(options.path("algorithm").asText().trim()).ifPresent(a -> a.checkSpace(space, v));
        }

        @Override
        public Trainer create(ObjectNode o, SearchSpace space) {
            Violations ignored = new Violations(); // validated before
            Algorithm algorithm = Algorithm.find(o.path("algorithm").asText().trim()).orElseThrow();
            String label = Fields.text(o, "label", "trainer", ignored, false).orElse(Datasets.SHIPPED_LABEL);
            Table table = Datasets.load(o.path("dataset").asText().trim(), label);
            double fraction = Fields.number(o, "test_fraction", "trainer", ignored, false).orElse(DEFAULT_TEST_FRACTION);
            long seed = Fields.wholeNumber(o, "seed", "trainer", ignored, false, Long.MIN_VALUE, Long.MAX_VALUE).orElse(DEFAULT_SEED);
            int treeBatch = Fields.wholeNumber(o, "tree_batch", "trainer", ignored, false, 1, MAX_TREE_BATCH)
                    .map(Long::intValue).orElse(BuiltinTraining.DEFAULT_TREE_BATCH);
            Optional<String> positive = Fields.text(o, "positive_label", "trainer", ignored, false);
            return new BuiltinTrainer(algorithm, table.split(fraction, seed), seed, positive, treeBatch);
        }
    }
}
