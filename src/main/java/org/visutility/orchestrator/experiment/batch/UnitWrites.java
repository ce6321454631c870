package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.UncategorizedSQLException;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
    private static final String UNIT_NAMED = SqlFiles.load(UnitWrites.class, "TrialsUnit");
    private static final Positional UNIT = Positional.of(UNIT_NAMED);
    /** The unit's last statement and the commit of its transaction, sent together (one round trip, one reply). */
    private static final Positional UNIT_AND_COMMIT = Positional.of(UNIT_NAMED + ";\n" + SqlFiles.load(UnitWrites.class, "CommitUnit"));

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
        // the commit only goes with a unit that carries its checkpoint: Spring Batch then writes nothing more in it
        boolean commits = commit && c != null;
        Result r;
        try {
            r = jdbi.withHandle(h -> execute(h.getConnection(), commits ? UNIT_AND_COMMIT : UNIT, commits, f, o, c, row, now));
        } catch (SQLException | JdbiException e) {
            Throwable cause = e instanceof SQLException ? e : e.getCause();
            if (cause instanceof SQLException sql && STALE_OWNER.equals(sql.getSQLState())) throw new LostOwnershipException(run);
            RuntimeException failure = e instanceof SQLException sql ? new UncategorizedSQLException("the trials unit's writes", null, sql)
                    : (JdbiException) e;
            if (f.isEmpty()) throw failure;
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

    /**
     * Runs the unit's statement through plain JDBC on the transaction's connection. Binding its ~35
     * parameters through Jdbi (a type lookup, a generic array argument and a copy of the statement's
     * configuration for each) took most of the Java time of a trial, more than the statement's own
     * execution on the server; here each is set by its known type, the arrays as Java arrays.
     */
    private Result execute(Connection connection, Positional sql, boolean commits, List<Finish> f, List<Open> o,
                           CheckpointInUnit.Serialized c, StepRowInUnit.Row row, LocalDateTime now) throws SQLException {
        int ended = f.size();
        int[] numbers = new int[ended];
        String[] statuses = new String[ended];
        Double[] scores = new Double[ended];
        String[] metrics = new String[ended];
        String[] reports = new String[ended];
        String[] artifactUris = new String[ended];
        String[] errors = new String[ended];
        String[] references = new String[ended];
        for (int i = 0; i < ended; i++) {
            Finish x = f.get(i);
            numbers[i] = x.number();
            statuses[i] = x.status().spelling();
            scores[i] = x.score().isPresent() ? x.score().getAsDouble() : null;
            metrics[i] = x.metrics();
            reports[i] = x.reports();
            artifactUris[i] = x.artifactUri();
            errors[i] = x.error();
            references[i] = x.reference();
        }
        int[] openNumbers = new int[o.size()];
        String[] openParams = new String[o.size()];
        for (int i = 0; i < o.size(); i++) {
            openNumbers[i] = o.get(i).number();
            openParams[i] = o.get(i).params().toString();
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.text())) {
            List<String> names = sql.parameters();
            for (int i = 0; i < names.size(); i++) {
                int p = i + 1;
                switch (names.get(i)) {
                    case "commits" -> ps.setBoolean(p, commits);
                    case "experiment" -> ps.setLong(p, run.experimentId());
                    case "version" -> ps.setInt(p, run.version());
                    case "numbers" -> ps.setObject(p, numbers);
                    case "statuses" -> ps.setObject(p, statuses);
                    case "scores" -> ps.setObject(p, scores);
                    case "metrics" -> ps.setObject(p, metrics);
                    case "reports" -> ps.setObject(p, reports);
                    case "artifactUris" -> ps.setObject(p, artifactUris);
                    case "errors" -> ps.setObject(p, errors);
                    case "references" -> ps.setObject(p, references);
                    case "openNumbers" -> ps.setObject(p, openNumbers);
                    case "openParams" -> ps.setObject(p, openParams);
                    case "worker" -> text(ps, p, run.owner());
                    case "orchestratorVersion" -> text(ps, p, Version.current());
                    case "stepExecution" -> whole(ps, p, c == null ? null : c.stepExecutionId());
                    case "shortContext" -> text(ps, p, c == null ? null : c.shortContext());
                    case "serializedContext" -> text(ps, p, c == null ? null : c.serializedContext());
                    case "jobExecution" -> whole(ps, p, row == null ? null : row.jobExecutionId());
                    case "stepVersion" -> whole(ps, p, row == null ? null : (long) row.version());
                    case "startTime" -> time(ps, p, row == null ? null : row.startTime());
                    case "endTime" -> time(ps, p, row == null ? null : row.endTime());
                    case "stepStatus" -> text(ps, p, row == null ? null : row.status());
                    case "commitCount" -> whole(ps, p, row == null ? null : row.commitCount());
                    case "readCount" -> whole(ps, p, row == null ? null : row.readCount());
                    case "filterCount" -> whole(ps, p, row == null ? null : row.filterCount());
                    case "writeCount" -> whole(ps, p, row == null ? null : row.writeCount());
                    case "readSkipCount" -> whole(ps, p, row == null ? null : row.readSkipCount());
                    case "processSkipCount" -> whole(ps, p, row == null ? null : row.processSkipCount());
                    case "writeSkipCount" -> whole(ps, p, row == null ? null : row.writeSkipCount());
                    case "rollbackCount" -> whole(ps, p, row == null ? null : row.rollbackCount());
                    case "exitCode" -> text(ps, p, row == null ? null : row.exitCode());
                    case "exitMessage" -> text(ps, p, row == null ? null : row.exitMessage());
                    case "lastUpdated" -> time(ps, p, now);
                    default -> throw new IllegalStateException("TrialsUnit.sql: no value for :" + names.get(i));
                }
            }
            // execute, not executeQuery: with its COMMIT the text is two statements, the first with the row
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                if (!rs.next()) throw new IllegalStateException("the trials unit's statement returned no row");
                return new Result(rs.getBoolean("fenced"), rs.getObject("job_version") == null ? null : rs.getInt("job_version"),
                        rs.getString("job_status"));
            }
        }
    }

    private static void text(PreparedStatement ps, int p, String value) throws SQLException {
        if (value == null) ps.setNull(p, Types.VARCHAR);
        else ps.setString(p, value);
    }

    private static void whole(PreparedStatement ps, int p, Long value) throws SQLException {
        if (value == null) ps.setNull(p, Types.BIGINT);
        else ps.setLong(p, value);
    }

    private static void time(PreparedStatement ps, int p, LocalDateTime value) throws SQLException {
        if (value == null) ps.setNull(p, Types.TIMESTAMP);
        else ps.setObject(p, value);
    }

    /** A statement with its named parameters turned into JDBC positions once, by Jdbi's own parser (a name may repeat). */
    private record Positional(String text, List<String> parameters) {
        static Positional of(String named) {
            ParsedSql parsed = new ColonPrefixSqlParser().parse(named, null);
            return new Positional(parsed.getSql(), List.copyOf(parsed.getParameters().getParameterNames()));
        }
    }

    private record Result(boolean fenced, Integer jobVersion, String jobStatus) {
    }
}
