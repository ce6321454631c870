package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One condition of a policy; a policy's conditions combine as all-of. */
public sealed interface Condition permits ThresholdCondition, DropCondition, StalenessCondition, SqlCondition, DriftCondition,
        EstimatedCondition {
    /** A one-line human description, e.g. {@code mean(accuracy, 6h) below 0.85}; stored with each evaluation. */
    String describe();

    /** The normalised form, in the same keys as the policy file (so it reads back with the same parser). */
    ObjectNode toJson();
}
