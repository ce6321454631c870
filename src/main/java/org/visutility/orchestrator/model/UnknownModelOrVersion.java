package org.visutility.orchestrator.model;

/** The model or version an operator named does not exist (commands exit 2; the control API answers 404). */
public final class UnknownModelOrVersion extends TransitionRefused {
    public UnknownModelOrVersion(String message) {
        super(message);
    }
}
