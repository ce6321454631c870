package org.visutility.orchestrator.tuning.trainer;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines of a stream (a trainer's stderr), bounded in lines and characters, kept with a failed trial. */
final class OutputTail implements LinePump.Sink {
    static final int MAX_LINES = 20;
    static final int MAX_LINE_CHARS = 500;

    private final Deque<String> lines = new ArrayDeque<>();

    @Override
    public void line(String line) {
        add(line);
    }

    /** A line past {@link OutputLimits#MAX_STDERR_LINE_BYTES}: its start is kept, cut like any long line. */
    @Override
    public void tooLong(String start) {
        add(start.length() > MAX_LINE_CHARS ? start : start + "...");
    }

    synchronized void add(String raw) {
        String line = TrainerText.clean(raw);
        lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
        if (lines.size() > MAX_LINES) lines.removeFirst();
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    /** "reason" or "reason; stderr (last lines):\n..." */
    String withReason(String reason) {
        String tail = text();
        return tail.isBlank() ? reason : reason + "; stderr (last lines):\n" + tail;
    }
}
