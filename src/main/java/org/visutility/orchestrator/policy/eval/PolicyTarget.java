package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.policy.spec.PolicySpec;

import java.time.Instant;

/** An enabled policy's current version with its model and the (policy, model)'s stored state. */
public record PolicyTarget(long policyId, String policyName, long versionId, int version, long modelId, String modelName,
                           PolicySpec spec, PolicyState state, Instant since, long revision, Double lastObserved) {
}
