package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.core.ErrorText;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** How many trials' whole errors experiments show prints under its table: the last ones (--json has them all). */
    static final int TRIAL_ERRORS_SHOWN = 5;

    /**
     * The whole error of each failed trial whose error has more than its first line (the table shows
     * that line): "trial 3: exit status 3; stderr (last lines):" and the lines, indented. The last
     * {@link #TRIAL_ERRORS_SHOWN} such trials, bounded and escaped ({@link ErrorText}).
     */
    static String trialErrors(List<ExperimentReports.TrialLine> trials) {
        List<ExperimentReports.TrialLine> withTail = trials.stream().filter(t -> t.error().map(ErrorText::hasMoreLines).orElse(false)).toList();
        if (withTail.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        int skipped = Math.max(0, withTail.size() - TRIAL_ERRORS_SHOWN);
        if (skipped > 0) b.append(String.format("(the errors of %d earlier trials: --json)%n", skipped));
        for (ExperimentReports.TrialLine t : withTail.subList(skipped, withTail.size())) {
            String error = t.error().orElseThrow();
            b.append("trial ").append(t.number()).append(": ").append(ErrorText.lines(error).get(0)).append(System.lineSeparator());
            b.append(ErrorText.rest(error, "    ").replace("\n", System.lineSeparator()));
        }
        return b.toString();
    }
}
