package org.visutility.orchestrator.tuning.pareto;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectRuleTest {
    private static final Objectives ACCURACY_AND_LATENCY = Objectives.of(new Objective("accuracy", Direction.MAXIMIZE),
            new Objective("latency_ms", Direction.MINIMIZE));

    private static SelectRule.Candidate trial(int number, double accuracy, double latency) {
        return new SelectRule.Candidate(number, Map.of("accuracy", accuracy, "latency_ms", latency));
    }

    /** Front: 0, 1, 2. Trial 3 is dominated by 2, 4 by 0, 5 by 2. */
    private static final List<SelectRule.Candidate> TRIALS = List.of(trial(0, 0.90, 10), trial(1, 0.95, 25), trial(2, 0.93, 18),
            trial(3, 0.92, 20), trial(4, 0.85, 30), trial(5, 0.93, 19));

    private static SelectRule rule(String metric, String constraint) {
        return new SelectRule(metric, constraint == null ? List.of() : Constraint.parseAll(constraint));
    }

    @Test
    void theChosenTrialIsTheFrontsBestOnTheMetricAmongThoseMeetingTheConstraint() {
        SelectRule.Choice choice = rule("accuracy", "latency_ms <= 20").choose(TRIALS, ACCURACY_AND_LATENCY);
        assertThat(choice.front()).extracting(SelectRule.Candidate::number).containsExactly(0, 1, 2);
        assertThat(choice.chosen()).map(SelectRule.Candidate::number).hasValue(2);
        // trial 3 meets the constraint too, but 2 dominates it
        assertThat(rule("accuracy", null).choose(TRIALS, ACCURACY_AND_LATENCY).chosen()).map(SelectRule.Candidate::number).hasValue(1);
        assertThat(rule("latency_ms", null).choose(TRIALS, ACCURACY_AND_LATENCY).chosen()).map(SelectRule.Candidate::number).hasValue(0);
        assertThat(rule("latency_ms", "accuracy >= 0.93").choose(TRIALS, ACCURACY_AND_LATENCY).chosen())
                .map(SelectRule.Candidate::number).hasValue(2);
        assertThat(rule("accuracy", "latency_ms < 18 and accuracy > 0.5").choose(TRIALS, ACCURACY_AND_LATENCY).chosen())
                .map(SelectRule.Candidate::number).hasValue(0);
    }

    @Test
    void whenNoFrontMemberMeetsTheConstraintNothingIsChosenAndTheClosestIsNamed() {
        SelectRule.Choice choice = rule("accuracy", "latency_ms <= 5").choose(TRIALS, ACCURACY_AND_LATENCY);
        assertThat(choice.chosen()).isEmpty();
        // trial 0 misses by 5 (1× the bound), trial 2 by 13, trial 1 by 20
        assertThat(choice.closest()).map(SelectRule.Candidate::number).hasValue(0);
        assertThat(rule("accuracy", "latency_ms <= 5").choose(List.of(), ACCURACY_AND_LATENCY).front()).isEmpty();
    }

    @Test
    void equalFrontMembersGoToTheEarlierTrial() {
        List<SelectRule.Candidate> twins = List.of(trial(7, 0.97, 40), trial(3, 0.97, 40), trial(1, 0.90, 5));
        assertThat(rule("accuracy", null).choose(twins, ACCURACY_AND_LATENCY).chosen()).map(SelectRule.Candidate::number).hasValue(3);
    }

    @Test
    void theDefaultRuleIsTheBestOnTheFirstObjective() {
        assertThat(SelectRule.firstObjective(ACCURACY_AND_LATENCY).choose(TRIALS, ACCURACY_AND_LATENCY).chosen())
                .map(SelectRule.Candidate::number).hasValue(1);
    }

    @Test
    void constraintsAreASmallGrammarOfBoundsJoinedByAnd() {
        assertThat(Constraint.parseAll("latency_ms <= 20")).containsExactly(new Constraint("latency_ms", Constraint.Operator.AT_MOST, 20));
        assertThat(Constraint.parseAll(" latency_ms<20 and accuracy >= 9.5e-1 "))
                .containsExactly(new Constraint("latency_ms", Constraint.Operator.BELOW, 20),
                        new Constraint("accuracy", Constraint.Operator.AT_LEAST, 0.95));
        assertThat(Constraint.join(Constraint.parseAll("a > -1.5 and b < 3"))).isEqualTo("a > -1.5 and b < 3");
        for (String bad : List.of("latency_ms => 20", "latency_ms = 20", "latency_ms <= abc", "latency_ms <= 20 or accuracy > 1",
                "1 <= latency_ms", "latency_ms <= 20; DROP TABLE trial", "latency_ms <= 20 and", "")) {
            assertThatThrownBy(() -> Constraint.parseAll(bad)).as(bad).isInstanceOf(Constraint.Malformed.class);
        }
        assertThatThrownBy(() -> Constraint.parseAll("a < 1 and ".repeat(9) + "a < 1")).hasMessageContaining("at most 8");
    }
}
