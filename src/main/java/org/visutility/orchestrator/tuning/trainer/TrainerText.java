package org.visutility.orchestrator.tuning.trainer;

/**
 * Makes text that came from a trainer (its reports, its stderr, the errors it caused) safe to
 * store: PostgreSQL refuses a NUL in text and an escaped NUL in jsonb, and one refused write used
 * to leave a trial running and its Spring Batch execution unknown. Every control character but
 * line feed and tab is written as a backslash-u escape (a NUL becomes the six characters
 * backslash, u, 0, 0, 0, 0), so that what the trainer printed stays readable.
 */
public final class TrainerText {
    private TrainerText() {
    }

    /** {@code text} with its control characters (but \n and \t) escaped; null stays null. */
    public static String clean(String text) {
        if (text == null || isClean(text)) return text;
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (allowed(c)) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }

    private static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!allowed(text.charAt(i))) return false;
        }
        return true;
    }

    private static boolean allowed(char c) {
        return c == '\n' || c == '\t' || !Character.isISOControl(c);
    }
}
