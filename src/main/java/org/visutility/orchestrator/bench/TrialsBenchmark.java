package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.tuning.TrialStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentRunner;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code orchestrator bench trials}: one experiment of N trials through the real engine (Spring
 * Batch job, a committed trial row and checkpoint per trial, heartbeat and fencing), scored by the
 * built-in sphere function, so that the time between two trials' commits is the orchestration's
 * cost. Also measures, in the same run, the floor: one bare durable commit on the same database.
 */
public final class TrialsBenchmark {
    /** Optuna 3.1 with its PostgreSQL (RDB) storage, random sampling, 500 trials, measured on the same kind of machine. */
    public static final double OPTUNA_RANDOM_MS = 26.0;
    public static final double GOAL_MS = 2.5;
    public static final double GOAL_GROWTH = 1.3;
    private static final int FLOOR_COMMITS = 200;
    /** An unmeasured run first, so that the measured one is not the JIT compiler warming up. */
    private static final int WARM_UP_TRIALS = 1000;
    private static final String SPEC = "bench-trials.yaml";
    private static final String DURABLE_COMMIT = SqlFiles.load(TrialsBenchmark.class, "DurableCommit");
    private static final String SETTINGS = SqlFiles.load(TrialsBenchmark.class, "CommitSettings");
    private static final String COMPLETE = SqlFiles.load(TrialsBenchmark.class, "CompleteTrials");

    /** What one run measured (milliseconds). */
    public record Result(long experimentId, String strategy, int trials, int committed, double firstTenth, double lastTenth,
                         double mean, double durableCommit, String fsync, String synchronousCommit) {
        public double growth() {
            return lastTenth / firstTenth;
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("experiment", experimentId).put("strategy", strategy).put("trials", trials)
                    .put("trials_committed", committed).put("first_10pct_ms_per_trial", round(firstTenth))
                    .put("last_10pct_ms_per_trial", round(lastTenth)).put("last_to_first_ratio", round(growth()))
                    .put("mean_ms_per_trial", round(mean)).put("durable_commit_ms", round(durableCommit))
                    .put("optuna_random_ms_per_trial", OPTUNA_RANDOM_MS).put("times_less_than_optuna", round(OPTUNA_RANDOM_MS / mean))
                    .put("goal_ms_per_trial", GOAL_MS).put("goal_ratio", GOAL_GROWTH)
                    .put("fsync", fsync).put("synchronous_commit", synchronousCommit);
            n.put("goals_met", mean <= GOAL_MS && growth() <= GOAL_GROWTH);
            return n;
        }

        public String text() {
            return String.format(Locale.ROOT, """
                    bench trials: %d trials of experiment %d (%s search, built-in sphere objective, one trial at a time, after a %d-trial warm-up run), %d committed
                      every trial durably committed: trial row + Spring Batch checkpoint in one transaction (fsync=%s, synchronous_commit=%s)
                      orchestration cost per trial, first 10%%: %.3f ms
                      orchestration cost per trial, last 10%%:  %.3f ms   (last/first = %.2f; goal <= %.1f)
                      orchestration cost per trial, all:        %.3f ms   (goal <= %.1f ms)
                      baseline, Optuna 3.1 + PostgreSQL storage, random sampling: %.0f ms per trial -> %.1fx less
                      floor measured in this run, one durable one-row commit: %.3f ms
                    """, trials, experimentId, strategy, WARM_UP_TRIALS, committed, fsync, synchronousCommit, firstTenth, lastTenth, growth(), GOAL_GROWTH,
                    mean, GOAL_MS, OPTUNA_RANDOM_MS, OPTUNA_RANDOM_MS / mean, durableCommit);
        }
    }

    private TrialsBenchmark() {
    }

    /** Runs the benchmark with {@code strategy} (a strategy name, with its default options) proposing the trials. */
    public static Result run(Database db, OrchestratorConfig config, int trials, String strategy) {
        BatchInfrastructure batch = BatchInfrastructure.create(db.dataSource());
        String owner = "bench-" + ProcessHandle.current().pid();
        long warmUp = queue(db, WARM_UP_TRIALS, strategy);
        new ExperimentRunner(db.jdbi(), batch, config, owner, ExperimentObserver.NONE).run(warmUp, false);

        long id = queue(db, trials, strategy);

        long[] endedAt = new long[trials];
        Arrays.fill(endedAt, -1);
        ExperimentObserver clock = new ExperimentObserver() {
            @Override
            public void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score) {
                endedAt[number] = System.nanoTime();
            }
        };
        new ExperimentRunner(db.jdbi(), batch, config, owner, clock).run(id, false);

        int committed = db.jdbi().withHandle(h -> h.createQuery(COMPLETE).bind("experiment", id).mapTo(Integer.class).one());
        if (committed != trials || Arrays.stream(endedAt).anyMatch(t -> t < 0)) {
            throw new IllegalStateException("the bench experiment " + id + " committed " + committed + " of " + trials + " trials");
        }
        int tenth = Math.max(1, trials / 10);
        Map<String, Object> settings = db.jdbi().withHandle(h -> h.createQuery(SETTINGS).mapToMap().one());
        return new Result(id, strategy, trials, committed,
                perTrial(endedAt, 1, tenth + 1), perTrial(endedAt, trials - tenth, trials), perTrial(endedAt, 1, trials),
                durableCommit(db, id), String.valueOf(settings.get("fsync")), String.valueOf(settings.get("synchronous_commit")));
    }

    private static long queue(Database db, int trials, String strategy) {
        ObjectNode tree = (ObjectNode) readSpec();
        ((ObjectNode) tree.get("budget")).put("trials", trials);
        ((ObjectNode) tree.get("strategy")).put("name", strategy);
        ExperimentSpec spec = ExperimentSpec.parse(tree, SPEC);
        return db.jdbi().inTransaction(h -> ExperimentRows.insert(h, spec, "bench"));
    }

    /** Mean time between consecutive trial commits, for trials [from, to) (from >= 1). */
    private static double perTrial(long[] endedAt, int from, int to) {
        return (endedAt[to - 1] - endedAt[from - 1]) / 1e6 / (to - from);
    }

    private static double durableCommit(Database db, long experimentId) {
        long start = System.nanoTime();
        for (int i = 0; i < FLOOR_COMMITS; i++) {
            db.jdbi().useTransaction(h -> h.createUpdate(DURABLE_COMMIT).bind("experiment", experimentId).execute());
        }
        return (System.nanoTime() - start) / 1e6 / FLOOR_COMMITS;
    }

    private static com.fasterxml.jackson.databind.JsonNode readSpec() {
        try (InputStream in = TrialsBenchmark.class.getResourceAsStream(SPEC)) {
            if (in == null) throw new IllegalStateException("missing resource " + SPEC);
            return Json.YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
