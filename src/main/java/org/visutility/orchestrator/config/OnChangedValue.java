package org.visutility.orchestrator.config;

import java.util.Locale;

/**
 * What a source's changed value for a stored key (model, version, observed_at, segment, source)
 * does: {@link #REJECT} refuses the whole input as a conflict (a client that re-sends by mistake),
 * {@link #REVISE} stores it as the key's next revision and marks the earlier one superseded (a
 * source whose numbers are revised by design, such as a warehouse aggregate over late labels).
 */
public enum OnChangedValue {
    REJECT, REVISE;

    /** As users write it: {@code reject} or {@code revise}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code reject} or {@code revise}; null for anything else. */
    public static OnChangedValue of(String text) {
        if (text == null) return null;
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "reject" -> REJECT;
            case "revise" -> REVISE;
            default -> null;
        };
    }
}
