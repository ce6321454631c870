package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.sql.SQLException;

/**
 * A trial's outcome could not be written: the unit's transaction rolls back (the trial stays open,
 * the checkpoint where it was) and the trials step fails, so the run can be restarted and runs the
 * trial again. The message names the trial and the database's reason, and leaves out the statement
 * and its values (a trainer's text, perhaps large): Spring Batch stores this message as the
 * execution's exit description, and that write must not fail too.
 */
final class TrialOutcomeNotWritten extends RuntimeException {
    private static final int MAX_REASON = 300;

    TrialOutcomeNotWritten(int trial, Throwable failure) {
        super("trial " + trial + ": its outcome could not be written (" + reason(failure)
                + "); the trial runs again when the run is restarted");
    }

    /** The first line of the database's own message, with its SQLSTATE; the exception's class when there is none. */
    private static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                String first = sql.getMessage().lines().findFirst().orElse("");
                if (first.length() > MAX_REASON) first = first.substring(0, MAX_REASON) + "...";
                return TrainerText.clean(first) + (sql.getSQLState() == null ? "" : ", SQLSTATE " + sql.getSQLState());
            }
        }
        return failure.getClass().getSimpleName();
    }
}
