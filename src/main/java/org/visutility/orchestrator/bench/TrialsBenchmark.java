package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentRunner;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.TrialStatus;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code orchestrator bench trials}: experiments of N trials through the real engine (Spring Batch
 * job, a committed trial row and checkpoint per trial, heartbeat and fencing), scored by the
 * built-in sphere function, so that the time between two trials' commits is the orchestration's
 * cost. The first experiment runs in the cold JVM and is reported apart (the warm-up); then each
 * repetition runs one more experiment between two measures of the floor, {@link MachineFacts#FLOOR_COMMITS}
 * bare durable one-row commits on the same database each, and takes their mean as its baseline. Every statement, commit and connection the
 * repetitions cost is counted ({@link JdbcTally}) and reported per trial.
 */
public final class TrialsBenchmark {
    /** Optuna 3.1 with its PostgreSQL (RDB) storage, random sampling, 500 trials, measured on the same kind of machine. */
    public static final double OPTUNA_RANDOM_MS = 26.0;
    /** Goal: a trial in a warm JVM costs at most this many durable one-row commits. */
    public static final double GOAL_STEADY_RATIO = 1.5;
    /** Goal: the mean over the first experiment, JIT warm-up included, at most this many commits. */
    public static final double GOAL_WARM_UP_RATIO = 2.5;
    private static final String SPEC = "bench-trials.yaml";
    /** Calls made fewer times per trial are the experiment's, not the trials': summed up in the text (the JSON has each). */
    private static final double MIN_SHOWN_PER_TRIAL = 0.05;
    private static final String DURABLE_COMMIT = SqlFiles.load(TrialsBenchmark.class, "DurableCommit");
    private static final String COMPLETE = SqlFiles.load(TrialsBenchmark.class, "CompleteTrials");

    /** Trials in each of the two windows whose cost per trial is compared: those up to trial 1,000 and the last ones. */
    static final int GROWTH_WINDOW = 500;
    /** The growth is measured when an experiment has at least this many trials (the last window then starts at 2,000 or later). */
    static final int GROWTH_AT = 1000;
    static final int GROWTH_MIN_TRIALS = 2 * GROWTH_AT;
    /** Goal: a trial at the end of a long experiment costs at most this many times one at 1,000 trials. */
    public static final double GOAL_GROWTH = 1.3;

    /**
     * One experiment's figures: mean ms between trial commits overall, in its first and its last
     * tenth, and — with at least 2,000 trials — over the last 500 trials against trials 501-1,000
     * (NaN otherwise): how a trial's cost grows with the history, measured within one experiment.
     */
    record Experiment(long id, double mean, double firstTenth, double lastTenth, double growth) {
    }

    /**
     * What one run measured (milliseconds).
     *
     * @param perTrialMs the mean ms per trial of each repetition; its warm-up is the first experiment's
     * @param warmUp     the first experiment (cold JVM)
     * @param perTrial   per trial, over all repetitions: statement or call name to [count, ms inside it]
     * @param wal        bytes of write-ahead log per trial and per floor commit, over all repetitions
     * @param rowsAlone  the statements that write a trial's rows, timed alone (empty when the role may not create the scratch database)
     */
    public record Result(String strategy, int trials, Repetitions perTrialMs, Repetitions commitMs, Experiment warmUp,
                         Repetitions growth, Map<String, double[]> perTrial, Wal wal, Optional<TrialRowsAlone.Result> rowsAlone,
                         MachineFacts machine) {
        public Repetitions ratio() {
            return perTrialMs.over(commitMs);
        }

        /** Milliseconds per trial spent inside JDBC calls (round trips and the server's work). */
        public double databaseMs() {
            return perTrial.values().stream().mapToDouble(v -> v[1]).sum();
        }

        /** The mean over the repetitions, which the per-trial breakdown is an average of. */
        public double meanMs() {
            return Arrays.stream(perTrialMs.values()).average().orElseThrow();
        }

        public int statements() {
            return (int) Math.round(perTrial.entrySet().stream().filter(e -> !e.getKey().equals("connection"))
                    .mapToDouble(e -> e.getValue()[0]).sum());
        }

        public boolean goalsMet() {
            return ratio().median() <= GOAL_STEADY_RATIO && ratio().warmUp() <= GOAL_WARM_UP_RATIO;
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "trials").put("strategy", strategy).put("trials", trials);
            n.set("machine", machine.toJson());
            n.set("baseline_durable_commit_ms", commitMs.toJson());
            n.set("ms_per_trial", perTrialMs.toJson());
            n.set("ratio_to_commit", ratio().toJson());
            n.putObject("warm_up_experiment").put("first_10pct_ms_per_trial", Repetitions.round(warmUp.firstTenth()))
                    .put("last_10pct_ms_per_trial", Repetitions.round(warmUp.lastTenth()))
                    .put("mean_ms_per_trial", Repetitions.round(warmUp.mean()));
            ObjectNode breakdown = n.putObject("per_trial");
            breakdown.put("statements", statements()).put("ms_in_database_calls", Repetitions.round(databaseMs()));
            if (wal.measured()) {
                breakdown.put("wal_bytes", Math.round(wal.perTrial())).put("wal_bytes_of_the_floor_commit", Math.round(wal.perFloorCommit()));
            }
            ObjectNode calls = breakdown.putObject("calls");
            perTrial.forEach((name, v) -> calls.putObject(name).put("count", Repetitions.round(v[0])).put("ms", Repetitions.round(v[1])));
            rowsAlone.ifPresent(rows -> n.set("rows_alone", rows.toJson()));
            if (growth != null) {
                n.set("last_500_over_trials_501_to_1000", growth.toJson());
                n.putObject("growth_goal").put("at_most", GOAL_GROWTH).put("met", growth.median() <= GOAL_GROWTH);
            }
            n.put("optuna_random_ms_per_trial", OPTUNA_RANDOM_MS);
            n.putObject("goals").put("steady_ratio_at_most", GOAL_STEADY_RATIO).put("warm_up_ratio_at_most", GOAL_WARM_UP_RATIO)
                    .put("met", goalsMet());
            return n;
        }

        public String text() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "bench trials: %d trials per experiment (%s search, built-in sphere objective, one trial at a time);"
                            + " a warm-up experiment, then %d repetitions%n", trials, strategy, perTrialMs.values().length));
            s.append("  ").append(machine.text());
            s.append(String.format(Locale.ROOT, "  baseline, one durable one-row commit:   %s%n", commitMs.text()));
            s.append(String.format(Locale.ROOT, "  per trial (trial row + checkpoint committed): %s%n", perTrialMs.text()));
            s.append(String.format(Locale.ROOT, "  per trial / commit:                     %s (goal <= %.1f; warm-up goal <= %.1f)%n",
                    ratio().text(), GOAL_STEADY_RATIO, GOAL_WARM_UP_RATIO));
            s.append(String.format(Locale.ROOT, "  warm-up experiment (cold JVM): first 10%% %.3f ms, last 10%% %.3f ms, mean %.3f ms per trial%n",
                    warmUp.firstTenth(), warmUp.lastTenth(), warmUp.mean()));
            if (growth != null) {
                s.append(String.format(Locale.ROOT, "  cost per trial of the last %d trials / of trials %d-%d, same experiment: %s (goal <= %.1f: %s)%n",
                        GROWTH_WINDOW, GROWTH_AT - GROWTH_WINDOW + 1, GROWTH_AT, growth.text(), GOAL_GROWTH,
                        growth.median() <= GOAL_GROWTH ? "met" : "missed"));
            }
            s.append(String.format(Locale.ROOT, "  where a trial's time goes (all repetitions): %d statements and commits, %.3f ms inside database calls"
                    + " of %.3f ms (mean of the repetitions); calls per trial, ms per trial:%n", statements(), databaseMs(), meanMs()));
            double[] others = new double[2];
            perTrial.forEach((name, v) -> {
                if (v[0] >= MIN_SHOWN_PER_TRIAL) s.append(String.format(Locale.ROOT, "    %-44s %6.2f x %7.3f ms%n", name, v[0], v[1]));
                else {
                    others[0] += v[0];
                    others[1] += v[1];
                }
            });
            s.append(String.format(Locale.ROOT, "    %-44s %6.2f x %7.3f ms%n", "others (each experiment's set-up and close)", others[0], others[1]));
            if (wal.measured()) {
                s.append(String.format(Locale.ROOT, "  write-ahead log per trial: %,d bytes (the floor's one-row commit: %,d bytes)%n",
                        Math.round(wal.perTrial()), Math.round(wal.perFloorCommit())));
            }
            s.append(rowsAlone.map(TrialRowsAlone.Result::text)
                    .orElse("  the rows alone: not measured (the role may not create the scratch database it needs)\n"));
            s.append(String.format(Locale.ROOT, "  Optuna 3.1 + PostgreSQL storage, random sampling (other run): %.0f ms per trial -> %.1fx less%n",
                    OPTUNA_RANDOM_MS, OPTUNA_RANDOM_MS / perTrialMs.median()));
            return s.toString();
        }
    }

    /**
     * Bytes of write-ahead log the server wrote per trial (each repetition's whole experiment, over
     * its trials) and per commit of the floor; NaN when the role may not read the log's position.
     */
    public record Wal(double perTrial, double perFloorCommit) {
        boolean measured() {
            return !Double.isNaN(perTrial) && !Double.isNaN(perFloorCommit);
        }
    }

    private TrialsBenchmark() {
    }

    /** Runs the benchmark with {@code strategy} (a strategy name, with its default options) proposing the trials. */
    public static Result run(Database db, OrchestratorConfig config, int trials, String strategy, int repetitions) {
        JdbcTally tally = new JdbcTally();
        DataSource counted = tally.wrap(db.dataSource());
        Jdbi jdbi = Jdbi.create(counted).installPlugin(new PostgresPlugin());
        BatchInfrastructure batch = BatchInfrastructure.create(counted);
        String owner = "bench-" + ProcessHandle.current().pid();

        Experiment warmUp = experiment(jdbi, batch, config, owner, trials, strategy);
        double warmUpCommit = commitMs(db, warmUp.id());
        double[] perTrial = new double[repetitions];
        double[] growth = new double[repetitions];
        double[] commits = new double[repetitions];
        double walOfTrials = 0;
        double walOfFloors = 0;
        JdbcTally.Snapshot before = tally.snapshot();
        for (int r = 0; r < repetitions; r++) {
            // the floor right before and right after the experiment: the disk's commit time drifts
            // (0.3 to 1.1 ms within one run here), and a floor taken on one side only would judge the
            // experiment by a moment it did not run in
            double floorBefore = commitMs(db, warmUp.id());
            WalWritten.Measured<Experiment> e = WalWritten.during(db.jdbi(), () -> experiment(jdbi, batch, config, owner, trials, strategy));
            WalWritten.Measured<Double> floorAfter = WalWritten.during(db.jdbi(), () -> commitMs(db, warmUp.id()));
            commits[r] = (floorBefore + floorAfter.result()) / 2;
            perTrial[r] = e.result().mean();
            growth[r] = e.result().growth();
            walOfTrials += e.bytes();
            walOfFloors += floorAfter.bytes();
        }
        JdbcTally.Snapshot after = tally.snapshot();
        Map<String, double[]> breakdown = after.perUnit(before, repetitions * trials);
        Optional<TrialRowsAlone.Result> rowsAlone = TrialRowsAlone.measureIfAllowed(db, repetitions);
        // the floor runs on db.jdbi() (not counted) and each experiment's set-up and close are a few
        // dozen statements in 1000 trials: the per-trial figures stay those of the trials
        return new Result(strategy, trials, new Repetitions("ms", warmUp.mean(), perTrial),
                new Repetitions("ms", warmUpCommit, commits), warmUp,
                trials < GROWTH_MIN_TRIALS ? null : new Repetitions("x", warmUp.growth(), growth), breakdown,
                new Wal(walOfTrials / repetitions / trials, walOfFloors / repetitions / MachineFacts.FLOOR_COMMITS), rowsAlone,
                MachineFacts.with(db.jdbi(), new Repetitions("ms", warmUpCommit, commits)));
    }

    private static Experiment experiment(Jdbi jdbi, BatchInfrastructure batch, OrchestratorConfig config, String owner,
                                         int trials, String strategy) {
        long id = queue(jdbi, trials, strategy);
        long[] endedAt = new long[trials];
        Arrays.fill(endedAt, -1);
        ExperimentObserver clock = new ExperimentObserver() {
            @Override
            public void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score, Duration took) {
                endedAt[number] = System.nanoTime();
            }
        };
        new ExperimentRunner(jdbi, batch, config, owner, clock).run(id, false);
        int committed = jdbi.withHandle(h -> h.createQuery(COMPLETE).bind("experiment", id).mapTo(Integer.class).one());
        if (committed != trials || Arrays.stream(endedAt).anyMatch(t -> t < 0)) {
            throw new IllegalStateException("the bench experiment " + id + " committed " + committed + " of " + trials + " trials");
        }
        int tenth = Math.max(1, trials / 10);
        double growth = trials < GROWTH_MIN_TRIALS ? Double.NaN
                : perTrial(endedAt, trials - GROWTH_WINDOW, trials) / perTrial(endedAt, GROWTH_AT - GROWTH_WINDOW, GROWTH_AT);
        return new Experiment(id, perTrial(endedAt, 1, trials), perTrial(endedAt, 1, tenth + 1), perTrial(endedAt, trials - tenth, trials),
                growth);
    }

    private static long queue(Jdbi jdbi, int trials, String strategy) {
        ObjectNode tree = (ObjectNode) readSpec();
        ((ObjectNode) tree.get("budget")).put("trials", trials);
        ((ObjectNode) tree.get("strategy")).put("name", strategy);
        ExperimentSpec spec = ExperimentSpec.parse(tree, SPEC);
        return jdbi.inTransaction(h -> ExperimentRows.insert(h, spec, "bench"));
    }

    /** Mean time between consecutive trial commits, for trials [from, to) (from >= 1). */
    private static double perTrial(long[] endedAt, int from, int to) {
        return (endedAt[to - 1] - endedAt[from - 1]) / 1e6 / (to - from);
    }

    /** The floor on the uncounted pool: one row of the (finished) warm-up experiment updated and committed. */
    private static double commitMs(Database db, long experimentId) {
        return MachineFacts.commitMs(db.jdbi(), DURABLE_COMMIT, Map.of("experiment", experimentId));
    }

    static com.fasterxml.jackson.databind.JsonNode readSpec() {
        try (InputStream in = TrialsBenchmark.class.getResourceAsStream(SPEC)) {
            if (in == null) throw new IllegalStateException("missing resource " + SPEC);
            return Json.YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
