package org.visutility.orchestrator.tuning.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.Trainers;
import org.visutility.orchestrator.tuning.trainer.TrialContext;
import org.visutility.orchestrator.tuning.trainer.TrialReporter;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The built-in trainer: real Tribuo models on the shipped data and on a user's CSV, scores per epoch and per batch of trees. */
class BuiltinTrainerTest {
    @TempDir
    Path dir;

    private static final String LOGREG = """
            model: m
            objective: {metric: log_loss, direction: minimize}
            strategy: {name: random}
            budget: {trials: 10}
            space:
              learning_rate: {type: float, low: 0.01, high: 1.0, log: true}
              epochs: {type: int, low: 1, high: 8}
            trainer: {type: builtin, algorithm: logistic_regression, dataset: breast_cancer, positive_label: malignant}
            """;

    private Trainer trainer(String yaml) {
        ExperimentSpec spec = ExperimentSpec.parseYaml(yaml, "test");
        return Trainers.all().find(spec.trainer().name()).orElseThrow().create(spec.trainer().options(), spec.space());
    }

    private TrialResult run(Trainer trainer, Map<String, JsonNode> params, List<IntermediateReport> reports,
                            Predicate<IntermediateReport> prune) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("trial-" + reports.hashCode() + "-" + System.nanoTime()));
        TrialContext context = new TrialContext(1, 0, 1, Params.of(params), null, () -> false, () -> folder);
        return trainer.train(context, r -> {
            reports.add(r);
            return prune.test(r) ? TrialReporter.Verdict.PRUNE : TrialReporter.Verdict.CONTINUE;
        });
    }

    @Test
    void logisticRegressionLearnsTheBreastCancerDataAndReportsEveryEpoch() throws Exception {
        List<IntermediateReport> reports = new ArrayList<>();
        TrialResult result = run(trainer(LOGREG), Map.of("learning_rate", DoubleNode.valueOf(0.1), "epochs", LongNode.valueOf(4)),
                reports, r -> false);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
        // 63% of the rows are benign: always answering "benign" scores 0.63
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.93);
        assertThat(result.metrics()).containsKeys("precision", "recall", "f1", "log_loss");
        assertThat(result.metrics().get("log_loss")).isBetween(0.01, 0.3);
        assertThat(reports).extracting(IntermediateReport::step).containsExactly(1L, 2L, 3L, 4L);
        // the last epoch's report is the final model's score: one training run, watched between epochs
        assertThat(reports.get(3).metrics()).isEqualTo(result.metrics());
        assertThat(result.artifactUri()).hasValueSatisfying(uri -> assertThat(Path.of(java.net.URI.create(uri))).exists());
    }

    @Test
    void theScoreChangesWithTheHyperparametersAndIsReproducibleForASeed() throws Exception {
        Trainer t = trainer(LOGREG);
        Map<String, JsonNode> a = Map.of("learning_rate", DoubleNode.valueOf(0.02), "epochs", LongNode.valueOf(2));
        Map<String, JsonNode> b = Map.of("learning_rate", DoubleNode.valueOf(0.9), "epochs", LongNode.valueOf(6));
        TrialResult first = run(t, a, new ArrayList<>(), r -> false);
        TrialResult again = run(trainer(LOGREG), a, new ArrayList<>(), r -> false);
        TrialResult other = run(t, b, new ArrayList<>(), r -> false);
        assertThat(again.metrics()).isEqualTo(first.metrics());
        assertThat(other.metrics().get("log_loss")).isNotEqualTo(first.metrics().get("log_loss"));
        TrialResult otherSeed = run(trainer(LOGREG.replace("positive_label: malignant", "positive_label: malignant, seed: 2")), a,
                new ArrayList<>(), r -> false);
        assertThat(otherSeed.metrics()).isNotEqualTo(first.metrics());
    }

    @Test
    void aPruneAnswerStopsTrainingAfterThatEpochWithItsScores() throws Exception {
        List<IntermediateReport> reports = new ArrayList<>();
        TrialResult result = run(trainer(LOGREG), Map.of("epochs", LongNode.valueOf(8)), reports, r -> r.step() == 3);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.PRUNED);
        assertThat(reports).extracting(IntermediateReport::step).containsExactly(1L, 2L, 3L);
        assertThat(result.metrics()).isEqualTo(reports.get(2).metrics());
    }

    @Test
    void aRandomForestOnTheDigitsReportsAfterEachBatchOfTrees() throws Exception {
        Trainer forest = trainer("""
                model: m
                objective: {metric: accuracy, direction: maximize}
                strategy: {name: random}
                budget: {trials: 10}
                space:
                  max_depth: {type: int, low: 4, high: 12}
                  feature_fraction: {type: float, low: 0.1, high: 0.5}
                trainer: {type: builtin, algorithm: random_forest, dataset: digits, tree_batch: 4}
                """);
        List<IntermediateReport> reports = new ArrayList<>();
        TrialResult result = run(forest, Map.of("trees", LongNode.valueOf(10), "max_depth", LongNode.valueOf(10),
                "feature_fraction", DoubleNode.valueOf(0.3)), reports, r -> false);
        assertThat(reports).extracting(IntermediateReport::step).containsExactly(4L, 8L, 10L);
        // ten classes: chance is 0.1
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.85);
        assertThat(result.metrics().get("f1")).isGreaterThan(0.85);
    }

    @Test
    void aUsersCsvWithANamedLabelColumnTrainsLikeAShippedDataset() throws Exception {
        // two well separated classes, the label in the middle column, a quoted header
        StringBuilder csv = new StringBuilder("height,\"species\",\"weight, kg\"\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 120; i++) {
            boolean big = i % 2 == 0;
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,%s,%.3f%n", (big ? 3 : 1) + random.nextGaussian() * 0.3,
                    big ? "elephant" : "mouse", (big ? 5 : 1) + random.nextGaussian() * 0.5));
        }
        Path file = Files.writeString(dir.resolve("animals.csv"), csv);
        Trainer t = trainer(LOGREG.replace("dataset: breast_cancer, positive_label: malignant",
                "dataset: " + file + ", label: species, test_fraction: 0.3"));
        TrialResult result = run(t, Map.of("epochs", LongNode.valueOf(3)), new ArrayList<>(), r -> false);
        assertThat(result.outcome()).isEqualTo(TrialResult.Outcome.COMPLETE);
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.95);
        Table table = Datasets.load(file.toString(), "species");
        assertThat(table.features()).containsExactly("height", "weight, kg");
        assertThat(table.split(0.3, 1).test().size()).isEqualTo(36);
    }

    @Test
    void aCsvCellThatIsNotANumberIsReportedWithItsLineAndColumn() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,x\n3,oops,y\n");
        assertThat(Datasets.problem(file.toString(), "label")).hasValueSatisfying(p ->
                assertThat(p).contains("bad.csv line 3, column 2: not a finite number").doesNotContain("oops"));
        assertThat(Datasets.problem(file.toString(), "class")).hasValueSatisfying(p ->
                assertThat(p).contains("line 1: the header row has no column 'class' (the label column; trainer.label names another)"
                        + " among its 3 columns").doesNotContain("a, b"));
    }

    @Test
    void aQuotedLabelMayHoldCommasDoubledQuotesAndLineBreaks() throws Exception {
        Path file = Files.writeString(dir.resolve("quoted.csv"), "\"size, cm\",label\r\n"
                + "1.5,\"small, round\"\r\n"
                + " 2.5 , \"a \"\"large\"\" one\" \r\n"
                + "3.5,\"two\nlines\"\r\n"
                + "\r\n"
                + "4.5,plain\r\n");
        Table table = Datasets.load(file.toString(), "label");
        assertThat(table.features()).containsExactly("size, cm");
        assertThat(table.size()).isEqualTo(4);
        assertThat(List.of(table.label(0), table.label(1), table.label(2), table.label(3)))
                .containsExactly("small, round", "a \"large\" one", "two\nlines", "plain");
        assertThat(table.value(1, 0)).isEqualTo(2.5);
        assertThat(table.value(3, 0)).isEqualTo(4.5);

        Path after = Files.writeString(dir.resolve("after.csv"), "x,label\n1,\"two\nlines\"\n2,a\noops,b\n");
        assertThat(Datasets.problem(after.toString(), "label")).hasValueSatisfying(p ->
                assertThat(p).contains("after.csv line 5, column 1: not a finite number"));
    }

    @Test
    void aMalformedQuoteIsReportedWithItsLineButNotItsText() throws Exception {
        Path open = Files.writeString(dir.resolve("open.csv"), "x,label\n1,a\n2,\"SECRET\n3,b\n");
        assertThat(Datasets.problem(open.toString(), "label")).hasValueSatisfying(p ->
                assertThat(p).contains("open.csv line 3: has an unterminated quote: a quoted field opened on this line is not closed"
                        + " before the end of the file").doesNotContain("SECRET"));
        Path stray = Files.writeString(dir.resolve("stray.csv"), "x,label\n1,a\n2,\"SECRET\"b\n");
        assertThat(Datasets.problem(stray.toString(), "label")).hasValueSatisfying(p ->
                assertThat(p).contains("stray.csv line 3: has text after the closing quote of a quoted field").doesNotContain("SECRET"));
    }

    @Test
    void codeCanTrainAModelAndScoreItOnOtherRows() {
        Table.Split split = Datasets.shipped("breast_cancer").split(0.3, 5);
        TrainedClassifier model = BuiltinTraining.train(Algorithm.RANDOM_FOREST, Map.of("trees", 12, "max_depth", 6), split.train(), 5);
        ClassificationScores scores = model.score(split.test());
        assertThat(scores.accuracy()).isGreaterThan(0.85);
        assertThat(scores.rows()).isEqualTo(split.test().size());
        assertThat(model.hyperparameters()).containsEntry("trees", 12L).containsEntry("feature_fraction", 0.5);
        List<String> predicted = model.predict(split.test());
        assertThat(predicted).hasSize(split.test().size()).allMatch(c -> c.equals("benign") || c.equals("malignant"));
        Map<String, Double> p = model.probabilities(split.test().row(0));
        assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-6));
        // the same seed, the same forest
        assertThat(BuiltinTraining.train(Algorithm.RANDOM_FOREST, Map.of("trees", 12, "max_depth", 6), split.train(), 5)
                .score(split.test())).isEqualTo(scores);
        assertThatThrownBy(() -> BuiltinTraining.train(Algorithm.RANDOM_FOREST, Map.of("feature_fraction", 1.0), split.train(), 5))
                .hasMessage("feature_fraction must be a number above 0 and below 1 (is 1.0)");
        assertThatThrownBy(() -> BuiltinTraining.train(Algorithm.LOGISTIC_REGRESSION, Map.of("momentum", 0.9), split.train(), 5))
                .hasMessageContaining("logistic_regression has no hyperparameter 'momentum'");
    }

    @Test
    void aTribuoDatasetBecomesATableWithTheSameRows() {
        Table digits = Datasets.shipped("digits").split(0.1, 3).test();
        Table back = Table.of("digits test", digits.toDataset());
        assertThat(back.size()).isEqualTo(digits.size());
        assertThat(back.features()).containsExactlyInAnyOrderElementsOf(digits.features());
        int px = back.features().indexOf("px20");
        for (int i = 0; i < digits.size(); i++) {
            assertThat(back.label(i)).isEqualTo(digits.label(i));
            assertThat(back.value(i, px)).isEqualTo(digits.value(i, digits.features().indexOf("px20")));
        }
    }

    @Test
    void aSavedModelReadsBackAndPredictsTheSame() throws Exception {
        Table.Split split = Datasets.shipped("breast_cancer").split(0.25, 1);
        TrainedClassifier model = BuiltinTraining.train(Algorithm.LOGISTIC_REGRESSION, Map.of("epochs", 2), split.train(), 1);
        Path file = dir.resolve("m.tribuo");
        model.save(file);
        @SuppressWarnings("unchecked")
        Model<org.tribuo.classification.Label> read = (Model<org.tribuo.classification.Label>) Model.deserializeFromFile(file);
        assertThat(read.predict(split.test().examples()).stream().map(p -> p.getOutput().getLabel()).toList())
                .isEqualTo(model.predict(split.test()));
    }

    @Test
    void theStratifiedSplitKeepsTheClassBalanceAndDependsOnTheSeed() {
        Table t = Datasets.shipped("breast_cancer");
        Table.Split a = t.split(0.25, 1);
        assertThat(a.test().size()).isEqualTo(53 + 89); // round(0.25 * 212) malignant + round(0.25 * 357) benign
        assertThat(a.train().size() + a.test().size()).isEqualTo(569);
        assertThat(t.split(0.25, 1).test().row(0)).isEqualTo(a.test().row(0));
        assertThat(t.split(0.25, 2).test().row(0)).isNotEqualTo(a.test().row(0));
    }
}
