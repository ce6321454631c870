package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The rows a trial writes, alone: the statements that write them, without the engine (no Spring
 * Batch, no strategy, no trainer, no Java between two commits but the loop), each committed as a
 * trial's unit is, timed against the floor's one-row commit on the same tables. It tells how far a
 * trial could come down if the engine cost nothing: the trial's own rows (fence, the ended
 * trial's outcome, the next trial's row), then with the step's checkpoint and execution row, the
 * least a trial restartable by Spring Batch writes. Runs in a scratch database (it writes a
 * Spring Batch step row and trials that no engine ran), in rounds that take turns so that drift in
 * the disk's commit time reaches all three alike; the first round is the warm-up.
 */
final class TrialRowsAlone {
    /** Commits per statement in each round. */
    static final int COMMITS = MachineFacts.FLOOR_COMMITS;
    private static final Logger LOG = LoggerFactory.getLogger(TrialRowsAlone.class);
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String SCRATCH_SUFFIX = "_bench_trial_rows";
    private static final Named FLOOR = Named.load(TrialRowsAlone.class, "DurableCommit");
    private static final Named OWN_ROWS = Named.load(TrialRowsAlone.class, "TrialRowsAlone");
    private static final Named WITH_CHECKPOINT = Named.load(TrialRowsAlone.class, "TrialRowsWithCheckpoint");
    /** The engine's own statement for a unit of the trials step, the one a trial of the bench sends. */
    private static final Named UNIT = Named.load(BatchInfrastructure.class, "TrialsUnit");
    private static final Named ROUND = Named.load(TrialRowsAlone.class, "RowsAloneRound");
    private static final String EXPERIMENT = SqlFiles.load(TrialRowsAlone.class, "RowsAloneExperiment");
    private static final String FIRST_TRIAL = SqlFiles.load(TrialRowsAlone.class, "RowsAloneFirstTrial");
    private static final String STEP = SqlFiles.load(TrialRowsAlone.class, "RowsAloneStep");
    /** A checkpoint the size of the trials step's (its counters and best score, in Spring Batch's short form). */
    private static final String CHECKPOINT = """
            #context 1
            d trials.best_score=0x1.71754243055bbp-5
            s batch.taskletType=org.visutility.orchestrator.experiment.batch.TrialsTasklet
            i trials.next=1000
            i trials.pruned=0
            i trials.best_number=327
            i trials.failed=0
            s batch.version=0.1.0
            i trials.complete=1000
            s batch.stepType=org.springframework.batch.core.step.tasklet.TaskletStep
            """;
    private static final String METRICS = "{\"loss\":0.045}";
    private static final String PARAMS =
            "{\"layers\":5,\"dropout\":0.20385074059844105,\"optimizer\":\"adagrad\",\"batch_size\":176,\"learning_rate\":9.900708605808152E-4}";

    /**
     * Milliseconds per commit (each Repetitions' warm-up is the first round) of the floor, of the
     * trial's own rows, of those with the step's checkpoint and row, and of the engine's unit
     * statement (those and the attempt rows and compute roll-up), in the scratch database.
     */
    record Result(Repetitions floorMs, Repetitions ownRowsMs, Repetitions withCheckpointMs, Repetitions unitMs) {
        ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("commits_per_repetition", COMMITS);
            n.set("floor_commit_ms", floorMs.toJson());
            n.set("trial_rows_ms", ownRowsMs.toJson());
            n.set("trial_rows_ratio_to_commit", ownRowsMs.over(floorMs).toJson());
            n.set("with_checkpoint_ms", withCheckpointMs.toJson());
            n.set("with_checkpoint_ratio_to_commit", withCheckpointMs.over(floorMs).toJson());
            n.set("unit_statement_ms", unitMs.toJson());
            n.set("unit_statement_ratio_to_commit", unitMs.over(floorMs).toJson());
            return n;
        }

        String text() {
            return String.format(Locale.ROOT, "  the rows alone, without the engine (each statement and its commit %d times a repetition,"
                            + " in a scratch database):%n"
                            + "    its floor, the one-row commit:                   %s%n"
                            + "    fence, ended trial's outcome, next trial's row:  %s -> %s%n"
                            + "    + the step's checkpoint and execution row:       %s -> %s (the least a restartable trial writes)%n"
                            + "    + attempt rows and compute roll-up (the unit):   %s -> %s (the engine's statement)%n",
                    COMMITS, floorMs.text(), ownRowsMs.text(), ownRowsMs.over(floorMs).text(),
                    withCheckpointMs.text(), withCheckpointMs.over(floorMs).text(), unitMs.text(), unitMs.over(floorMs).text());
        }
    }

    private TrialRowsAlone() {
    }

    /**
     * {@link #measure}, or empty when the role may not create the scratch database (a plain owner of
     * its database without CREATEDB): the rest of the bench needs no such right.
     */
    static Optional<Result> measureIfAllowed(Database server, int repetitions) {
        try {
            return Optional.of(measure(server, repetitions));
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql && INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
                LOG.warn("bench trials: the rows alone are not measured: {}", sql.getMessage());
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code repetitions} measured rounds after a warm-up round, in a scratch database beside {@code server}'s. */
    static Result measure(Database server, int repetitions) {
        String name = ScratchDatabase.nameBeside(server.jdbcUrl(), SCRATCH_SUFFIX);
        try (ScratchDatabase scratch = ScratchDatabase.create(server, name, 2, false)) {
            Jdbi jdbi = scratch.jdbi();
            ExperimentSpec spec = ExperimentSpec.parse(TrialsBenchmark.readSpec(), "bench-trials.yaml");
            long experiment = jdbi.inTransaction(h -> ExperimentRows.insert(h, spec, "bench"));
            long version = jdbi.withHandle(h -> h.createQuery(EXPERIMENT).bind("experiment", experiment).mapTo(Long.class).one());
            String worker = "bench-" + ProcessHandle.current().pid();
            jdbi.useHandle(h -> h.createUpdate(FIRST_TRIAL).bind("experiment", experiment).bind("params", PARAMS)
                    .bind("worker", worker).execute());
            Map<String, Object> ids = jdbi.withHandle(h -> h.createQuery(STEP).bind("experiment", experiment).bind("checkpoint", CHECKPOINT)
                    .mapToMap().one());
            Map<String, Object> binds = new HashMap<>(Map.of("experiment", experiment, "version", version, "score", 0.045,
                    "metrics", METRICS, "params", PARAMS, "worker", worker, "orchestratorVersion", Version.current(),
                    "checkpoint", CHECKPOINT, "stepExecution", ids.get("step_execution_id")));
            binds.put("jobExecution", ids.get("job_execution_id"));
            double[][] rounds = new double[4][repetitions + 1];
            try (Connection c = scratch.dataSource().getConnection()) {
                c.setAutoCommit(false);
                for (int r = 0; r <= repetitions; r++) {
                    rounds[0][r] = commitMs(c, FLOOR, i -> binds, 1);
                    rounds[1][r] = commitMs(c, OWN_ROWS, i -> binds, 3L);
                    rounds[2][r] = commitMs(c, WITH_CHECKPOINT, i -> binds, 5L);
                    rounds[3][r] = commitMs(c, UNIT, unitBinds(c, binds), true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("bench trials, the rows alone: " + e.getMessage(), e);
            }
            return new Result(measured(rounds[0]), measured(rounds[1]), measured(rounds[2]), measured(rounds[3]));
        }
    }

    /**
     * The trials unit's parameters for the i-th commit of a round: it ends the trial running when
     * the round starts plus i and opens the next, and writes the step row from the version it read,
     * as the engine's unit after a trial of the sphere objective (one trial ended, one opened).
     */
    private static IntFunction<Map<String, Object>> unitBinds(Connection c, Map<String, Object> binds) throws SQLException {
        Map<String, Object> start = first(c, ROUND, binds);
        int running = ((Number) start.get("running")).intValue();
        long stepVersion = ((Number) start.get("step_version")).longValue();
        LocalDateTime started = LocalDateTime.now();
        return i -> {
            Map<String, Object> b = new HashMap<>(binds);
            b.put("numbers", new int[]{running + i});
            b.put("statuses", new String[]{"complete"});
            b.put("scores", new Double[]{0.045});
            b.put("metrics", new String[]{METRICS});
            b.put("reports", new String[]{"[]"});
            b.put("artifactUris", new String[]{null});
            b.put("errors", new String[]{null});
            b.put("references", new String[]{null});
            b.put("openNumbers", new int[]{running + i + 1});
            b.put("openParams", new String[]{PARAMS});
            b.put("shortContext", CHECKPOINT);
            b.put("serializedContext", null);
            b.put("endTime", null);
            b.put("stepVersion", stepVersion + i);
            b.put("startTime", started);
            b.put("stepStatus", "STARTED");
            b.put("exitCode", "EXECUTING");
            b.put("exitMessage", "");
            for (String count : new String[]{"commitCount", "readCount", "filterCount", "writeCount", "readSkipCount",
                    "processSkipCount", "writeSkipCount", "rollbackCount"}) {
                b.put(count, count.equals("commitCount") ? (long) i : 0L);
            }
            b.put("lastUpdated", LocalDateTime.now());
            b.put("commits", false);
            return b;
        };
    }

    /** The first round is the warm-up, the others the repetitions. */
    private static Repetitions measured(double[] rounds) {
        return new Repetitions("ms", rounds[0], Arrays.copyOfRange(rounds, 1, rounds.length));
    }

    /**
     * Milliseconds per commit of {@link #COMMITS} transactions that each run {@code sql} once, through
     * plain JDBC on one prepared statement (no Java between two commits but the loop); the first
     * column of each run's row (or its update count) must be {@code written}, else the bench stops.
     */
    private static double commitMs(Connection c, Named sql, IntFunction<Map<String, Object>> binds, Object written) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.text())) {
            long start = System.nanoTime();
            for (int i = 0; i < COMMITS; i++) {
                bind(ps, sql, binds.apply(i));
                Object wrote = ps.execute() ? firstColumn(ps) : ps.getUpdateCount();
                if (!written.equals(wrote)) throw new IllegalStateException("a rows-alone statement wrote " + wrote + ", not " + written);
                c.commit();
            }
            return (System.nanoTime() - start) / 1e6 / COMMITS;
        }
    }

    private static Map<String, Object> first(Connection c, Named sql, Map<String, Object> binds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.text())) {
            bind(ps, sql, binds);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no row");
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                c.commit();
                return row;
            }
        }
    }

    private static Object firstColumn(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getResultSet()) {
            if (!rs.next()) throw new IllegalStateException("a rows-alone statement returned no row");
            return rs.getObject(1);
        }
    }

    private static void bind(PreparedStatement ps, Named sql, Map<String, Object> binds) throws SQLException {
        for (int i = 0; i < sql.parameters().size(); i++) {
            String name = sql.parameters().get(i);
            if (!binds.containsKey(name)) throw new IllegalStateException(":" + name + " has no value");
            Object value = binds.get(name);
            if (value == null) ps.setNull(i + 1, Types.VARCHAR);
            else ps.setObject(i + 1, value);
        }
    }

    /** A statement with named parameters as JDBC takes it: positional text and the names in order. */
    private record Named(String text, List<String> parameters) {
        static Named load(Class<?> near, String name) {
            ParsedSql parsed = new ColonPrefixSqlParser().parse(SqlFiles.load(near, name), null);
            return new Named(parsed.getSql(), List.copyOf(parsed.getParameters().getParameterNames()));
        }
    }
}
