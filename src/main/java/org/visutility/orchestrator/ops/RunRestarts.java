package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.jdbi.v3.core.Jdbi;
import org.springframework.batch.core.job.JobExecution;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.RestartRoute;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * ops restart (and --retry-failed) and ops abandon: the checks that say whether a run may be
 * restarted or abandoned, and the fenced writes that do it, each logged as an intervention in the
 * same transaction.
 */
final class RunRestarts {
    private static final String CLOSE_OPEN_TRIALS = SqlFiles.load(RunRestarts.class, "CloseOpenTrials");
    private static final String OWNER_GONE = SqlFiles.load(RunRestarts.class, "OwnerGone");
    private static final String FAILED_TRIALS = SqlFiles.load(RunRestarts.class, "FailedTrialNumbers");

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
     * Refused, naming --retry-failed, when its job completed (the run failed by its own rules).
     */
    Outcome restart(ExperimentRow row) {
        return restart(row, RestartRoute.RESUME);
    }

    /**
     * Puts a failed experiment whose job completed (it failed by its own rules: budget.max_failed, no
     * trial completed) back in the queue for a new retry round: a new job instance whose trials step
     * runs the failed trials again (same numbers and params, attempt + 1) and continues to the budget;
     * complete and pruned trials stay as they are. Refused, naming plain ops restart, when its job did
     * not complete (resuming it is the way).
     */
    Outcome retryFailed(ExperimentRow row) {
        return restart(row, RestartRoute.RETRY_FAILED);
    }

    private Outcome restart(ExperimentRow row, RestartRoute asked) {
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
        RestartRoute route = RestartRoute.of(row.status(), last.map(JobExecution::getStatus));
        if (route == RestartRoute.NONE) {
            return Outcome.refused(row.status().sql(), "its job execution " + last.map(JobExecution::getId).orElse(null)
                    + " is " + last.map(JobExecution::getStatus).orElse(null) + "; it is never restarted");
        }
        if (route != asked) return Outcome.refused(row.status().sql(), otherRoute(row, route, last));
        Optional<Long> execution = last.map(JobExecution::getId);
        return route == RestartRoute.RESUME ? resume(row, execution) : startRetryRound(row, execution);
    }

    private Outcome resume(ExperimentRow row, Optional<Long> execution) {
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

    private Outcome startRetryRound(ExperimentRow row, Optional<Long> execution) {
        String was = firstLine(row.error());
        Optional<String> queued = jdbi.inTransaction(h -> {
            List<Integer> failed = h.createQuery(FAILED_TRIALS).bind("id", row.id()).mapTo(Integer.class).list();
            Optional<Integer> round = ExperimentRows.requeueForRetryRound(h, row.id(), row.version());
            if (round.isEmpty()) return Optional.<String>empty();
            String what = "retry round " + round.get() + ": " + (failed.isEmpty() ? "no failed trial to run again"
                    : "failed trials " + failed.stream().map(String::valueOf).collect(Collectors.joining(", "))
                      + " run again (attempt + 1)") + ", then the trials left of the budget";
            new Intervention(row.id(), Intervention.RESTART, Intervention.REQUEUED, actor, row.status().sql(), row.owner(),
                    row.heartbeatAt(), execution, "restarted by ops restart --retry-failed as " + what + ", after: " + was).record(h);
            return Optional.of(what);
        });
        if (queued.isEmpty()) return Outcome.refused(currentStatus(row.id()), "it changed meanwhile (someone else restarted or abandoned it)");
        return new Outcome(true, ExperimentStatus.QUEUED.sql(), "back in the queue as " + queued.get(), execution);
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

    /** Why the route asked for is not this run's, and the command that works instead. */
    private static String otherRoute(ExperimentRow row, RestartRoute route, Optional<JobExecution> last) {
        String command = route.command(row.id()).orElseThrow();
        if (route == RestartRoute.RETRY_FAILED) {
            return "its job completed and the experiment failed by its own rules (" + firstLine(row.error())
                    + "); a plain restart would end the same way. Once the cause is fixed, " + command
                    + " runs the failed trials again (attempt + 1) and continues to the budget";
        }
        String job = last.map(e -> "its job execution " + e.getId() + " is " + e.getStatus()).orElse("it never started a job");
        return job + ", so it did not fail by its own rules: " + command + " resumes it where it failed"
                + " (" + RestartRoute.RETRY_FAILED_OPTION + " is for a run whose job completed)";
    }

    private static String firstLine(Optional<String> error) {
        return error.flatMap(e -> e.lines().findFirst()).orElse("no error recorded");
    }
}
