package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Instant;

/**
 * A row of orchestrator.retrain_verification that is still open, with the names its notification
 * carries; {@code retiredAt}: when the verified version stopped being active since, if it did.
 */
record OpenVerification(long experimentId, long policyId, String policy, int policyVersion, long modelId, String model,
                        long modelVersionId, String version, String previousVersion, String basis, String metric, Aggregate aggregate, boolean maximize,
                        Window window, long minSamples, Double baseline, Double threshold, Instant openedAt, Instant deadline,
                        Instant retiredAt) {
}
