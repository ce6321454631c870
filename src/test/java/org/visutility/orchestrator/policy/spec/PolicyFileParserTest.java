package org.visutility.orchestrator.policy.spec;

import org.visutility.orchestrator.experiment.Activation;

import org.visutility.orchestrator.experiment.ExperimentSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PolicyFileParserTest {
    @TempDir
    Path dir;

    private static final String EXPERIMENT = """
            model: churn
            objective: {metric: val_accuracy, direction: maximize}
            strategy: {name: random, seed: 42}
            budget: {trials: 40, parallel: 2}
            space:
              learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
            trainer: {type: command, command: [python3, train.py]}
            """;

    private PolicyFile parse(String yaml) {
        return PolicyFileParser.parse(yaml, "policies.yaml", dir);
    }

    private List<Problem> problems(String yaml) {
        return catchThrowableOfType(PolicyFileException.class, () -> parse(yaml)).problems();
    }

    @Test
    void readsTheDesignExampleWithTheExperimentSpecFromAFileBesideIt() {
        PolicyFiles.write(dir, "churn-tuning.yaml", EXPERIMENT);
        PolicyFile file = parse("""
                policies:
                  - name: churn-accuracy-floor
                    model: churn
                    when: {metric: accuracy, aggregate: mean, window: 6h, below: 0.85, min_samples: 1000, for: 30m}
                    cooldown: 24h
                    experiment: churn-tuning.yaml      # a path relative to this file, or the spec inline
                """);
        PolicySpec spec = file.specs().get(0);
        assertThat(spec.name()).isEqualTo("churn-accuracy-floor");
        assertThat(spec.model()).isEqualTo("churn");
        assertThat(spec.holdFor()).isEqualTo(Duration.ofMinutes(30));
        assertThat(spec.cooldown()).isEqualTo(Duration.ofHours(24));
        assertThat(spec.conditions()).containsExactly(new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(6)),
                ThresholdCondition.Direction.BELOW, 0.85, null, 1000));
        assertThat(spec.experiment().get("strategy").get("name").asText()).isEqualTo("random");
        assertThat(spec.experiment().get("space").get("learning_rate").get("low").asDouble()).isEqualTo(1.0e-4);
        assertThat(file.entries().get(0).line()).isEqualTo(2);
    }

    @Test
    void activateAutoOnAPolicyReachesTheExperimentsItEnqueues() {
        PolicyFiles.write(dir, "churn-tuning.yaml", EXPERIMENT);
        PolicyFile file = parse("""
                policies:
                  - name: from-file
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85}
                    experiment: churn-tuning.yaml
                    activate: auto
                  - name: inline
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85}
                    activate: auto
                    experiment:
                      objective: {metric: val_accuracy, direction: maximize}
                      strategy: {name: random}
                      budget: {trials: 2}
                      space: {x: {type: float, low: 0.0, high: 1.0}}
                      trainer: {type: command, command: [python3, train.py]}
                  - name: default
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85}
                    experiment: churn-tuning.yaml
                """);
        for (PolicySpec spec : file.specs().subList(0, 2)) {
            assertThat(ExperimentSpec.parse(spec.experiment(), "stored").activate()).as(spec.name()).isEqualTo(Activation.AUTO);
            // the stored policy reads back the same
            assertThat(ExperimentSpec.parse(PolicyFileParser.readStored(spec.toJson()).experiment(), "stored").activate())
                    .isEqualTo(Activation.AUTO);
        }
        assertThat(ExperimentSpec.parse(file.specs().get(2).experiment(), "stored").activate()).isEqualTo(Activation.WAIT);
    }

    @Test
    void aPolicysActivateIsAutoOrWaitAndAgreesWithItsSpec() {
        PolicyFiles.write(dir, "waits.yaml", EXPERIMENT + "activate: wait\n");
        assertThat(problems("""
                policies:
                  - name: bad-value
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85}
                    experiment: waits.yaml
                    activate: yes
                  - name: disagrees
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85}
                    experiment: waits.yaml
                    activate: auto
                """)).extracting(Problem::toString).anySatisfy(p -> assertThat(p).contains("activate", "must be auto or wait"))
                .anySatisfy(p -> assertThat(p).contains("the experiment spec says activate: wait, the policy activate: auto"));
    }

    @Test
    void relativePathsInASpecFileAreTakenFromThatFilesFolder() throws Exception {
        Path specs = java.nio.file.Files.createDirectories(dir.resolve("specs"));
        java.nio.file.Files.writeString(specs.resolve("train.csv"), "x,label\n" + "0.1,a\n0.9,b\n".repeat(10));
        PolicyFiles.write(specs, "churn-tuning.yaml", """
                model: churn
                objective: {metric: accuracy, direction: maximize}
                strategy: {name: random}
                budget: {trials: 3}
                space:
                  epochs: {type: int, low: 1, high: 3}
                trainer: {type: builtin, algorithm: logistic_regression, dataset: train.csv, label: label}
                """);
        PolicyFile file = parse("""
                policies:
                  - name: churn-accuracy-floor
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85}
                    experiment: specs/churn-tuning.yaml
                """);
        assertThat(file.specs().get(0).experiment().get("trainer").get("dataset").asText())
                .isEqualTo(specs.resolve("train.csv").toAbsolutePath().normalize().toString());
    }

    @Test
    void everyConditionKindReadsBackFromItsStoredFormUnchanged() {
        PolicyFile file = parse("""
                policies:
                  - name: all-kinds
                    model: churn
                    for: 10m
                    when:
                      - {metric: accuracy, aggregate: weighted_mean, snapshots: 5, below: 0.85, resolve: 0.87, min_samples: 10}
                      - {metric: latency_p99, aggregate: max, window: 1h, above: 2.5e3}
                      - {metric: accuracy, window: 6h, drop: 5%, baseline: {first: 20}, resolve: 2%}
                      - {metric: accuracy, snapshots: 3, drop: 0.03, baseline: 0.93}
                      - {no_successful_retrain_for: 30d}
                      - {sql: "SELECT count(*) > 0 AS breach FROM orchestrator.metric_snapshot WHERE model_id = :model_id AND observed_at <= :at", timeout: 2s}
                    experiment: INLINE
                """.replace("INLINE", PolicyFiles.inlineExperiment("churn")));
        PolicySpec spec = file.specs().get(0);
        assertThat(spec.conditions()).hasSize(6);
        assertThat(spec.conditions().get(2)).isEqualTo(new DropCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(6)),
                0.05, true, new DropCondition.Baseline(null, 20), 0.02, 0));
        assertThat(spec.conditions().get(3)).isEqualTo(new DropCondition("accuracy", Aggregate.MEAN, Window.lastSnapshots(3),
                0.03, false, new DropCondition.Baseline(0.93, null), null, 0));

        PolicySpec stored = PolicyFileParser.readStored(spec.toJson());
        assertThat(stored).isEqualTo(spec);
        assertThat(stored.sha256()).isEqualTo(spec.sha256());
        assertThat(file.entries().get(0).conditionLines()).containsExactly(6, 7, 8, 9, 10, 11);
    }

    @Test
    void settledOnlyIsReadOnWindowConditionsAndKeptInTheStoredFormOnlyWhenTrue() {
        PolicySpec spec = parse("""
                policies:
                  - name: settled
                    model: churn
                    when:
                      - {metric: accuracy, window: 6h, below: 0.85, min_samples: 1000, settled_only: true}
                      - {metric: accuracy, snapshots: 3, drop: 0.03, baseline: {first: 5}, settled_only: true}
                      - {metric: accuracy, window: 1h, below: 0.80, settled_only: false}
                    experiment: INLINE
                """.replace("INLINE", PolicyFiles.inlineExperiment("churn"))).specs().get(0);

        assertThat(((ThresholdCondition) spec.conditions().get(0)).settledOnly()).isTrue();
        assertThat(((DropCondition) spec.conditions().get(1)).settledOnly()).isTrue();
        assertThat(((ThresholdCondition) spec.conditions().get(2)).settledOnly()).isFalse();
        assertThat(spec.conditions().get(0).toJson().get("settled_only").asBoolean()).isTrue();
        assertThat(spec.conditions().get(2).toJson().has("settled_only")).as("absent, as in specs stored before it existed").isFalse();
        assertThat(PolicyFileParser.readStored(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void settledOnlyMustBeTrueOrFalseAndBelongsToWindowConditions() {
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85, settled_only: "yes please"}
                    experiment: INLINE
                """.replace("INLINE", PolicyFiles.inlineExperiment("churn")))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("policies[0].when.settled_only");
            assertThat(p.reason()).startsWith("must be true or false");
        });
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    when: {no_successful_retrain_for: 30d, settled_only: true}
                    experiment: INLINE
                """.replace("INLINE", PolicyFiles.inlineExperiment("churn")))).singleElement()
                .satisfies(p -> assertThat(p.field()).endsWith("settled_only"));
    }

    @Test
    void theSpecHashDoesNotDependOnKeyOrderOrSpelling() throws Exception {
        String a = """
                policies:
                  - {name: p, model: churn, when: {metric: accuracy, window: 6h, below: 0.85}, experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 3, parallel: 1}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}}
                """;
        String b = """
                policies:
                  - experiment: {trainer: {type: function, function: sphere}, space: {x: {type: float, low: -1.0, high: 1.0}}, budget: {parallel: 1, trials: 3}, strategy: {name: random}, objective: {metric: loss, direction: minimize}, model: churn}
                    when: {below: 0.85, window: 360m, aggregate: mean, metric: accuracy}
                    cooldown: 1d
                    model: churn
                    name: p
                """;
        assertThat(parse(a).specs().get(0).sha256()).isEqualTo(parse(b).specs().get(0).sha256());
        String c = a.replace("0.85", "0.86");
        assertThat(parse(c).specs().get(0).sha256()).isNotEqualTo(parse(a).specs().get(0).sha256());
        assertThat(Json.MAPPER.writeValueAsString(parse(a).specs().get(0).toJson())).contains("\"cooldown\":\"1d\"");
    }

    @Test
    void rejectsTheWholeFileListingEveryProblemWithItsLine() {
        List<Problem> problems = problems("""
                policies:
                  - name: good
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                  - name: typo
                    model: churn
                    when: {metric: accuracy, window: 6h, belw: 0.85}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                  - name: both-lines
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85, above: 0.95}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                  - name: bad-duration
                    model: churn
                    when: {metric: accuracy, window: six hours, below: 0.85}
                    cooldown: 24 hours
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """);
        assertThat(problems).extracting(Problem::line).containsExactly(8, 8, 12, 16, 17);
        assertThat(problems.get(0).field()).isEqualTo("policies[1].when.belw");
        assertThat(problems.get(0).reason()).startsWith("unknown key 'belw' (did you mean below?)");
        assertThat(problems.get(1).reason()).contains("cannot tell the kind of condition");
        assertThat(problems.get(2).field()).isEqualTo("policies[2].when.above");
        assertThat(problems.get(2).reason()).contains("either below or above");
        assertThat(problems.get(3).field()).isEqualTo("policies[3].when.window");
        assertThat(problems.get(4).field()).isEqualTo("policies[3].cooldown");
    }

    @Test
    void anUnknownKeyIsNamedWithWhatIsAllowed() {
        List<Problem> problems = problems("""
                policies:
                  - name: p
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85, min_sample: 100}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.field()).isEqualTo("policies[0].when.min_sample");
            assertThat(p.reason()).contains("unknown key").contains("min_samples");
        });
    }

    @Test
    void aResolveLineOnTheWrongSideOfTheThresholdIsRejected() {
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85, resolve: 0.80}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """)).singleElement().satisfies(p -> assertThat(p.reason()).contains("at or above the below line 0.85"));
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    when: {metric: accuracy, window: 6h, drop: 5%, resolve: 0.01}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """)).singleElement().satisfies(p -> assertThat(p.reason()).contains("same unit as drop"));
    }

    @Test
    void anExperimentSpecForAnotherModelOrMissingIsRejected() {
        PolicyFiles.write(dir, "fraud-tuning.yaml", EXPERIMENT.replace("model: churn", "model: fraud"));
        List<Problem> problems = problems("""
                policies:
                  - name: wrong-model
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85}
                    experiment: fraud-tuning.yaml
                  - name: missing
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85}
                    experiment: nowhere.yaml
                  - name: not-a-mapping
                    model: churn
                    when: {metric: accuracy, window: 6h, below: 0.85}
                    experiment: [1, 2]
                """);
        assertThat(problems).extracting(Problem::line).containsExactly(5, 9, 13);
        assertThat(problems.get(0).reason()).contains("fraud-tuning.yaml").contains("'fraud' is not the policy's model 'churn'");
        assertThat(problems.get(1).reason()).contains("cannot read the experiment spec").contains("nowhere.yaml");
        assertThat(problems.get(2).reason()).contains("must be a mapping");
    }

    @Test
    void duplicateNamesAndDuplicateKeysAreRejected() {
        assertThat(problems("""
                policies:
                  - {name: p, model: churn, when: {metric: accuracy, window: 6h, below: 0.85}, experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}}
                  - {name: p, model: churn, when: {metric: accuracy, window: 6h, below: 0.80}, experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}}
                """)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.reason()).contains("duplicate policy name 'p'");
        });
        assertThat(problems("""
                policies:
                  - name: p
                    name: q
                """)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.reason()).isEqualTo("duplicate key");
        });
    }

    @Test
    void aYamlSyntaxErrorNamesItsLine() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class, () -> parse("""
                policies:
                  - name: p
                    when: {metric: accuracy, window: 6h
                """));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.reason()).startsWith("not valid YAML"));
        assertThat(e.getMessage()).contains("policies.yaml:").contains("nothing was applied");
    }

    @Test
    void aCustomPredicateMayUseOnlyTheDocumentedParameters() {
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    when: {sql: "SELECT true AS breach WHERE :model_id > 0 AND :policy = 'x'"}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """)).singleElement().satisfies(p -> assertThat(p.reason()).contains(":policy").contains(":at, :known_at, :model, :model_id"));
    }

    @Test
    void forIsGivenOnceEitherBesideASingleConditionOrOnThePolicy() {
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    for: 5m
                    when: {metric: accuracy, window: 6h, below: 0.85, for: 10m}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """)).singleElement().satisfies(p -> assertThat(p.reason()).contains("for is given twice"));
        assertThat(problems("""
                policies:
                  - name: p
                    model: churn
                    when:
                      - {metric: accuracy, window: 6h, below: 0.85, for: 10m}
                    experiment: {model: churn, objective: {metric: loss, direction: minimize}, strategy: {name: random}, budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                """)).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("policies[0].when[0].for"));
    }

    @Test
    void anEmptyOrShapelessFileIsRejected() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(PolicyFileException.class).hasMessageContaining("mapping with the key policies");
        assertThatThrownBy(() -> parse("policies: 3")).isInstanceOf(PolicyFileException.class).hasMessageContaining("must be a list");
    }
}
