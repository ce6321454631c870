package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.jdbi.v3.core.Jdbi;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;

import java.time.Duration;
import java.util.Optional;

/**
 * ops restart and ops abandon: the checks that say whether a run may be restarted or abandoned,
 * and the fenced writes that do it, each logged as an intervention in the same transaction.
 */
final class RunRestarts {
    private static final String CLOSE_OPEN_TRIALS = SqlFiles.load(RunRestarts.class, "CloseOpenTrials");
    private static final String OWNER_GONE = SqlFiles.load(RunRestarts.class, "OwnerGone");

    /** The answer: done, or refused with the reason (the experiment's status is {@code status}). */
    record Outcome(boolean done, String status, String message, Optional<Long> jobExecutionId) {
        static Outcome refused(String status, String why) {
            return new Outcome(false, status, why, Optional.empty());
        }
    }

    private final Jdbi jdbi;
    private final BatchExecutions executions;
    private final Duration staleAfter;
    private final String actor;

    RunRestarts(Jdbi jdbi, BatchInfrastructure batch, OrchestratorConfig config, String actor) {
        this.jdbi = jdbi;
        this.executions = new BatchExecutions(batch);
        this.staleAfter = StuckRuns.staleAfter(config);
        this.actor = actor;
    }

    /**
     * Puts a failed experiment back in the queue. Its Spring Batch job restarts there: a new
     * execution of the same job instance that resumes at the step that failed, from its last
     * committed checkpoint (finished trials never run again; the trial in flight runs again).
     */
    Outcome restart(ExperimentRow row) {
        if (ExperimentStatus.FAILED != row.status()) return Outcome.refused(row.status().sql(), notFailed(row));
        Optional<JobExecution> last = executions.last(row.id());
        if (last.isPresent() && last.get().getStatus().isRunning()) {
            // the run failed but its job has not ended yet: only a gone node's execution may be marked FAILED here
            if (!ownerGone(row.id())) {
                return Outcome.refused(row.status().sql(), "its job execution " + last.get().getId() + " is still " + last.get().getStatus()
                        + " on node " + row.owner().orElse("?") + "; try again once it ended");
            }
            last = executions.recoverIfLeftRunning(row.id());
        }
        if (last.isPresent() && last.get().getStatus() == BatchStatus.COMPLETED) {
            return Outcome.refused(row.status().sql(), "its job completed and the experiment failed by its own rules ("
                    + firstLine(row.error()) + "); a restart would end the same way: submit the spec again (experiments submit)");
        }
        if (last.isPresent() && last.get().getStatus() == BatchStatus.ABANDONED) {
            return Outcome.refused(row.status().sql(), "its job execution " + last.get().getId() + " is ABANDONED; it is never restarted");
        }
        Optional<Long> execution = last.map(JobExecution::getId);
        Intervention log = new Intervention(row.id(), Intervention.RESTART, Intervention.REQUEUED, actor, row.status().sql(),
                row.owner(), row.heartbeatAt(), execution, "restarted by ops restart after: " + firstLine(row.error()));
        boolean requeued = jdbi.inTransaction(h -> {
            boolean ok = ExperimentRows.requeueFailed(h, row.id());
            if (ok) log.record(h);
            return ok;
        });
        if (!requeued) return Outcome.refused(currentStatus(row.id()), "it changed meanwhile (someone else restarted or abandoned it)");
        return new Outcome(true, ExperimentStatus.QUEUED.sql(), "back in the queue; its job resumes where it failed", execution);
    }

    /**
     * Ends a failed experiment, or a running one whose node is provably gone, as abandoned: never
     * restarted. Its Spring Batch execution becomes ABANDONED and its open trials failed.
     */
    Outcome abandon(ExperimentRow row) {
        boolean failed = ExperimentStatus.FAILED == row.status();
        if (!failed && ExperimentStatus.RUNNING != row.status()) {
            return Outcome.refused(row.status().sql(), "it is " + row.status() + "; only a failed run, or a running one whose node is gone,"
                    + " can be abandoned" + (ExperimentStatus.QUEUED == row.status() ? " (use experiments cancel)" : ""));
        }
        Intervention log = new Intervention(row.id(), Intervention.ABANDON, Intervention.ABANDONED, actor, row.status().sql(),
                row.owner(), row.heartbeatAt(), row.jobExecutionId(), "abandoned by ops abandon");
        boolean abandoned = jdbi.inTransaction(h -> {
            boolean ok = ExperimentRows.abandon(h, row.id(), row.version(), staleAfter);
            if (ok) {
                h.createUpdate(CLOSE_OPEN_TRIALS).bind("id", row.id()).bind("reason", "stopped: the experiment was abandoned").execute();
                log.record(h);
            }
            return ok;
        });
        if (!abandoned) {
            String now = currentStatus(row.id());
            return Outcome.refused(now, ExperimentStatus.RUNNING.sql().equals(now)
                    ? "it is running and its node lives (heartbeat or Quartz check-in within " + staleAfter.toSeconds()
                      + " s); use experiments cancel, or wait until its node is gone"
                    : "it changed meanwhile (now " + now + ")");
        }
        Optional<JobExecution> execution = executions.abandon(row.id());
        String job = execution.map(e -> "; its job execution " + e.getId() + " is " + e.getStatus()).orElse("; it had no job execution");
        return new Outcome(true, ExperimentStatus.ABANDONED.sql(), "abandoned, never to be restarted" + job, execution.map(JobExecution::getId));
    }

    private boolean ownerGone(long id) {
        return jdbi.withHandle(h -> h.createQuery(OWNER_GONE).bind("id", id).bind("staleAfterMs", staleAfter.toMillis())
                .mapTo(Boolean.class).one());
    }

    private String currentStatus(long id) {
        return jdbi.withHandle(h -> ExperimentRows.find(h, id)).map(r -> r.status().sql()).orElse("gone");
    }

    private static String notFailed(ExperimentRow row) {
        String hint = switch (row.status()) {
            case RUNNING -> "; it runs (if its node is gone, ops recover restarts it)";
            case QUEUED -> "; it is waiting for a node already";
            default -> "; only a failed experiment can be restarted (ops failed lists them)";
        };
        return "it is " + row.status() + hint;
    }

    private static String firstLine(Optional<String> error) {
        return error.flatMap(e -> e.lines().findFirst()).orElse("no error recorded");
    }
}
