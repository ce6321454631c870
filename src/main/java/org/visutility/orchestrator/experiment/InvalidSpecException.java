package org.visutility.orchestrator.experiment;

import java.util.List;

/** An experiment spec that breaks one or more rules; each violation names the field and the rule. */
public final class InvalidSpecException extends RuntimeException {
    private final List<String> violations;

    public InvalidSpecException(String source, List<String> violations) {
        super(message(source, violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }

    private static String message(String source, List<String> violations) {
        StringBuilder m = new StringBuilder("invalid experiment spec");
        if (source != null) m.append(" in ").append(source);
        if (violations.size() == 1) return m.append(": ").append(violations.get(0)).toString();
        m.append(" (").append(violations.size()).append(" problems):");
        violations.forEach(v -> m.append("\n  - ").append(v));
        return m.toString();
    }
}
