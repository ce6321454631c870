package org.visutility.orchestrator.policy.notify;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A retrain's post-deploy verification was decided (orchestrator.retrain_verification): the
 * version {@code version} that experiment {@code experimentId} produced, active since
 * {@code openedAt}, {@code recovered}, {@code not_recovered} or {@code inconclusive}. Nothing
 * changes a version's status because of it: for not_recovered the operator decides the rollback.
 */
public record VerificationDecided(long experimentId, long policyId, String policy, int policyVersion, long modelId, String model,
                                  String version, String previousVersion, String outcome, String metric, Double observed,
                                  Double baseline, Double threshold, Long sampleCount, Instant openedAt, Instant decidedAt,
                                  String reason, JsonNode evidence) {
    public static final String RECOVERED = "recovered";
    public static final String NOT_RECOVERED = "not_recovered";
    public static final String INCONCLUSIVE = "inconclusive";
    /** What a not_recovered outcome suggests, in its notifications. */
    public static final String ROLLBACK_SUGGESTED = "rollback suggested";

    public boolean rollbackSuggested() {
        return NOT_RECOVERED.equals(outcome);
    }
}
