package org.visutility.orchestrator.tuning.trainer;

/**
 * What the trainer protocol lets a trainer print (docs/tuning.md, "Limits"). Past a limit the
 * trial fails at once, saying which limit, and its process tree is killed; nothing a trainer
 * prints is held whole in this node's memory. Its stderr is kept as a tail ({@link OutputTail}).
 */
public final class OutputLimits {
    /** The longest stdout line, in bytes; the reader holds no more than this of a line. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Reports (JSON object lines, intermediate and final) per trial attempt. */
    public static final int MAX_REPORTS = 5_000;
    /** Metrics in one report. */
    public static final int MAX_METRICS_PER_REPORT = 50;
    /** Characters of a metric's name. */
    public static final int MAX_METRIC_NAME_CHARS = 100;
    /** Characters of a final report's {@code artifact_uri}. */
    public static final int MAX_ARTIFACT_URI_CHARS = 2048;
    /** The longest stderr line read, in bytes (the tail keeps its first {@link OutputTail#MAX_LINE_CHARS} characters). */
    public static final int MAX_STDERR_LINE_BYTES = 4 * OutputTail.MAX_LINE_CHARS;
    /** Bytes of stdout.log and of stderr.log in the trial folder, each; past it the first and the last half are kept ({@link TrialLog}). */
    public static final long MAX_LOG_BYTES = 1024 * 1024;

    private OutputLimits() {
    }
}
