package org.visutility.orchestrator.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How the experiments commands spell progress and results for people. */
final class ExperimentText {
    private ExperimentText() {
    }

    /** "7/40 trials ended (6 complete, 1 failed), best loss 0.0123 (trial 5)". */
    static String progress(ExperimentReports.Summary s) {
        StringBuilder b = new StringBuilder().append(s.ended()).append('/').append(s.budgetTrials()).append(" trials ended (")
                .append(s.complete()).append(" complete, ").append(s.failed()).append(" failed");
        if (s.pruned() > 0) b.append(", ").append(s.pruned()).append(" pruned");
        if (s.running() > 0) b.append(", ").append(s.running()).append(" running");
        b.append(')');
        if (s.bestNumber().isPresent()) {
            b.append(", best ").append(s.metric()).append(' ').append(number(s.bestScore().getAsDouble()))
                    .append(" (trial ").append(s.bestNumber().getAsInt()).append(')');
        }
        return b.toString();
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String duration(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        return d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }

    static String firstLine(String s) {
        if (s == null) return null;
        String line = s.lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
