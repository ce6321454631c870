package org.visutility.orchestrator.experiment;

/** A trials exclude or include that cannot be done: why, and whether the experiment or trial is unknown (404) or the change conflicts (409). */
public final class ExclusionRefused extends RuntimeException {
    public enum Kind { UNKNOWN, CONFLICT }

    private final Kind kind;

    ExclusionRefused(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
