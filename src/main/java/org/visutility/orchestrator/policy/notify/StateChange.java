package org.visutility.orchestrator.policy.notify;

import java.time.Instant;
import java.util.List;

/** A (policy, model) changed state; the evaluation row that records it is {@code evaluationId}. */
public record StateChange(long evaluationId, long policyId, String policy, int policyVersion, long modelId, String model,
                          String from, String to, Instant at, String condition, Double observed, Double threshold,
                          List<Long> evidenceSnapshotIds) {
}
