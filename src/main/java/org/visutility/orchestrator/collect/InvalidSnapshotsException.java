package org.visutility.orchestrator.collect;

import java.util.List;

/** The input broke validation rules; nothing was written. Holds the violations (up to a reporting limit). */
public final class InvalidSnapshotsException extends RuntimeException {
    private final List<Violation> violations;
    private final int invalidItems;

    /**
     * @param violations   the violations to report (possibly cut at a limit)
     * @param invalidItems how many items were invalid in all
     */
    public InvalidSnapshotsException(List<Violation> violations, int invalidItems) {
        super(invalidItems + " invalid item(s); nothing was written");
        this.violations = List.copyOf(violations);
        this.invalidItems = invalidItems;
    }

    public List<Violation> violations() {
        return violations;
    }

    public int invalidItems() {
        return invalidItems;
    }
}
