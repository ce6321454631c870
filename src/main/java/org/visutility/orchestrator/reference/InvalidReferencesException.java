package org.visutility.orchestrator.reference;

import org.visutility.orchestrator.collect.Violation;
import org.visutility.orchestrator.core.UsageException;

import java.util.List;

/** A reference (file, trainer report, HTTP body) broke a rule; nothing was written (a usage error: exit 2, HTTP 400). */
public final class InvalidReferencesException extends UsageException {
    private final List<Violation> violations;

    public InvalidReferencesException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        StringBuilder b = new StringBuilder("invalid references; nothing was written:");
        for (Violation v : violations) b.append("\n  ").append(v.field()).append(' ').append(v.rule());
        return b.toString();
    }
}
