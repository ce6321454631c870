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
    /**
     * Trials per node that ran them (orchestrator.trial.worker): "trials per node: vm1 10 (9 complete, 1 failed), vm2 8 (8 complete)",
     * the nodes by number of trials; running trials count under the node that runs them now.
     */
    static String perNode(List<ExperimentReports.TrialLine> trials) {
        java.util.Map<String, java.util.Map<String, Integer>> byNode = perNodeCounts(trials);
        if (byNode.isEmpty()) return "";
        StringBuilder b = new StringBuilder("trials per node:");
        String sep = " ";
        for (var node : byNode.entrySet()) {
            int total = node.getValue().values().stream().mapToInt(Integer::intValue).sum();
            b.append(sep).append(node.getKey()).append(' ').append(total).append(" (");
            b.append(String.join(", ", node.getValue().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList())).append(')');
            sep = ", ";
        }
        return b.append(System.lineSeparator()).toString();
    }

    /** Node → status → trials, the nodes with the most trials first. */
    static java.util.Map<String, java.util.Map<String, Integer>> perNodeCounts(List<ExperimentReports.TrialLine> trials) {
        java.util.Map<String, java.util.Map<String, Integer>> byNode = new java.util.TreeMap<>();
        for (ExperimentReports.TrialLine t : trials) {
            if (t.worker().isEmpty()) continue;
            byNode.computeIfAbsent(t.worker().get(), w -> new java.util.TreeMap<>()).merge(t.status(), 1, Integer::sum);
        }
        java.util.Map<String, java.util.Map<String, Integer>> ordered = new java.util.LinkedHashMap<>();
        byNode.entrySet().stream()
                .sorted((x, y) -> Integer.compare(y.getValue().values().stream().mapToInt(Integer::intValue).sum(),
                        x.getValue().values().stream().mapToInt(Integer::intValue).sum()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

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

    /** The widest first line the trial table shows whole. */
    static final int FIRST_LINE_CHARS = 80;

    static String firstLine(String s) {
        if (s == null) return null;
        String line = s.lines().findFirst().orElse("");
        return line.length() > FIRST_LINE_CHARS ? line.substring(0, FIRST_LINE_CHARS - 3) + "..." : line;
    }

    /** Whether the table's cell (the first line, cut) shows less than the whole error. */
    static boolean cutInTable(String error) {
        return ErrorText.hasMoreLines(error) || error.lines().findFirst().orElse("").length() > FIRST_LINE_CHARS;
    }

    /** How many trials' whole errors experiments show prints under its table: the last ones (--trial N and --json have every one). */
    static final int TRIAL_ERRORS_SHOWN = 5;

    /**
     * The whole error of each trial whose error the table cuts (more than one line, or a first line
     * wider than the cell): "trial 3: exit status 3; stderr (last lines):" and the lines, indented.
     * The last {@link #TRIAL_ERRORS_SHOWN} such trials, escaped and bounded ({@link ErrorText}: more
     * lines and longer ones than a trainer's stored stderr tail holds, so a stored error shows whole).
     */
    static String trialErrors(List<ExperimentReports.TrialLine> trials) {
        List<ExperimentReports.TrialLine> withTail = trials.stream().filter(t -> t.error().map(ExperimentText::cutInTable).orElse(false)).toList();
        if (withTail.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        int skipped = Math.max(0, withTail.size() - TRIAL_ERRORS_SHOWN);
        if (skipped > 0) b.append(String.format("(the errors of %d earlier trials: --trial NUMBER or --json)%n", skipped));
        for (ExperimentReports.TrialLine t : withTail.subList(skipped, withTail.size())) {
            String error = t.error().orElseThrow();
            b.append("trial ").append(t.number()).append(": ").append(ErrorText.lines(error).get(0)).append(System.lineSeparator());
            b.append(ErrorText.rest(error, "    ").replace("\n", System.lineSeparator()));
        }
        return b.toString();
    }

    /** One trial in full (experiments show ID --trial N): what it ran with, how it ended, its whole error and where its logs are. */
    static String trial(long experiment, ExperimentReports.TrialLine t) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder().append("trial ").append(t.number()).append(" of experiment ").append(experiment).append(": ")
                .append(t.status()).append(t.excluded() ? " (excluded)" : "").append(", attempt ").append(t.attempt()).append(nl);
        b.append("params: ").append(t.params()).append(nl);
        t.score().ifPresent(s -> b.append("score: ").append(number(s)).append(nl));
        t.finishedAt().ifPresent(f -> b.append("time: ").append(duration(t.startedAt(), f)).append(nl));
        t.error().ifPresent(e -> {
            b.append("error: ").append(ErrorText.lines(e).get(0)).append(nl);
            b.append(ErrorText.rest(e, "    ").replace("\n", nl));
        });
        String folder = "experiments/" + experiment + "/trials/" + t.number() + "-" + t.attempt();
        b.append("logs: ").append(folder).append("/stdout.log and stderr.log under ORCHESTRATOR_HOME on node ")
                .append(t.worker().orElse("(unknown)")).append(" (kept for trial_folder_retention)").append(nl);
        return b.toString();
    }
}
