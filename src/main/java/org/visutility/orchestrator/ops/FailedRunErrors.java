package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.core.ErrorText;

import java.util.List;

/**
 * What ops failed prints under its table: for each run, the error whole when it has more than the
 * first line the table shows, and the whole error of the trial that failed last (a trainer's
 * "exit status 3; stderr (last lines):" and those lines), bounded and escaped.
 */
final class FailedRunErrors {
    private static final String INDENT = "    ";

    private FailedRunErrors() {
    }

    static String text(List<FailedRuns.Run> runs) {
        StringBuilder b = new StringBuilder();
        for (FailedRuns.Run r : runs) {
            r.error().filter(ErrorText::hasMoreLines).ifPresent(e -> block(b, "experiment " + r.id(), e));
            r.failedTrial().ifPresent(f -> block(b, "experiment " + r.id() + ", trial " + f.number() + " (failed last)", f.error()));
        }
        return b.isEmpty() ? "" : System.lineSeparator() + b;
    }

    private static void block(StringBuilder b, String what, String error) {
        List<String> lines = ErrorText.lines(error);
        b.append(what).append(": ").append(lines.isEmpty() ? "" : lines.get(0)).append(System.lineSeparator());
        for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) b.append(INDENT).append(l).append(System.lineSeparator());
    }
}
