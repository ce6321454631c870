package org.visutility.orchestrator.tuning;

import java.util.Locale;

/** A trial's status, as stored in orchestrator.trial.status. */
public enum TrialStatus {
    RUNNING, COMPLETE, FAILED, PRUNED;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrialStatus parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
