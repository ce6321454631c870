package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.UsageException;

/**
 * A status change the lifecycle does not allow, or that names no such model or version: nothing was
 * written; the message says which rule (commands exit 2). {@link UnknownModelOrVersion} is the kind that names nothing that exists.
 */
public class TransitionRefused extends UsageException {
    public TransitionRefused(String message) {
        super(message);
    }
}
