package org.visutility.orchestrator.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.springframework.batch.core.BatchStatus;
import org.visutility.orchestrator.core.ErrorText;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.RestartRoute;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** What ops failed shows: failed experiments, and running ones whose node is gone (orphaned). */
final class FailedRuns {
    private static final String QUERY = SqlFiles.load(FailedRuns.class, "FailedRuns");
    private static final String ORPHANED = "orphaned";

    /**
     * One failed or orphaned run.
     *
     * @param state       failed, or orphaned (running, its node provably gone)
     * @param step        the Spring Batch step that did not complete (prepare, trials, finalize), if any
     * @param trial       the trial where it stopped: the lowest one left running
     * @param jobStatus   how its last job execution ended, which decides how it restarts
     * @param failedTrial the trial that failed last, and its error (a trainer's stderr tail), if any
     */
    record Run(long id, String model, String state, Optional<String> step, Optional<String> stepStatus,
               Optional<String> jobStatus, Optional<Integer> trial, int trialsDone, int budgetTrials,
               Optional<String> error, Optional<Instant> at, Optional<String> node, int attempt, int rescues,
               Optional<Long> jobExecutionId, Optional<FailedTrial> failedTrial) {

        /** How ops restart takes it (an orphaned run is ops recover's, not a restart's). */
        RestartRoute route() {
            if (ORPHANED.equals(state)) return RestartRoute.NONE;
            return RestartRoute.of(ExperimentStatus.FAILED, jobStatus.map(BatchStatus::valueOf));
        }

        /** Whether plain ops restart resumes it (failed, its job did not complete). */
        boolean restartable() {
            return route() == RestartRoute.RESUME;
        }

        /** The command that deals with it: ops recover, the ops restart that works, or else ops abandon. */
        String next() {
            if (ORPHANED.equals(state)) return "ops recover";
            return route().command(id).orElse("ops abandon " + id);
        }

        /** The error's first line, which is what a person reads at 3 a.m. */
        Optional<String> errorLine() {
            return error.flatMap(e -> e.lines().findFirst());
        }

        ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("id", id).put("model", model).put("state", state);
            n.put("step", step.orElse(null)).put("step_status", stepStatus.orElse(null)).put("job_status", jobStatus.orElse(null));
            if (trial.isPresent()) n.put("trial", trial.get()); else n.putNull("trial");
            n.put("trials_done", trialsDone).put("budget_trials", budgetTrials);
            n.put("error", errorLine().orElse(null)).put("at", at.map(Instant::toString).orElse(null))
                    .put("node", node.orElse(null)).put("attempt", attempt).put("rescues", rescues);
            if (jobExecutionId.isPresent()) n.put("job_execution_id", jobExecutionId.get()); else n.putNull("job_execution_id");
            n.put("restartable", restartable()).put("next", next());
            // the whole texts, bounded and escaped, beside the first line above
            n.put("error_text", error.map(ErrorText::text).orElse(null));
            failedTrial.ifPresentOrElse(f -> n.putObject("last_failed_trial").put("number", f.number()).put("error", ErrorText.text(f.error())),
                    () -> n.putNull("last_failed_trial"));
            return n;
        }
    }

    /** A failed trial of the run and its error. */
    record FailedTrial(int number, String error) {
    }

    private FailedRuns() {
    }

    static List<Run> list(Handle h, Duration staleAfter, int limit) {
        return h.createQuery(QUERY).bind("staleAfterMs", staleAfter.toMillis()).bind("limit", limit)
                .map((rs, ctx) -> new Run(rs.getLong("id"), rs.getString("model"), rs.getString("state"),
                        text(rs, "step"), text(rs, "step_status"), text(rs, "job_status"), integer(rs, "trial"),
                        rs.getInt("trials_done"), rs.getInt("budget_trials"), text(rs, "error"),
                        Optional.ofNullable(rs.getObject("at", OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        text(rs, "node"), rs.getInt("attempt"), rs.getInt("rescues"), whole(rs, "job_execution_id"),
                        failedTrial(rs)))
                .list();
    }

    private static Optional<FailedTrial> failedTrial(ResultSet rs) throws SQLException {
        Optional<Integer> number = integer(rs, "failed_trial");
        return number.isEmpty() ? Optional.empty() : Optional.of(new FailedTrial(number.get(), rs.getString("failed_trial_error")));
    }

    private static Optional<String> text(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    private static Optional<Integer> integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<Long> whole(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
