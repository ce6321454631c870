package org.visutility.orchestrator.experiment;

/**
 * A new experiment may not supersede the run named: it does not exist, is of another model, has not
 * ended, succeeded, or was superseded already. The message names the field and the rule.
 */
public final class SupersedesRefused extends RuntimeException {
    /** Why: the run named is unknown or of another model (bad input), or its state forbids it (a conflict). */
    public enum Reason { UNKNOWN, OTHER_MODEL, NOT_ENDED, SUCCEEDED, ALREADY_SUPERSEDED }

    private final Reason reason;

    SupersedesRefused(Reason reason, String message) {
        super("supersedes: " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the run's state, not the input, is the trouble (HTTP 409 rather than 400). */
    public boolean conflict() {
        return reason == Reason.NOT_ENDED || reason == Reason.SUCCEEDED || reason == Reason.ALREADY_SUPERSEDED;
    }
}
