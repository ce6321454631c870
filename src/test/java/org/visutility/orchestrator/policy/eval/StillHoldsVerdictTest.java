package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a recorded step would still be taken on today's values, as the state machine takes it. */
class StillHoldsVerdictTest {
    private static final ThresholdCondition FLOOR = new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(1)),
            ThresholdCondition.Direction.BELOW, 0.85, 0.87, 0);

    private static ConditionResult breach() {
        return ConditionResult.of(FLOOR, true, false, 0.80, 0.85, List.of(1L), null);
    }

    private static ConditionResult between() {
        return ConditionResult.of(FLOOR, false, false, 0.86, 0.85, List.of(1L), null);
    }

    private static ConditionResult recovered() {
        return ConditionResult.of(FLOOR, false, true, 0.90, 0.85, List.of(1L), null);
    }

    private static ConditionResult unknown() {
        return ConditionResult.unknown(FLOOR, "too few samples", List.of());
    }

    @Test
    void aFiringOrPendingStepHoldsWhileEveryConditionStillBreaches() {
        assertThat(DecisionReviewer.stillHolds(PolicyState.FIRING, List.of(breach(), breach()))).isTrue();
        assertThat(DecisionReviewer.stillHolds(PolicyState.PENDING, List.of(breach(), between()))).isFalse();
        assertThat(DecisionReviewer.stillHolds(PolicyState.FIRING, List.of(breach(), unknown()))).as("cannot be judged").isNull();
        assertThat(DecisionReviewer.stillHolds(PolicyState.FIRING, List.of(between(), unknown()))).as("one no longer breaches").isFalse();
    }

    @Test
    void aResolvedStepHoldsWhileAConditionHasStillRecoveredPastItsResolveLine() {
        assertThat(DecisionReviewer.stillHolds(PolicyState.RESOLVED, List.of(recovered()))).isTrue();
        assertThat(DecisionReviewer.stillHolds(PolicyState.RESOLVED, List.of(between()))).as("under the resolve line: would stay firing").isFalse();
        assertThat(DecisionReviewer.stillHolds(PolicyState.RESOLVED, List.of(unknown()))).isNull();
    }

    @Test
    void anOkStepHoldsWhileNotEveryConditionBreaches() {
        assertThat(DecisionReviewer.stillHolds(PolicyState.OK, List.of(between()))).isTrue();
        assertThat(DecisionReviewer.stillHolds(PolicyState.OK, List.of(breach()))).isFalse();
        assertThat(DecisionReviewer.stillHolds(PolicyState.OK, List.of(breach(), unknown()))).isNull();
    }
}
