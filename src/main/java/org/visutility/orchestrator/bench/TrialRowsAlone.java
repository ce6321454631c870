package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
    private static final String OWN_ROWS = SqlFiles.load(TrialRowsAlone.class, "TrialRowsAlone");
    private static final String WITH_CHECKPOINT = SqlFiles.load(TrialRowsAlone.class, "TrialRowsWithCheckpoint");
    private static final String FLOOR = SqlFiles.load(TrialRowsAlone.class, "DurableCommit");
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
    private static final String PARAMS =
            "{\"layers\":5,\"dropout\":0.20385074059844105,\"optimizer\":\"adagrad\",\"batch_size\":176,\"learning_rate\":9.900708605808152E-4}";

    /**
     * Milliseconds per commit (each Repetitions' warm-up is the first round) of the floor, of the
     * trial's own rows and of those with the step's checkpoint and row, in the scratch database.
     */
    record Result(Repetitions floorMs, Repetitions ownRowsMs, Repetitions withCheckpointMs) {
        ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("commits_per_repetition", COMMITS);
            n.set("floor_commit_ms", floorMs.toJson());
            n.set("trial_rows_ms", ownRowsMs.toJson());
            n.set("trial_rows_ratio_to_commit", ownRowsMs.over(floorMs).toJson());
            n.set("with_checkpoint_ms", withCheckpointMs.toJson());
            n.set("with_checkpoint_ratio_to_commit", withCheckpointMs.over(floorMs).toJson());
            return n;
        }

        String text() {
            return String.format(Locale.ROOT, "  the rows alone, without the engine (each statement and its commit %d times a repetition,"
                            + " in a scratch database):%n"
                            + "    its floor, the one-row commit:                   %s%n"
                            + "    fence, ended trial's outcome, next trial's row:  %s -> %s%n"
                            + "    + the step's checkpoint and execution row:       %s -> %s (the least a restartable trial writes)%n",
                    COMMITS, floorMs.text(), ownRowsMs.text(), ownRowsMs.over(floorMs).text(),
                    withCheckpointMs.text(), withCheckpointMs.over(floorMs).text());
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
            long step = jdbi.withHandle(h -> h.createQuery(STEP).bind("experiment", experiment).bind("checkpoint", CHECKPOINT)
                    .mapTo(Long.class).one());
            Map<String, Object> binds = Map.of("experiment", experiment, "version", version, "score", 0.045,
                    "metrics", "{\"loss\":0.045}", "params", PARAMS, "worker", worker, "orchestratorVersion", Version.current(),
                    "checkpoint", CHECKPOINT, "stepExecution", step);
            double[][] rounds = new double[3][repetitions + 1];
            for (int r = 0; r <= repetitions; r++) {
                rounds[0][r] = MachineFacts.commitMs(jdbi, FLOOR, Map.of("experiment", experiment));
                rounds[1][r] = commitMs(jdbi, OWN_ROWS, binds, 3);
                rounds[2][r] = commitMs(jdbi, WITH_CHECKPOINT, binds, 5);
            }
            return new Result(measured(rounds[0]), measured(rounds[1]), measured(rounds[2]));
        }
    }

    /** The first round is the warm-up, the others the repetitions. */
    private static Repetitions measured(double[] rounds) {
        return new Repetitions("ms", rounds[0], Arrays.copyOfRange(rounds, 1, rounds.length));
    }

    /** Milliseconds per commit of {@link #COMMITS} transactions that each run {@code sql} once; each must write {@code rows}. */
    private static double commitMs(Jdbi jdbi, String sql, Map<String, Object> binds, int rows) {
        return jdbi.withHandle(h -> {
            long start = System.nanoTime();
            for (int i = 0; i < COMMITS; i++) {
                int written = h.inTransaction(tx -> tx.createQuery(sql).bindMap(binds).mapTo(Integer.class).one());
                if (written != rows) throw new IllegalStateException("a rows-alone statement wrote " + written + " rows of " + rows);
            }
            return (System.nanoTime() - start) / 1e6 / COMMITS;
        });
    }
}
