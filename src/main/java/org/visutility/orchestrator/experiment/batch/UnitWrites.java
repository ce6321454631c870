package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The writes of one unit of the trials step, sent as one statement: a unit used to cost a round
 * trip each for the fence, every ended trial's outcome, every proposed trial's row, the checkpoint,
 * Spring Batch's update of the step execution row and its read of the job execution's status.
 * They are gathered while the unit runs and {@link #flush() flushed} with the unit's checkpoint
 * (and before any other statement of the unit, so the order of the writes is kept); they join the
 * unit's transaction, so they commit together or not at all, which the statement itself enforces
 * (orchestrator.trials_unit_holds).
 */
final class UnitWrites {
    private static final Logger LOG = LoggerFactory.getLogger(UnitWrites.class);
    /** orchestrator.trials_unit_commits (V375): the fence failed in a statement sent with its commit. */
    private static final String STALE_OWNER = "VU001";
    private static final String UNIT = SqlFiles.load(UnitWrites.class, "TrialsUnit");
    /** The unit's last statement and the commit of its transaction, sent together (one round trip, one reply). */
    private static final String UNIT_AND_COMMIT = UNIT + ";\n" + SqlFiles.load(UnitWrites.class, "CommitUnit");

    private record Finish(int number, TrialStatus status, OptionalDouble score, String metrics, String reports,
                          String artifactUri, String error, String reference) {
    }

    private record Open(int number, Params params) {
    }

    private final Jdbi jdbi;
    private final RunControl run;
    private final List<Finish> finishes = new ArrayList<>();
    private final List<Open> opens = new ArrayList<>();
    private boolean fence;
    private CheckpointInUnit.Serialized checkpoint;
    private StepRowInUnit.Row stepRow;

    UnitWrites(Jdbi jdbi, RunControl run) {
        this.jdbi = jdbi;
        this.run = run;
    }

    /** The unit proves the run still owns the experiment (the first write of the flush). */
    void fence() {
        fence = true;
    }

    /** A trial's outcome (the row must still be running, else the flush fails). */
    void finish(int number, TrialStatus status, OptionalDouble score, Map<String, Double> metrics,
                List<IntermediateReport> reports, Optional<String> artifactUri, String error, Optional<String> reference) {
        // the last gate before the table: whatever a trainer made, the row can be written
        ObjectNode metricsJson = JsonNodeFactory.instance.objectNode();
        metrics.forEach((name, value) -> metricsJson.put(TrainerText.clean(name), value));
        finishes.add(new Finish(number, status, score, metrics.isEmpty() ? null : metricsJson.toString(),
                TrialRows.reportsJson(reports).toString(), artifactUri.map(TrainerText::clean).orElse(null), TrainerText.clean(error), reference.orElse(null)));
        fence = true;
    }

    /** A proposed trial, running from the unit's commit on. */
    void open(int number, Params params) {
        opens.add(new Open(number, params));
        fence = true;
    }

    /** Whether the unit has trial writes to send (a checkpoint alone is left to Spring Batch). */
    boolean pending() {
        return fence;
    }

    /** The step's checkpoint and execution row go with the writes; Spring Batch then leaves its own writes of them out. */
    void checkpoint(CheckpointInUnit.Serialized serialized, StepRowInUnit.Row row) {
        if (serialized.stepExecutionId() != row.stepExecutionId()) throw new IllegalArgumentException("checkpoint and row of different steps");
        checkpoint = serialized;
        stepRow = row;
    }

    /**
     * Sends what was gathered, fenced, in one statement of the current transaction.
     *
     * @throws LostOwnershipException when the run no longer owns the experiment (nothing is written)
     * @throws TrialOutcomeNotWritten when the database refused the writes (the unit rolls back)
     */
    void flush() {
        flush(false);
    }

    /**
     * Sends what was gathered as the unit's last statement and, when it carries the checkpoint and
     * the step's row (so Spring Batch has nothing left to write in this transaction), commits the
     * transaction in the same round trip: the unit is durable when this returns, and Spring Batch's
     * commit after it has nothing to send. Without a checkpoint it is {@link #flush()}.
     *
     * @throws LostOwnershipException when the run no longer owns the experiment (nothing is written)
     * @throws TrialOutcomeNotWritten when the database refused the writes or the commit (the unit rolls back)
     */
    void flushAndCommit() {
        flush(true);
    }

    private void flush(boolean commit) {
        if (!fence) return;
        List<Finish> f = List.copyOf(finishes);
        List<Open> o = List.copyOf(opens);
        CheckpointInUnit.Serialized c = checkpoint;
        StepRowInUnit.Row row = stepRow;
        finishes.clear();
        opens.clear();
        fence = false;
        checkpoint = null;
        stepRow = null;
        LocalDateTime now = LocalDateTime.now();
        Result r;
        try {
            // the commit only goes with a unit that carries its checkpoint: Spring Batch then writes nothing more in it
            boolean commits = commit && c != null;
            r = jdbi.withHandle(h -> h.createQuery(commits ? UNIT_AND_COMMIT : UNIT)
                    .bind("commits", commits)
                    .bind("experiment", run.experimentId()).bind("version", run.version())
                    .bindArray("numbers", Integer.class, f.stream().map(Finish::number).toList())
                    .bindArray("statuses", String.class, f.stream().map(x -> x.status().spelling()).toList())
                    .bindArray("scores", Double.class, f.stream().map(x -> x.score().isPresent() ? x.score().getAsDouble() : null).toList())
                    .bindArray("metrics", String.class, f.stream().map(Finish::metrics).toList())
                    .bindArray("reports", String.class, f.stream().map(Finish::reports).toList())
                    .bindArray("artifactUris", String.class, f.stream().map(Finish::artifactUri).toList())
                    .bindArray("errors", String.class, f.stream().map(Finish::error).toList())
                    .bindArray("references", String.class, f.stream().map(Finish::reference).toList())
                    .bindArray("openNumbers", Integer.class, o.stream().map(Open::number).toList())
                    .bindArray("openParams", String.class, o.stream().map(x -> x.params().toString()).toList())
                    .bind("worker", run.owner()).bind("orchestratorVersion", Version.current())
                    .bind("stepExecution", c == null ? null : c.stepExecutionId())
                    .bind("shortContext", c == null ? null : c.shortContext())
                    .bind("serializedContext", c == null ? null : c.serializedContext())
                    .bind("jobExecution", row == null ? null : row.jobExecutionId())
                    .bind("stepVersion", row == null ? null : row.version())
                    .bind("startTime", row == null ? null : row.startTime())
                    .bind("endTime", row == null ? null : row.endTime())
                    .bind("stepStatus", row == null ? null : row.status())
                    .bind("commitCount", row == null ? null : row.commitCount())
                    .bind("readCount", row == null ? null : row.readCount())
                    .bind("filterCount", row == null ? null : row.filterCount())
                    .bind("writeCount", row == null ? null : row.writeCount())
                    .bind("readSkipCount", row == null ? null : row.readSkipCount())
                    .bind("processSkipCount", row == null ? null : row.processSkipCount())
                    .bind("writeSkipCount", row == null ? null : row.writeSkipCount())
                    .bind("rollbackCount", row == null ? null : row.rollbackCount())
                    .bind("exitCode", row == null ? null : row.exitCode())
                    .bind("exitMessage", row == null ? null : row.exitMessage())
                    .bind("lastUpdated", now)
                    .map((rs, ctx) -> new Result(rs.getBoolean("fenced"),
                            rs.getObject("job_version") == null ? null : rs.getInt("job_version"), rs.getString("job_status")))
                    .one());
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql && STALE_OWNER.equals(sql.getSQLState())) throw new LostOwnershipException(run);
            if (f.isEmpty()) throw e;
            LOG.error("Trial {}: its outcome could not be written", f.get(0).number(), e);
            throw new TrialOutcomeNotWritten(f.get(0).number(), e);
        }
        if (!r.fenced()) throw new LostOwnershipException(run);
        // the statement failed had a write been missing (trials_unit_holds): what was asked for is written
        if (c != null) {
            CheckpointInUnit.markWritten(c.stepExecutionId());
            StepRowInUnit.markWritten(new StepRowInUnit.Written(row, now, r.jobVersion(), r.jobStatus()));
        }
    }

    private record Result(boolean fenced, Integer jobVersion, String jobStatus) {
    }
}
