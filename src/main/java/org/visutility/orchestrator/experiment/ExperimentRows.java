package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The experiment table's state changes, each one SQL file: the one place where an experiment's
 * status, owner and version are written. Every write a run makes after it started is fenced by
 * the version it holds ({@code WHERE version = :version}); a write that matches no row means the
 * run no longer owns the experiment. Commands fence by the version they read.
 */
public final class ExperimentRows {
    private static final String ENSURE_MODEL = SqlFiles.load(ExperimentRows.class, "EnsureModel");
    private static final String INSERT = SqlFiles.load(ExperimentRows.class, "InsertExperiment");
    private static final String FIND = SqlFiles.load(ExperimentRows.class, "FindExperiment");
    private static final String CLAIM = SqlFiles.load(ExperimentRows.class, "ClaimQueued");
    private static final String TAKE_OVER = SqlFiles.load(ExperimentRows.class, "TakeOver");
    private static final String HEARTBEAT = SqlFiles.load(ExperimentRows.class, "Heartbeat");
    private static final String FINISH = SqlFiles.load(ExperimentRows.class, "FinishExperiment");
    private static final String RELEASE = SqlFiles.load(ExperimentRows.class, "ReleaseExperiment");
    private static final String RECORD_JOB = SqlFiles.load(ExperimentRows.class, "RecordJobExecution");
    private static final String CANCEL = SqlFiles.load(ExperimentRows.class, "CancelExperiment");
    private static final String REQUEUE = SqlFiles.load(ExperimentRows.class, "RequeueFailed");
    private static final String REQUEUE_FOR_RETRY = SqlFiles.load(ExperimentRows.class, "RequeueForRetryRound");
    private static final String ABANDON = SqlFiles.load(ExperimentRows.class, "AbandonExperiment");
    private static final String HOLD_ORPHAN = SqlFiles.load(ExperimentRows.class, "HoldOrphan");
    private static final String FENCE = SqlFiles.load(ExperimentRows.class, "FenceExperiment");
    private static final String STOP_CANCELLED_TRIALS = SqlFiles.load(ExperimentRows.class, "StopOpenTrialsOfCancelled");

    /** A run's hold on an experiment: the version its writes are fenced by. */
    public record Claim(int version, int attempt, Instant startedAt) {
    }

    private ExperimentRows() {
    }

    /** Queues a validated spec (the model is registered if new); returns the experiment's id. */
    public static long insert(Handle h, ExperimentSpec spec, String trigger) {
        return insert(h, spec, trigger, null, null);
    }

    /**
     * Queues a validated spec on behalf of a firing policy (trigger {@code policy}), linked to the
     * policy and to the evaluation that holds the evidence; runs in the caller's transaction.
     */
    public static long insert(Handle h, ExperimentSpec spec, String trigger, Long policyId, Long policyEvaluationId) {
        return insert(h, spec, trigger, policyId, policyEvaluationId, null, Optional.empty());
    }

    /** Queues a spec submitted over the control API, recording who submitted it ({@code operator:NAME}). */
    public static long insertSubmitted(Handle h, ExperimentSpec spec, String submittedBy) {
        return insertSubmitted(h, spec, submittedBy, Optional.empty());
    }

    /**
     * Queues a submitted spec ({@code submittedBy} null for experiments submit on the database) that
     * may supersede a failed, cancelled or abandoned run of the same model; throws
     * {@link SupersedesRefused}, writing nothing, when it may not, and {@link InvalidSpecException} when
     * its warm start names experiments that are unknown or of another model. Runs in the caller's transaction.
     */
    public static long insertSubmitted(Handle h, ExperimentSpec spec, String submittedBy, Optional<Long> supersedes) {
        WarmStartCheck.check(h, spec);
        return insert(h, spec, "submit", null, null, submittedBy, supersedes);
    }

    private static long insert(Handle h, ExperimentSpec spec, String trigger, Long policyId, Long policyEvaluationId, String submittedBy,
                               Optional<Long> supersedes) {
        supersedes.ifPresent(old -> Supersedes.check(h, old, spec.model()));
        h.createUpdate(ENSURE_MODEL).bind("model", spec.model()).execute();
        return h.createQuery(INSERT).bind("model", spec.model()).bind("trigger", trigger)
                .bind("spec", spec.toJson().toString()).bind("sha256", spec.sha256())
                .bind("policyId", policyId).bind("policyEvaluationId", policyEvaluationId).bind("submittedBy", submittedBy)
                .bind("supersedes", supersedes.orElse(null))
                .mapTo(Long.class).one();
    }

    public static Optional<ExperimentRow> find(Handle h, long id) {
        return h.createQuery(FIND).bind("id", id).map(ROW).findOne();
    }

    public static Optional<Claim> claim(Handle h, long id, String owner) {
        return h.createQuery(CLAIM).bind("id", id).bind("owner", owner).bind("orchestratorVersion", Version.current())
                .map(CLAIM_ROW).findOne();
    }

    /**
     * Takes a running experiment over from a silent owner (logged as a takeover intervention);
     * empty when it changed since {@code seenVersion}, its owner spoke within rescueAfter, or it
     * was rescued {@code maxRescues} times already.
     */
    public static Optional<Claim> takeOver(Handle h, long id, String owner, int seenVersion, Duration rescueAfter, int maxRescues) {
        return h.createQuery(TAKE_OVER).bind("id", id).bind("owner", owner).bind("seenVersion", seenVersion)
                .bind("rescueAfterMs", rescueAfter.toMillis()).bind("maxRescues", maxRescues)
                .bind("orchestratorVersion", Version.current())
                .map(CLAIM_ROW).findOne();
    }

    public static boolean heartbeat(Handle h, long id, int version) {
        return h.createUpdate(HEARTBEAT).bind("id", id).bind("version", version).execute() == 1;
    }

    /** Ends the run; {@code error} may carry a trainer's or a launch's text, so it is cleaned ({@link TrainerText}). */
    public static boolean finish(Handle h, long id, int version, ExperimentStatus status, String error) {
        return h.createUpdate(FINISH).bind("id", id).bind("version", version).bind("status", status.sql())
                .bind("error", TrainerText.clean(error)).execute() == 1;
    }

    public static boolean release(Handle h, long id, int version) {
        return h.createUpdate(RELEASE).bind("id", id).bind("version", version).execute() == 1;
    }

    public static boolean recordJobExecution(Handle h, long id, int version, long jobExecutionId) {
        return h.createUpdate(RECORD_JOB).bind("id", id).bind("version", version).bind("jobExecutionId", jobExecutionId)
                .execute() == 1;
    }

    public static boolean cancel(Handle h, long id, String reason) {
        return h.createQuery(CANCEL).bind("id", id).bind("reason", reason).mapTo(Long.class).findOne().isPresent();
    }

    /** Puts a failed experiment back in the queue (its run restarts from its checkpoint; its rescue count starts over). */
    public static boolean requeueFailed(Handle h, long id) {
        return h.createQuery(REQUEUE).bind("id", id).mapTo(Long.class).findOne().isPresent();
    }

    /**
     * Puts a failed experiment back in the queue for a new round of its run, which re-runs its failed
     * trials and continues to its budget (ops restart --retry-failed); fenced by the version the
     * caller read. Returns the new round's number, empty when the experiment changed meanwhile.
     */
    public static Optional<Integer> requeueForRetryRound(Handle h, long id, int seenVersion) {
        return h.createQuery(REQUEUE_FOR_RETRY).bind("id", id).bind("seenVersion", seenVersion).mapTo(Integer.class).findOne();
    }

    /**
     * Ends a failed experiment, or a running one whose owner is provably gone, as abandoned (ops
     * abandon); fenced by the version the caller read.
     */
    public static boolean abandon(Handle h, long id, int seenVersion, Duration staleAfter) {
        return h.createQuery(ABANDON).bind("id", id).bind("seenVersion", seenVersion)
                .bind("staleAfterMs", staleAfter.toMillis()).mapTo(Long.class).findOne().isPresent();
    }

    /**
     * A rescuer holds an orphaned run for the moment of its rescue (owner {@code hold}, version
     * raised); empty when the run changed since {@code seenVersion} or its owner spoke again.
     */
    public static Optional<Integer> holdOrphan(Handle h, long id, int seenVersion, Duration staleAfter, String hold) {
        return h.createQuery(HOLD_ORPHAN).bind("id", id).bind("seenVersion", seenVersion)
                .bind("staleAfterMs", staleAfter.toMillis()).bind("hold", hold).mapTo(Integer.class).findOne();
    }

    /**
     * First statement of every committed unit of a run: proves the run still owns the experiment
     * and holds its row until commit, so a takeover waits for the unit or the unit fails.
     */
    public static boolean fence(Handle h, long id, int version) {
        return h.createUpdate(FENCE).bind("experiment", id).bind("version", version).execute() == 1;
    }

    public static int stopOpenTrialsOfCancelled(Handle h, long id, String reason) {
        return h.createUpdate(STOP_CANCELLED_TRIALS).bind("id", id).bind("reason", reason).execute();
    }

    static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }

    private static final RowMapper<Claim> CLAIM_ROW = (rs, ctx) ->
            new Claim(rs.getInt("version"), rs.getInt("attempt"), instant(rs, "started_at").orElseThrow());

    private static final RowMapper<ExperimentRow> ROW = (rs, ctx) -> {
        long job = rs.getLong("job_execution_id");
        Optional<Long> jobExecution = rs.wasNull() ? Optional.empty() : Optional.of(job);
        return new ExperimentRow(rs.getLong("id"), rs.getString("model"), ExperimentStatus.of(rs.getString("status")), rs.getInt("version"),
                Optional.ofNullable(rs.getString("owner")), instant(rs, "heartbeat_at"), rs.getString("spec"),
                rs.getString("spec_sha256"), jobExecution, instant(rs, "started_at"), rs.getInt("attempt"),
                rs.getString("trigger"), Optional.ofNullable(rs.getString("error")), rs.getInt("retry_round"));
    };

}
