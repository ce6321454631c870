package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.UsageException;

/** The rule for the reason of a status change (the CHECK on model_version_event.reason), and safe echoes of input. */
public final class LifecycleText {
    /** Longest reason stored; evidence holds the details. */
    public static final int MAX_REASON = 500;
    private static final int MAX_SHOWN = 60;

    private LifecycleText() {
    }

    /**
     * The reason, checked: 1-{@value #MAX_REASON} characters, not blank, no control characters.
     *
     * @param field how the caller names it in the message (e.g. {@code --reason})
     */
    public static String reason(String field, String text) {
        if (text == null || text.isBlank()) throw new UsageException(field + " must not be empty");
        int length = text.codePointCount(0, text.length());
        if (length > MAX_REASON) {
            throw new UsageException(field + " must be at most " + MAX_REASON + " characters (is " + length + ")");
        }
        for (int i = 0, n = 1; i < text.length(); i += Character.charCount(text.codePointAt(i)), n++) {
            int c = text.codePointAt(i);
            if (Character.isISOControl(c)) {
                throw new UsageException(field + " must not contain control characters (found "
                        + String.format("U+%04X", c) + " at character " + n + ")");
            }
        }
        return text;
    }

    /** A reason made of ours and the caller's, cut to the stored length. */
    static String bounded(String text) {
        int length = text.codePointCount(0, text.length());
        if (length <= MAX_REASON) return text;
        return text.substring(0, text.offsetByCodePoints(0, MAX_REASON - 1)) + "…";
    }

    /** Input echoed in a message: quoted, control characters escaped, long input cut. */
    public static String shown(String input) {
        if (input == null) return "missing";
        StringBuilder b = new StringBuilder("\"");
        input.codePoints().limit(MAX_SHOWN).forEach(c -> {
            if (Character.isISOControl(c) || c == '"' || c == '\\') b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        if (input.codePointCount(0, input.length()) > MAX_SHOWN) b.append("…");
        return b.append('"').toString();
    }
}
