package org.visutility.orchestrator.policy.eval;

import java.util.Locale;

/** The state of a (policy, model), as in Prometheus alerting. */
public enum PolicyState {
    /** The conditions do not hold (or there is not enough evidence). */
    OK,
    /** The conditions hold, for less than the policy's {@code for:} so far. */
    PENDING,
    /** The conditions have held for {@code for:}; an experiment is enqueued (past cooldown, none open). */
    FIRING,
    /** It was firing and has recovered; it behaves as ok until the conditions hold again. */
    RESOLVED;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of its stored spelling; read once per (policy, model) per pass, so it allocates nothing for the four known ones. */
    public static PolicyState of(String spelling) {
        return switch (spelling) {
            case "ok" -> OK;
            case "pending" -> PENDING;
            case "firing" -> FIRING;
            case "resolved" -> RESOLVED;
            default -> valueOf(spelling.toUpperCase(Locale.ROOT));
        };
    }
}
