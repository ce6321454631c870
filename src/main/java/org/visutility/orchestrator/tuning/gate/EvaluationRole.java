package org.visutility.orchestrator.tuning.gate;

import java.util.Locale;

/** Which side of the comparison a version is on (ORCH_EVAL_ROLE). */
public enum EvaluationRole {
    CANDIDATE, ACTIVE;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }
}
