package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.store.Database;

import java.io.PrintStream;

/**
 * Follows experiments until they end, printing a line whenever their progress changes; while one
 * waits in the queue with no node alive, the {@link LocalNode} runs it in this process.
 */
public final class RunFollower {
    /** How often the experiment is looked at. */
    private static final long POLL_MS = 500;

    private RunFollower() {
    }

    /** Returns the experiment's summary once it reached a final status. */
    public static ExperimentReports.Summary follow(Database db, long id, LocalNode local, PrintStream progress)
            throws InterruptedException {
        String last = "";
        while (true) {
            ExperimentReports.Summary s = db.jdbi().withHandle(h -> ExperimentReports.summary(h, id)).orElseThrow();
            if (ExperimentStatus.QUEUED == s.status()) local.startIfNobodyRuns(progress);
            String line = "experiment " + id + " " + s.status() + ": " + ExperimentText.progress(s);
            if (!line.equals(last)) {
                progress.println(line);
                last = line;
            }
            if (ExperimentStatus.finals().contains(s.status())) return s;
            Thread.sleep(POLL_MS);
        }
    }
}
