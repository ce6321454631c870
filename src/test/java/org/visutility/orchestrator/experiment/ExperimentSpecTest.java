package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.IntParameter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentSpecTest {
    static final String VALID = """
            model: churn
            objective: {metric: val_accuracy, direction: maximize}
            strategy: {name: random, seed: 42}
            budget: {trials: 40, parallel: 2, max_failed: 5, timeout: 2h, goal: 0.97}
            space:
              learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
              epochs: {type: int, low: 5, high: 50, step: 5}
              optimizer: {type: categorical, choices: [sgd, adagrad, adam]}
            trainer: {type: command, command: [python3, train.py], timeout: 30m, workdir: /srv/train}
            """;

    @Test
    void aValidSpecIsReadWholeWithItsDefaultsWrittenOut() {
        ExperimentSpec spec = ExperimentSpec.parseYaml(VALID, "test");
        assertThat(spec.model()).isEqualTo("churn");
        assertThat(spec.objective().direction()).isEqualTo(Direction.MAXIMIZE);
        assertThat(spec.budget().parallel()).isEqualTo(2);
        assertThat(spec.budget().timeout()).contains(Duration.ofHours(2));
        assertThat(spec.space().parameters()).hasSize(3);
        assertThat(spec.space().parameter("learning_rate")).get().isInstanceOf(FloatParameter.class);
        assertThat(((IntParameter) spec.space().parameter("epochs").orElseThrow()).valueCount()).isEqualTo(10);
        assertThat(spec.toJson().get("budget").get("max_failed").asInt()).isEqualTo(5);
        // the stored form reads back to the same spec (the engine parses experiment.spec again at launch)
        ExperimentSpec again = ExperimentSpec.parse(spec.toJson(), "stored");
        assertThat(again.sha256()).isEqualTo(spec.sha256());
    }

    @Test
    void nonFiniteBoundsAsYamlWritesThemAreRejectedNamingTheLineOrTheField() {
        for (String literal : List.of("-.inf", ".inf", ".nan", "1.0e309")) {
            String yaml = VALID.replace("high: 0.1, log: true", "high: " + literal);
            assertThatThrownBy(() -> ExperimentSpec.parseYaml(yaml, "test")).as(literal).isInstanceOf(InvalidSpecException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as(literal).containsAnyOf(
                            "space.learning_rate.high: must be a finite number", "spec: not valid YAML: line 6: Malformed numeric value"));
        }
    }

    @Test
    void aSeedDefaultsToZeroAndParallelToOne() {
        ExperimentSpec spec = ExperimentSpec.parseYaml(VALID.replace("seed: 42", "").replace("parallel: 2, ", ""), "test");
        assertThat(spec.strategy().seed()).isZero();
        assertThat(spec.budget().parallel()).isEqualTo(1);
    }

    @Test
    void aCommandTrainersWorkdirDefaultsToTheSpecFilesFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, VALID.replace(", workdir: /srv/train", ""));
        ExperimentSpec spec = ExperimentSpec.read(file);
        assertThat(spec.trainer().options().get("workdir").asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
    }

    @Test
    void aBuiltinTrainersRelativeCsvPathIsTakenFromTheSpecFilesFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/small.csv"), "x1,x2,label\n" + "0.1,1.0,a\n0.2,0.9,b\n".repeat(10));
        String builtin = """
                model: small
                objective: {metric: accuracy, direction: maximize}
                strategy: {name: random}
                budget: {trials: 3}
                space:
                  epochs: {type: int, low: 1, high: 3}
                trainer: {type: builtin, algorithm: logistic_regression, dataset: DATASET, label: label}
                """;
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, builtin.replace("DATASET", "data/small.csv"));
        assertThat(ExperimentSpec.read(file).trainer().options().get("dataset").asText())
                .isEqualTo(dir.resolve("data/small.csv").toAbsolutePath().normalize().toString());
        // a shipped dataset's name is a name, not a path
        Files.writeString(file, builtin.replace("DATASET", "breast_cancer"));
        assertThat(ExperimentSpec.read(file).trainer().options().get("dataset").asText()).isEqualTo("breast_cancer");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> ExperimentSpec.parseYaml("""
                model: churn
                objective: {metric: acc, direction: upward}
                strategy: {name: random}
                budget: {trials: 0}
                space: {}
                trainer: {type: command}
                """, "test"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations()).containsExactlyInAnyOrder(
                        "objective.direction: must be maximize or minimize (is 'upward')",
                        "space: must define at least one parameter",
                        "budget.trials: must be a whole number from 1 to 100000 (is 0)",
                        "trainer.command: must be a non-empty list, e.g. [python3, train.py]"))
                .hasMessageContaining("4 problems");
    }

    /** The built-in trainer on the shipped breast cancer data, in place of the spec's trainer. */
    private static ObjectNode builtin(ObjectNode s, String algorithm) {
        return s.putObject("trainer").put("type", "builtin").put("algorithm", algorithm).put("dataset", "breast_cancer");
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                rule("model is required", s -> s.remove("model"), "model: is required"),
                rule("model name pattern", s -> s.put("model", "churn model!"), "model: must be 1-250 characters"),
                rule("unknown top-level key", s -> s.put("budgett", 1), "budgett: unknown key"),
                rule("objective is required", s -> s.remove("objective"), "objective: is required"),
                rule("objective metric is required", s -> obj(s, "objective").remove("metric"), "objective.metric: is required"),
                rule("objective direction values", s -> obj(s, "objective").put("direction", "max"), "objective.direction: must be maximize or minimize"),
                rule("strategy is known", s -> obj(s, "strategy").put("name", "bohb"), "strategy.name: unknown strategy 'bohb'; known: grid, motpe, nsga2, random, tpe"),
                rule("tpe options are known", s -> obj(s, "strategy").put("name", "tpe").put("n_ei_candidates", 3), "strategy.n_ei_candidates: unknown key"),
                rule("tpe gamma is a fraction", s -> obj(s, "strategy").put("name", "tpe").put("gamma", 1.5), "strategy.gamma: must be more than 0 and at most 1"),
                rule("tpe candidates range", s -> obj(s, "strategy").put("name", "tpe").put("candidates", 0), "strategy.candidates: must be a whole number from 1 to 10000"),
                rule("tpe startup trials whole", s -> obj(s, "strategy").put("name", "tpe").put("startup_trials", -1), "strategy.startup_trials: must be a whole number from 0"),
                rule("tpe multivariate boolean", s -> obj(s, "strategy").put("name", "tpe").put("multivariate", "yes"), "strategy.multivariate: must be true or false"),
                rule("tpe prior weight positive", s -> obj(s, "strategy").put("name", "tpe").put("prior_weight", 0), "strategy.prior_weight: must be more than 0"),
                rule("tpe bandwidth rule", s -> obj(s, "strategy").put("name", "tpe").put("bandwidth", "silverman"), "strategy.bandwidth: must be neighbour or scott"),
                rule("tpe failed trials", s -> obj(s, "strategy").put("name", "tpe").put("failed_trials", "worst"), "strategy.failed_trials: must be bad or ignore"),
                rule("strategy seed is whole", s -> obj(s, "strategy").put("seed", "x"), "strategy.seed: must be a whole number"),
                rule("strategy options are known", s -> obj(s, "strategy").put("n_startup", 3), "strategy.n_startup: unknown key"),
                rule("grid needs a step for floats", s -> obj(s, "strategy").put("name", "grid"),
                        "space.learning_rate: a float range needs a step for grid search (or set strategy.grid_size)"),
                rule("grid size bounds", s -> obj(s, "strategy").put("name", "grid").put("grid_size", 1), "strategy.grid_size: must be a whole number from 2 to 1000"),
                rule("budget is required", s -> s.remove("budget"), "budget: is required"),
                rule("budget trials range", s -> obj(s, "budget").put("trials", 100_001), "budget.trials: must be a whole number from 1 to 100000"),
                rule("budget trials is whole", s -> obj(s, "budget").put("trials", 2.5), "budget.trials: must be a whole number"),
                rule("parallel within trials", s -> obj(s, "budget").put("parallel", 41), "budget.parallel: must not exceed budget.trials (40)"),
                rule("parallel range", s -> obj(s, "budget").put("parallel", 0), "budget.parallel: must be a whole number from 1 to 256"),
                rule("max_failed within trials", s -> obj(s, "budget").put("max_failed", 41), "budget.max_failed: must not exceed budget.trials"),
                rule("timeout is a duration", s -> obj(s, "budget").put("timeout", "2 hours"), "budget.timeout: '2 hours' is not a duration"),
                rule("timeout above zero", s -> obj(s, "budget").put("timeout", "0s"), "budget.timeout: must be more than zero"),
                rule("goal is a number", s -> obj(s, "budget").put("goal", "high"), "budget.goal: must be a finite number"),
                rule("space is required", s -> s.remove("space"), "space: is required"),
                rule("parameter names", s -> obj(s, "space").set("bad name", obj(s, "space").get("epochs")), "space.bad name: a parameter name must start with a letter"),
                rule("parameter type", s -> obj(s, "space").putObject("x").put("type", "double"), "space.x.type: must be float, int or categorical"),
                rule("float needs low", s -> obj(obj(s, "space"), "learning_rate").remove("low"), "space.learning_rate.low: is required"),
                rule("float high above low", s -> obj(obj(s, "space"), "learning_rate").put("high", 1.0e-5), "space.learning_rate.high: must be greater than low"),
                rule("log needs positive low", s -> obj(obj(s, "space"), "learning_rate").put("low", 0), "space.learning_rate.low: must be greater than 0 when log is true"),
                rule("float step with log", s -> obj(obj(s, "space"), "learning_rate").put("step", 0.01), "space.learning_rate.step: cannot be combined with log: true"),
                rule("float step positive", s -> obj(obj(s, "space"), "learning_rate").put("log", false).put("step", -1), "space.learning_rate.step: must be greater than 0"),
                rule("int bounds whole", s -> obj(obj(s, "space"), "epochs").put("low", 1.5), "space.epochs.low: must be a whole number"),
                rule("int step with log", s -> obj(obj(s, "space"), "epochs").put("log", true), "space.epochs.step: cannot be combined with log: true"),
                rule("parameter keys", s -> obj(obj(s, "space"), "epochs").put("choices", 3), "space.epochs.choices: unknown key"),
                rule("categorical choices", s -> obj(obj(s, "space"), "optimizer").putArray("choices"), "space.optimizer.choices: must be a non-empty list"),
                rule("categorical duplicates", s -> obj(obj(s, "space"), "optimizer").putArray("choices").add("sgd").add("sgd"),
                        "space.optimizer.choices: choice \"sgd\" is listed twice"),
                rule("trainer is required", s -> s.remove("trainer"), "trainer: is required"),
                rule("trainer type is known", s -> obj(s, "trainer").put("type", "tribuo"), "trainer.type: unknown trainer type 'tribuo'"),
                rule("trainer command elements", s -> obj(s, "trainer").putArray("command").add(""), "trainer.command: each element must be a non-empty string"),
                rule("trainer timeout", s -> obj(s, "trainer").put("timeout", "soon"), "trainer.timeout: 'soon' is not a duration"),
                rule("trainer workdir absolute", s -> obj(s, "trainer").put("workdir", "relative/dir"), "trainer.workdir: must be an absolute path"),
                rule("trainer env reserved", s -> obj(s, "trainer").putObject("env").put("ORCH_TRIAL_NUMBER", "1"), "trainer.env.ORCH_TRIAL_NUMBER: ORCH_ variables are set by the orchestrator"),
                rule("float low infinite", s -> obj(obj(s, "space"), "learning_rate").put("low", Double.NEGATIVE_INFINITY).put("log", false),
                        "space.learning_rate.low: must be a finite number"),
                rule("float high infinite", s -> obj(obj(s, "space"), "learning_rate").put("high", Double.POSITIVE_INFINITY),
                        "space.learning_rate.high: must be a finite number"),
                rule("float high NaN", s -> obj(obj(s, "space"), "learning_rate").put("high", Double.NaN),
                        "space.learning_rate.high: must be a finite number"),
                rule("float step count", s -> obj(s, "space").putObject("huge").put("type", "float").put("low", -1e308)
                        .put("high", 1e308).put("step", 1), "space.huge.step: leaves more than 9007199254740992 values in the range"),
                rule("trainer env node setting", s -> obj(s, "trainer").putObject("env").put("ORCHESTRATOR_DB_PASSWORD", "x"),
                        "trainer.env.ORCHESTRATOR_DB_PASSWORD: ORCHESTRATOR_ variables are the node's own settings and never reach a trainer"),
                rule("trainer env name", s -> obj(s, "trainer").putObject("env").put("1=BAD", "x"),
                        "trainer.env: a variable name must be 1-128 letters, digits and _, not starting with a digit"),
                rule("trainer env value", s -> obj(s, "trainer").putObject("env").put("BIG", "x".repeat(4097)),
                        "trainer.env.BIG: must be at most 4096 characters (is 4097)"),
                rule("trainer env size", s -> {
                    ObjectNode env = obj(s, "trainer").putObject("env");
                    for (int i = 0; i < 65; i++) env.put("V" + i, "x");
                }, "trainer.env: must have at most 64 variables (has 65)"),
                rule("trainer env total", s -> {
                    ObjectNode env = obj(s, "trainer").putObject("env");
                    for (int i = 0; i < 9; i++) env.put("V" + i, "x".repeat(4000));
                }, "trainer.env: its values must be at most 32768 characters together (are 36000)"),
                rule("command dataset under proc", s -> obj(s, "trainer").put("dataset", "/proc/self/environ"),
                        "trainer.dataset: /proc/self/environ: is not a regular file (it is under /proc)"),
                rule("function trainer name", s -> s.putObject("trainer").put("type", "function").put("function", "cosine"),
                        "trainer.function: must be one of sphere, branin, hartmann6, zdt1 (is 'cosine')"),
                rule("function dimensions", s -> s.putObject("trainer").put("type", "function").put("function", "branin"),
                        "space: the function branin takes exactly 2 parameters (the space has 3)"),
                rule("builtin algorithm", s -> builtin(s, "logistic_regression").put("algorithm", "svm"),
                        "trainer.algorithm: must be one of logistic_regression, random_forest (is 'svm')"),
                rule("builtin dataset", s -> builtin(s, "logistic_regression").put("dataset", "iris"),
                        "trainer.dataset: 'iris' is neither a shipped dataset (breast_cancer, digits) nor an absolute path to a CSV file"),
                rule("builtin label column", s -> builtin(s, "logistic_regression").put("label", "diagnosis"),
                        "trainer.dataset: breast_cancer line 1: the header row has no column 'diagnosis' (the label column;"
                                + " trainer.label names another) among its 31 columns: "),
                rule("builtin positive label", s -> builtin(s, "logistic_regression").put("positive_label", "yes"),
                        "trainer.positive_label: 'yes' is not a class of breast_cancer (its classes: malignant, benign)"),
                rule("builtin test fraction", s -> builtin(s, "logistic_regression").put("test_fraction", 0.95),
                        "trainer.test_fraction: must be more than 0 and at most 0.9"),
                rule("builtin tree batch", s -> builtin(s, "logistic_regression").put("tree_batch", 5), "trainer.tree_batch: applies to random_forest only"),
                rule("builtin hyperparameter names", s -> builtin(s, "random_forest"),
                        "space.learning_rate: the builtin random_forest trainer has no hyperparameter 'learning_rate'; it takes trees, max_depth, feature_fraction, min_child_weight"),
                rule("builtin hyperparameter kinds", s -> {
                    builtin(s, "logistic_regression");
                    obj(s, "space").putObject("epochs").put("type", "float").put("low", 1.0).put("high", 5.0);
                }, "space.epochs: must be an int parameter whose values are a whole number from 1 to 1000"),
                rule("builtin hyperparameter ranges", s -> {
                    builtin(s, "random_forest");
                    ((ObjectNode) s.get("space")).removeAll().putObject("feature_fraction").put("type", "float").put("low", 0.5).put("high", 1.0);
                }, "space.feature_fraction: must be a float (or int) parameter whose values are a number above 0 and below 1"),
                rule("builtin choices", s -> {
                    builtin(s, "logistic_regression");
                    obj(s, "space").putObject("optimizer").put("type", "categorical").putArray("choices").add("adam").add("lbfgs");
                }, "space.optimizer: must be a categorical parameter whose values are one of sgd, adagrad, adam, rmsprop"),
                rule("pruning rule is known", s -> s.putObject("pruning").put("rule", "patience"), "pruning.rule: unknown pruning rule 'patience'; known: "),
                rule("median options are known", s -> s.putObject("pruning").put("rule", "median").put("warmup", 3), "pruning.warmup: unknown key"),
                rule("median warmup whole", s -> s.putObject("pruning").put("rule", "median").put("warmup_steps", -1), "pruning.warmup_steps: must be a whole number from 0"),
                rule("median min trials", s -> s.putObject("pruning").put("rule", "median").put("min_trials", 0), "pruning.min_trials: must be a whole number from 1"),
                rule("median interval", s -> s.putObject("pruning").put("rule", "median").put("interval_steps", 0), "pruning.interval_steps: must be a whole number from 1"),
                rule("pruning needs a rule", s -> s.putObject("pruning"), "pruning.rule: is required"),
                rule("asha reduction factor at least 2", s -> s.putObject("pruning").put("rule", "asha").put("reduction_factor", 1),
                        "pruning.reduction_factor: must be a whole number from 2 to 1000 (is 1)"),
                rule("asha min resource above 0", s -> s.putObject("pruning").put("rule", "asha").put("min_resource", 0),
                        "pruning.min_resource: must be a whole number from 1 to 1099511627776 (is 0)"),
                rule("asha max resource not below min", s -> s.putObject("pruning").put("rule", "asha").put("min_resource", 5).put("max_resource", 3),
                        "pruning.max_resource: must be at least pruning.min_resource (5) for rule asha (is 3)"),
                rule("asha rung below max resource", s -> s.putObject("pruning").put("rule", "asha").put("min_resource", 2)
                                .put("min_early_stopping_rate", 2).put("max_resource", 10),
                        "pruning.min_early_stopping_rate: leaves no rung below pruning.max_resource (10) for rule asha: the first rung is at step 18"),
                rule("asha options are known", s -> s.putObject("pruning").put("rule", "asha").put("eta", 3),
                        "pruning.eta: unknown key; known keys are rule, min_resource, reduction_factor, max_resource, min_early_stopping_rate"),
                rule("hyperband needs max resource", s -> s.putObject("pruning").put("rule", "hyperband").put("min_resource", 1),
                        "pruning.max_resource: is required"),
                rule("hyperband sets the rates itself", s -> s.putObject("pruning").put("rule", "hyperband").put("max_resource", 27)
                        .put("min_early_stopping_rate", 1), "pruning.min_early_stopping_rate: unknown key"),
                rule("hyperband reduction factor whole", s -> s.putObject("pruning").put("rule", "hyperband").put("max_resource", 27)
                        .put("reduction_factor", 2.5), "pruning.reduction_factor: must be a whole number from 2 to 1000"),
                rule("hyperband max resource above min", s -> s.putObject("pruning").put("rule", "hyperband").put("min_resource", 4)
                        .put("max_resource", 4), "pruning.max_resource: leaves no rung below pruning.max_resource (4) for rule hyperband"),
                rule("gate is a mapping", s -> s.put("gate", "accuracy"), "gate: must be a mapping"),
                rule("gate metric is required", s -> gate(s).remove("metric"), "gate.metric: is required"),
                rule("gate keys are known", s -> gate(s).put("min_gian", 0.1), "gate.min_gian: unknown key"),
                rule("gate direction values", s -> gate(s).put("direction", "up"), "gate.direction: must be maximize or minimize (is 'up')"),
                rule("gate min_gain not negative", s -> gate(s).put("min_gain", -0.01), "gate.min_gain: must be >= 0 (is -0.01)"),
                rule("gate min_gain a number", s -> gate(s).put("min_gain", "a lot"), "gate.min_gain: must be a finite number"),
                rule("gate no_worse a list", s -> gate(s).put("no_worse", "recall"), "gate.no_worse: must be a list of metric names"),
                rule("gate no_worse names", s -> gate(s).putArray("no_worse").add(3), "gate.no_worse: each element must be a metric name"),
                rule("a command trainer's gate needs an evaluator", s -> gate(s).remove("evaluator"), "gate.evaluator: is required with a command trainer"),
                rule("gate evaluator command", s -> obj(gate(s), "evaluator").putArray("command"), "gate.evaluator.command: must be a non-empty list"),
                rule("gate evaluator keys", s -> obj(gate(s), "evaluator").put("workdir", "/tmp"), "gate.evaluator.workdir: unknown key"),
                rule("gate evaluator timeout", s -> obj(gate(s), "evaluator").put("timeout", "soon"), "gate.evaluator.timeout: "),
                rule("gate evaluator timeout bounded", s -> obj(gate(s), "evaluator").put("timeout", "2d"), "gate.evaluator.timeout: must be at most 1d (is 2d)"),
                rule("gate data is the built-in trainer's", s -> gate(s).put("data", "/tmp/x.csv"), "gate.data: is for the built-in trainer"),
                rule("a built-in trainer's gate needs data", s -> {
                    builtin(s, "logistic_regression");
                    s.set("space", Json.MAPPER.createObjectNode().set("epochs", Json.MAPPER.createObjectNode().put("type", "int").put("low", 1).put("high", 3)));
                    gate(s).remove("evaluator");
                }, "gate.data: is required with the built-in trainer"),
                rule("the built-in trainer evaluates itself", s -> {
                    builtin(s, "logistic_regression");
                    s.set("space", Json.MAPPER.createObjectNode().set("epochs", Json.MAPPER.createObjectNode().put("type", "int").put("low", 1).put("high", 3)));
                    gate(s).put("data", "breast_cancer");
                }, "gate.evaluator: the built-in trainer evaluates its versions itself"),
                rule("the built-in trainer's gate data is readable", s -> {
                    builtin(s, "logistic_regression");
                    s.set("space", Json.MAPPER.createObjectNode().set("epochs", Json.MAPPER.createObjectNode().put("type", "int").put("low", 1).put("high", 3)));
                    gate(s).remove("evaluator");
                    gate(s).put("data", "/nonexistent/fresh.csv");
                }, "gate.data: "),
                rule("activate values", s -> s.put("activate", "yes"), "activate: must be auto or wait (is 'yes')"),
                rule("placement values", s -> s.put("placement", "everywhere"), "placement: must be auto, local or cluster (is 'everywhere')"));
    }

    /** A valid gate for the command trainer of VALID, to break. */
    private static ObjectNode gate(ObjectNode s) {
        if (!s.has("gate")) {
            ObjectNode g = s.putObject("gate").put("metric", "val_accuracy");
            g.putObject("evaluator").putArray("command").add("python3").add("evaluate.py");
        }
        return obj(s, "gate");
    }

    @Test
    void aGateIsReadWithItsDefaultsAndKeptInTheStoredForm() {
        ExperimentSpec spec = ExperimentSpec.parseYaml(VALID + """
                gate:
                  metric: accuracy
                  no_worse: [recall]
                  evaluator: {command: [python3, evaluate.py]}
                activate: auto
                """, "test");
        GateSpec gate = spec.gate().orElseThrow();
        assertThat(gate.direction()).isEqualTo(Direction.MAXIMIZE);
        assertThat(gate.minGain()).isZero();
        assertThat(gate.noWorse()).containsExactly("recall");
        assertThat(gate.evaluator().orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.activate()).isEqualTo(Activation.AUTO);
        ExperimentSpec again = ExperimentSpec.parse(spec.toJson(), "stored");
        assertThat(again.gate()).isEqualTo(spec.gate());
        assertThat(again.activate()).isEqualTo(Activation.AUTO);
        assertThat(again.sha256()).isEqualTo(spec.sha256());
    }

    @Test
    void aSpecWithoutGateOrActivateKeepsTheStoredFormItHadBefore() {
        ExperimentSpec spec = ExperimentSpec.parseYaml(VALID, "test");
        assertThat(spec.gate()).isEmpty();
        assertThat(spec.activate()).isEqualTo(Activation.WAIT);
        assertThat(spec.toJson().has("gate")).isFalse();
        assertThat(spec.toJson().has("activate")).isFalse();
        assertThat(spec.placement()).isEqualTo(Placement.AUTO);
        assertThat(spec.toJson().has("placement")).isFalse();
    }

    @Test
    void placementLocalIsStoredAndReadBack() {
        ExperimentSpec spec = ExperimentSpec.parseYaml(VALID + "placement: local\n", "test");
        assertThat(spec.placement()).isEqualTo(Placement.LOCAL);
        ExperimentSpec again = ExperimentSpec.parse(spec.toJson(), "stored");
        assertThat(again.placement()).isEqualTo(Placement.LOCAL);
        assertThat(again.sha256()).isEqualTo(spec.sha256());
    }

    @Test
    void theGatesRelativeDataPathIsTakenFromTheSpecFilesFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/fresh.csv"), "x1,x2,label\n" + "0.1,1.0,a\n0.2,0.9,b\n".repeat(10));
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, """
                model: small
                objective: {metric: accuracy, direction: maximize}
                strategy: {name: random}
                budget: {trials: 3}
                space:
                  epochs: {type: int, low: 1, high: 3}
                trainer: {type: builtin, algorithm: logistic_regression, dataset: data/fresh.csv, label: label}
                gate: {metric: accuracy, data: data/fresh.csv}
                """);
        assertThat(ExperimentSpec.read(file).gate().orElseThrow().data())
                .hasValue(dir.resolve("data/fresh.csv").toAbsolutePath().normalize().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void aSpecBreakingARuleIsRejectedNamingTheFieldAndTheRule(String rule, Consumer<ObjectNode> breakIt, String expected) throws Exception {
        ObjectNode spec = (ObjectNode) Json.YAML.readTree(VALID);
        breakIt.accept(spec);
        assertThatThrownBy(() -> ExperimentSpec.parse(spec, "test"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e ->
                        assertThat(e.violations()).as(rule).anySatisfy(v -> assertThat(v).startsWith(expected)));
    }

    private static Arguments rule(String name, Consumer<ObjectNode> breakIt, String expected) {
        return Arguments.of(name, breakIt, expected);
    }

    @Test
    void aSpecSentWithoutItsFileRefusesARelativeGateDataWithTheTrainersOwnPathProblems() {
        String sent = """
                model: churn
                objective: {metric: accuracy, direction: maximize}
                space: {trees: {type: int, low: 10, high: 50}}
                trainer: {type: builtin, algorithm: random_forest, dataset: train.csv}
                gate: {metric: accuracy, data: fresh.csv}
                """;
        assertThatThrownBy(() -> ExperimentSpec.parseSent(sent, "request body"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("trainer.dataset: must be a shipped dataset's name or an absolute path")
                .hasMessageContaining("gate.data: must be a shipped dataset's name or an absolute path");
    }

    private static ObjectNode obj(ObjectNode parent, String key) {
        return (ObjectNode) parent.get(key);
    }
}
