package org.visutility.orchestrator.experiment;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeveralObjectivesSpecTest {
    private static final String REST = """
            model: churn
            budget: {trials: 10}
            space:
              x: {type: float, low: 0.0, high: 1.0}
            trainer: {type: function, function: sphere}
            """;
    private static final String TWO = "objective: [{metric: accuracy, direction: maximize}, {metric: latency_ms, direction: minimize}]\n";

    private static ExperimentSpec parse(String yaml) {
        return ExperimentSpec.parseYaml(REST + yaml, "test");
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (InvalidSpecException e) {
            return e.violations();
        }
        throw new AssertionError("the spec was accepted: " + yaml);
    }

    @Test
    void aListOfObjectivesWithSelectParsesAndIsStoredWithItsRule() {
        ExperimentSpec spec = parse(TWO + "select: {metric: accuracy, constraint: 'latency_ms<=20 and accuracy >= 0.5'}\n"
                + "strategy: {name: nsga2, seed: 1, population_size: 8}\n");
        assertThat(spec.severalObjectives()).isTrue();
        assertThat(spec.objectives().objectives().list()).containsExactly(new Objective("accuracy", Direction.MAXIMIZE),
                new Objective("latency_ms", Direction.MINIMIZE));
        assertThat(spec.objective()).as("the score is the select metric").isEqualTo(new Objective("accuracy", Direction.MAXIMIZE));
        assertThat(spec.toJson().get("select").toString())
                .isEqualTo("{\"metric\":\"accuracy\",\"constraint\":\"latency_ms <= 20 and accuracy >= 0.5\"}");
        ExperimentSpec again = ExperimentSpec.parse(spec.toJson(), "stored");
        assertThat(again.toJson()).isEqualTo(spec.toJson());
        assertThat(again.sha256()).isEqualTo(spec.sha256());
    }

    @Test
    void withoutSelectTheBestSetIsTheFrontsBestOnTheFirstObjectiveAndTheStoredSpecSaysSo() {
        ExperimentSpec spec = parse(TWO + "strategy: {name: motpe}\n");
        assertThat(spec.objectives().select().orElseThrow().metric()).isEqualTo("accuracy");
        assertThat(spec.objectives().select().orElseThrow().constraints()).isEmpty();
        assertThat(spec.toJson().get("select").toString()).isEqualTo("{\"metric\":\"accuracy\"}");
    }

    @Test
    void aSingleObjectiveIsStoredExactlyAsBefore() {
        ExperimentSpec spec = parse("objective: {metric: loss, direction: minimize}\nstrategy: {name: tpe}\n");
        assertThat(spec.severalObjectives()).isFalse();
        assertThat(spec.toJson().get("objective").toString()).isEqualTo("{\"metric\":\"loss\",\"direction\":\"minimize\"}");
        assertThat(spec.toJson().has("select")).isFalse();
        // motpe and nsga2 take one objective too
        assertThat(parse("objective: {metric: loss, direction: minimize}\nstrategy: {name: nsga2}\n").strategy().name()).isEqualTo("nsga2");
    }

    @Test
    void everyMistakeIsNamedByItsKey() {
        String strategy = "strategy: {name: nsga2}\n";
        assertThat(problems(TWO + "select: {metric: f1}\n" + strategy))
                .containsExactly("select.metric: 'f1' is not one of the objectives (accuracy, latency_ms)");
        assertThat(problems(TWO + "select: {metric: accuracy, constraint: 'latency_ms => 20'}\n" + strategy))
                .singleElement().asString().startsWith("select.constraint: bound 1 ('latency_ms => 20') is not 'metric <=|<|>=|> number'");
        assertThat(problems(TWO + "select: {metric: accuracy, constraint: 'size_mb < 3'}\n" + strategy))
                .singleElement().asString().startsWith("select.constraint: 'size_mb' is not one of the objectives (accuracy, latency_ms)");
        assertThat(problems(TWO + "select: {metric: accuracy, constraint: 20}\n" + strategy))
                .containsExactly("select.constraint: must be a non-empty string");
        assertThat(problems(TWO + "select: {metric: accuracy, why: x}\n" + strategy))
                .containsExactly("select.why: unknown key; known keys are metric, constraint");
        assertThat(problems(TWO + "select: accuracy\n" + strategy)).containsExactly("select: must be a mapping {metric, constraint}");
        assertThat(problems("objective: {metric: loss, direction: minimize}\nselect: {metric: loss}\n" + strategy))
                .singleElement().asString().startsWith("select: only with several objectives");
        assertThat(problems("objective: [{metric: loss, direction: minimize}]\n" + strategy))
                .singleElement().asString().startsWith("objective: a list needs at least two objectives (has 1)");
        assertThat(problems("objective: [{metric: a, direction: maximize}, {metric: a, direction: minimize}]\n" + strategy))
                .containsExactly("objective[1].metric: 'a' is listed twice");
        assertThat(problems("objective: [{metric: a, direction: up}, {direction: minimize}, 3]\n" + strategy))
                .containsExactlyInAnyOrder("objective[0].direction: must be maximize or minimize (is 'up')",
                        "objective[1].metric: is required", "objective[2]: must be a mapping {metric, direction}");
        assertThat(problems("objective: accuracy\n" + strategy))
                .containsExactly("objective: must be a mapping {metric, direction} or a list of them (several objectives)");
        assertThat(problems("objective: [{metric: a, direction: maximize}, {metric: b, direction: maximize}, {metric: c, direction: maximize},"
                + " {metric: d, direction: maximize}, {metric: e, direction: maximize}]\n" + strategy))
                .containsExactly("objective: lists 5 objectives; at most 4");
    }

    @Test
    void severalObjectivesRuleOutASingleObjectiveStrategyPruningAndAGoal() {
        assertThat(problems(TWO + "strategy: {name: tpe}\n"))
                .containsExactly("strategy.name: tpe optimizes a single objective; with several objectives use one of grid, motpe, nsga2, random");
        assertThat(problems(TWO + "strategy: {name: nsga2}\npruning: {rule: median}\n"))
                .singleElement().asString().startsWith("pruning: not with several objectives");
        assertThatThrownBy(() -> ExperimentSpec.parseYaml("""
                model: churn
                budget: {trials: 10, goal: 0.9}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: function, function: sphere}
                strategy: {name: random}
                """ + TWO, "t")).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                .singleElement().asString().startsWith("budget.goal: not with several objectives"));
        assertThat(problems(TWO + "strategy: {name: nsga2, population_size: 1, crossover_prob: 2}\n"))
                .containsExactlyInAnyOrder("strategy.population_size: must be a whole number from 2 to 10000 (is 1)",
                        "strategy.crossover_prob: must be a probability from 0 to 1 (is 2.0)");
    }
}
