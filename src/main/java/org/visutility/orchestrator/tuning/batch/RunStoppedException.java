package org.visutility.orchestrator.tuning.batch;

import org.visutility.orchestrator.experiment.RunControl;

/** The run was told to stop (cancelled or taken over); its step ends without recording more. */
public final class RunStoppedException extends RuntimeException {
    private final RunControl.StopReason reason;

    public RunStoppedException(long experimentId, RunControl.StopReason reason) {
        super("experiment " + experimentId + ": run stopped (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")");
        this.reason = reason;
    }

    public RunControl.StopReason reason() {
        return reason;
    }
}
