package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.Condition;
import org.visutility.orchestrator.policy.spec.DropCondition;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;
import org.visutility.orchestrator.policy.spec.Verify;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Duration;

/**
 * How a policy's retrain is judged once its version is active, from the policy version that fired.
 * With {@code verify:}: its metric's sample-weighted mean over its window, min_samples and within;
 * which way is better and the threshold come from the policy's threshold condition on that metric
 * (a drop condition on it: higher is better, no threshold; neither: higher is better, no threshold).
 * Without {@code verify:}: the policy's first threshold or drop condition as it is (metric,
 * aggregate, window, min_samples, its resolve line or line), within {@link Verify#DEFAULT_WITHIN}.
 * A policy with neither has nothing to judge by ({@code basis} none): its retrains are inconclusive.
 */
record VerificationRule(String basis, String metric, Aggregate aggregate, boolean maximize, Window window, long minSamples,
                        Duration within, Double threshold) {
    static final String VERIFY = "verify";
    static final String CONDITION = "condition";
    static final String NONE = "none";

    static VerificationRule of(PolicySpec spec) {
        Verify v = spec.verify();
        if (v != null) {
            boolean maximize = true;
            Double threshold = null;
            for (Condition c : spec.conditions()) {
                if (c instanceof ThresholdCondition t && t.metric().equals(v.metric())) {
                    maximize = t.direction() == ThresholdCondition.Direction.BELOW;
                    threshold = goodSide(t);
                    break;
                }
            }
            return new VerificationRule(VERIFY, v.metric(), Aggregate.WEIGHTED_MEAN, maximize, Window.of(v.window()), v.minSamples(),
                    v.within(), threshold);
        }
        for (Condition c : spec.conditions()) {
            if (c instanceof ThresholdCondition t) {
                return new VerificationRule(CONDITION, t.metric(), t.aggregate(), t.direction() == ThresholdCondition.Direction.BELOW,
                        t.window(), t.minSamples(), Verify.DEFAULT_WITHIN, goodSide(t));
            }
            if (c instanceof DropCondition d) {
                return new VerificationRule(CONDITION, d.metric(), d.aggregate(), true, d.window(), d.minSamples(),
                        Verify.DEFAULT_WITHIN, null);
            }
        }
        return new VerificationRule(NONE, null, null, true, null, 0, Verify.DEFAULT_WITHIN, null);
    }

    /** The line a value must be back at: the resolve line when given (the policy resolves there), else the firing line. */
    private static double goodSide(ThresholdCondition t) {
        return t.resolve() == null ? t.line() : t.resolve();
    }

    String direction() {
        return maximize ? "maximize" : "minimize";
    }
}
