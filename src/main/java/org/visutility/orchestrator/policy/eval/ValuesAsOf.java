package org.visutility.orchestrator.policy.eval;

import java.time.Instant;

/**
 * Which revision of each snapshot an evaluation at a past instant reads: the values known at that
 * instant (what a live pass read then, so a replay reproduces its decisions) or today's current
 * values (revised ones included: what the decisions would have been on the numbers as they stand).
 */
public enum ValuesAsOf {
    KNOWN_AT("as_known_at"),
    NOW("as_now");

    private final String spelling;

    ValuesAsOf(String spelling) {
        this.spelling = spelling;
    }

    /** How reports and JSON name it. */
    public String spelling() {
        return spelling;
    }

    /** The instant whose known values an evaluation at {@code at} reads; null: today's current revisions. */
    Instant knownAt(Instant at) {
        return this == KNOWN_AT ? at : null;
    }
}
