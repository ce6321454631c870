package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.StalenessCondition;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;
import org.visutility.orchestrator.policy.spec.Window;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pass with enough conditions evaluates half of them over a second connection at the same time:
 * every input still gets exactly the verdict it gets on one connection, whatever the kind, the
 * model or the instant, and the same (model, instant) asked for more than once.
 */
@ExtendWith(PolicyBedExtension.class)
class ConditionsSplitOverTwoConnectionsTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void conditionsSplitOverTwoConnectionsGetTheVerdictsTheyGetOnOne(PolicyBed bed) {
        MetricHistory low = bed.history().model("split-low").version("v1").from(T0).every(HOUR);
        low.values(0.7, 0.72, 0.71, 0.69, 0.7, 0.68);
        MetricHistory high = bed.history().model("split-high").version("v1").from(T0).every(HOUR);
        high.values(0.9, 0.91, 0.92, 0.9, 0.93, 0.9);
        long lowModel = low.modelId();
        long highModel = high.modelId();
        ThresholdCondition below = new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(2)),
                ThresholdCondition.Direction.BELOW, 0.8, null, 1);
        ThresholdCondition lastTwo = new ThresholdCondition("accuracy", Aggregate.LAST, Window.lastSnapshots(2),
                ThresholdCondition.Direction.BELOW, 0.8, null, 1);
        StalenessCondition stale = new StalenessCondition(Duration.ofHours(3));
        List<ConditionInput> inputs = new ArrayList<>();
        for (int i = 0; inputs.size() < ConditionEvaluator.PARALLEL_FROM + 200; i++) {
            Instant at = T0.minus(HOUR).plus(Duration.ofMinutes(30L * (i % 16))); // from before the first snapshot to past the last
            long model = i % 3 == 0 ? highModel : lowModel;
            inputs.add(new ConditionInput(inputs.size(), model, "m", i % 5 == 0 ? lastTwo : below, at));
            if (i % 7 == 0) inputs.add(new ConditionInput(inputs.size(), model, "m", stale, at));
        }
        ConditionEvaluator evaluator = new ConditionEvaluator(bed.sqlConditions);

        Map<Integer, ConditionResult> one = bed.jdbi().withHandle(h -> evaluator.evaluate(h, inputs));
        Map<Integer, ConditionResult> two = bed.jdbi().withHandle(h -> evaluator.evaluate(h, inputs, bed.jdbi()));

        assertThat(one).hasSize(inputs.size());
        assertThat(two).isEqualTo(one);
        assertThat(one.values()).as("both breaches and not, and windows without evidence, are among them")
                .anyMatch(ConditionResult::breach).anyMatch(r -> Boolean.FALSE.equals(r.holds())).anyMatch(r -> r.holds() == null);
    }
}
