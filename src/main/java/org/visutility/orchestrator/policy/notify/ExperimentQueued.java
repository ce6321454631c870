package org.visutility.orchestrator.policy.notify;

import java.time.Instant;

/** A firing policy enqueued an experiment (status queued) for the tuning side to launch. */
public record ExperimentQueued(long experimentId, long evaluationId, long policyId, String policy, long modelId, String model,
                               Instant at) {
}
