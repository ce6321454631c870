package org.visutility.orchestrator.core;

import java.util.ArrayList;
import java.util.List;

/**
 * An error as a terminal shows it whole: a trainer's "exit status 3; stderr (last lines):" and the
 * lines after it. Bounded (the first line, which says what happened, and the last lines, which say
 * why) and with control characters escaped, so that what a trainer wrote cannot move the cursor,
 * clear the screen or turn text around.
 */
public final class ErrorText {
    public static final int MAX_LINES = 30;
    public static final int MAX_LINE_CHARS = 500;

    private ErrorText() {
    }

    /** The error's lines: at most {@link #MAX_LINES} (the first, a "... N lines left out" line, the last ones), each escaped and cut. */
    public static List<String> lines(String error) {
        List<String> all = error == null ? List.of() : error.lines().toList();
        List<String> kept = new ArrayList<>();
        if (all.size() <= MAX_LINES) {
            all.forEach(l -> kept.add(line(l)));
            return kept;
        }
        kept.add(line(all.get(0)));
        int tail = MAX_LINES - 2;
        kept.add("... " + (all.size() - 1 - tail) + " lines left out");
        all.subList(all.size() - tail, all.size()).forEach(l -> kept.add(line(l)));
        return kept;
    }

    /** The lines again, joined by newlines: the whole error as JSON carries it. */
    public static String text(String error) {
        return String.join("\n", lines(error));
    }

    /** The lines after the first, each after {@code indent}, one per line; empty for a one-line error. */
    public static String rest(String error, String indent) {
        List<String> lines = lines(error);
        StringBuilder b = new StringBuilder();
        for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) b.append(indent).append(l).append('\n');
        return b.toString();
    }

    /** Whether the error has more to show than its first line. */
    public static boolean hasMoreLines(String error) {
        return error != null && error.lines().limit(2).count() > 1;
    }

    static String line(String raw) {
        StringBuilder b = new StringBuilder(Math.min(raw.length(), MAX_LINE_CHARS + 8));
        int i = 0;
        for (; i < raw.length() && b.length() < MAX_LINE_CHARS; i++) {
            char c = raw.charAt(i);
            if (c == '\t') b.append("    ");
            else if (visible(c)) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return i < raw.length() ? b + "..." : b.toString();
    }

    /** No C0 or C1 control character, DEL, or bidirectional override or isolate. */
    private static boolean visible(char c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) return false;
        return !(c >= '\u202a' && c <= '\u202e') && !(c >= '\u2066' && c <= '\u2069');
    }
}
