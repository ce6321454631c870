package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyStateMachineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ThresholdCondition FLOOR = new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(1)),
            ThresholdCondition.Direction.BELOW, 0.85, 0.87, 0);
    private static final ThresholdCondition NO_HYSTERESIS = new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(1)),
            ThresholdCondition.Direction.BELOW, 0.85, null, 0);

    private static ConditionResult observe(ThresholdCondition c, double value) {
        return ConditionResult.of(c, c.breaches(value), c.recovers(value), value, c.line(), List.of(), null);
    }

    /** Runs values through the machine, one per minute, and returns the states visited (a state repeated only on change). */
    private static List<String> run(ThresholdCondition c, Duration holdFor, double... values) {
        PolicyState state = PolicyState.OK;
        Instant since = T0;
        List<String> visited = new ArrayList<>(List.of(state.spelling()));
        for (int i = 0; i < values.length; i++) {
            Step s = PolicyStateMachine.step(state, since, List.of(observe(c, values[i])), T0.plusSeconds(60L * i), holdFor);
            if (s.changed()) visited.add(s.to().spelling());
            state = s.to();
            since = s.since();
        }
        return visited;
    }

    @Test
    void aBreachIsPendingUntilItHasHeldForThenFires() {
        assertThat(run(FLOOR, Duration.ofMinutes(3), 0.84, 0.84, 0.84, 0.84)).containsExactly("ok", "pending", "firing");
        assertThat(run(FLOOR, Duration.ofMinutes(3), 0.84, 0.84, 0.84)).containsExactly("ok", "pending");
    }

    @Test
    void aBreachThatStopsBeforeForEndsGoesBackToOk() {
        assertThat(run(FLOOR, Duration.ofMinutes(3), 0.84, 0.84, 0.86, 0.84, 0.84)).containsExactly("ok", "pending", "ok", "pending");
    }

    @Test
    void withoutForABreachFiresAtOnce() {
        assertThat(run(FLOOR, Duration.ZERO, 0.84)).containsExactly("ok", "firing");
    }

    @Test
    void withAResolveLineAValueHoveringAtTheLineDoesNotFlap() {
        double[] hovering = {0.84, 0.851, 0.849, 0.852, 0.848, 0.86, 0.849, 0.869, 0.87};
        assertThat(run(FLOOR, Duration.ZERO, hovering)).containsExactly("ok", "firing", "resolved");
        assertThat(run(NO_HYSTERESIS, Duration.ZERO, hovering))
                .as("without hysteresis the same values flap")
                .containsExactly("ok", "firing", "resolved", "firing", "resolved", "firing", "resolved", "firing", "resolved");
    }

    @Test
    void aResolvedPolicyThatBreachesAgainStartsANewEpisode() {
        assertThat(run(FLOOR, Duration.ofMinutes(1), 0.80, 0.80, 0.90, 0.80, 0.80))
                .containsExactly("ok", "pending", "firing", "resolved", "pending", "firing");
    }

    @Test
    void missingEvidenceNeitherFiresNorResolves() {
        ConditionResult unknown = ConditionResult.unknown(FLOOR, "no snapshots in the window", List.of());
        assertThat(PolicyStateMachine.step(PolicyState.FIRING, T0, List.of(unknown), T0.plusSeconds(60), Duration.ZERO).to())
                .isEqualTo(PolicyState.FIRING);
        assertThat(PolicyStateMachine.step(PolicyState.PENDING, T0, List.of(unknown), T0.plusSeconds(60), Duration.ZERO).to())
                .isEqualTo(PolicyState.OK);
        assertThat(PolicyStateMachine.step(PolicyState.OK, T0, List.of(unknown), T0.plusSeconds(60), Duration.ZERO).to())
                .isEqualTo(PolicyState.OK);
    }

    @Test
    void conditionsCombineAsAllOfAndAnyRecoveredConditionResolves() {
        ThresholdCondition latency = new ThresholdCondition("latency", Aggregate.MAX, Window.lastSnapshots(1),
                ThresholdCondition.Direction.ABOVE, 100, null, 0);
        List<ConditionResult> onlyOne = List.of(observe(FLOOR, 0.80), observe(latency, 50));
        assertThat(PolicyStateMachine.step(PolicyState.OK, T0, onlyOne, T0, Duration.ZERO).to()).isEqualTo(PolicyState.OK);
        List<ConditionResult> both = List.of(observe(FLOOR, 0.80), observe(latency, 150));
        assertThat(PolicyStateMachine.step(PolicyState.OK, T0, both, T0, Duration.ZERO).to()).isEqualTo(PolicyState.FIRING);
        Step resolved = PolicyStateMachine.step(PolicyState.FIRING, T0, onlyOne, T0, Duration.ZERO);
        assertThat(resolved.to()).isEqualTo(PolicyState.RESOLVED);
        assertThat(resolved.decisive()).as("the latency condition recovered").isEqualTo(1);
    }
}
