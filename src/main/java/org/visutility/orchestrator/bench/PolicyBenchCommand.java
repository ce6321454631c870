package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.store.SqlFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;
import org.visutility.orchestrator.policy.spec.Window;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code orchestrator bench policies}: M models with S hourly snapshots each and one threshold
 * policy per model, in a scratch database on the configured server. Times one evaluation pass,
 * then adds history until each model has {@code history-factor} x S snapshots and times a pass
 * again; prints both and their ratio. A pass is timed {@code --repetitions} times after one
 * warm-up pass (which creates the states and fills the spec cache): the warm-up is reported apart,
 * the repetitions as min, median and max. The machine facts, with the cost of one durable commit
 * on the same server, come with the figures. {@code --history-factor 1} skips the second history.
 */
@Command(name = "policies", description = "Time one evaluation pass of one threshold policy per model, with S and then history-factor x S snapshots per model.")
public final class PolicyBenchCommand implements Callable<Integer> {
    static final String DATABASE = "orchestrator_bench_policies";
    static final double GOAL_MS = 1000;
    static final double GOAL_RATIO = 1.2;
    static final int MAX_MODELS = 100_000;
    static final int MAX_SNAPSHOTS = 10_000;
    static final int MAX_REPETITIONS = 50;
    static final long SAMPLES_PER_SNAPSHOT = 1000;
    /** Parallel generators (the machine this is sized for has 2 cores). */
    static final int WORKERS = 2;
    static final ThresholdCondition CONDITION = new ThresholdCondition("accuracy", Aggregate.MEAN, Window.of(Duration.ofHours(6)),
            ThresholdCondition.Direction.BELOW, 0.85, 0.86, SAMPLES_PER_SNAPSHOT);

    @Mixin
    ConfigOption config;

    @Option(names = "--models", paramLabel = "M", defaultValue = "10000", description = "models, one policy each (default ${DEFAULT-VALUE})")
    int models;

    @Option(names = "--snapshots", paramLabel = "S", defaultValue = "100", description = "hourly snapshots per model at first (default ${DEFAULT-VALUE})")
    int snapshots;

    @Option(names = "--history-factor", paramLabel = "F", defaultValue = "10",
            description = "history multiple of the second run; 1 skips it (default ${DEFAULT-VALUE})")
    int factor;

    @Option(names = "--repetitions", paramLabel = "R", defaultValue = "5",
            description = "timed passes after the warm-up pass, per history (default ${DEFAULT-VALUE}, at least 3)")
    int repetitions;

    @Option(names = "--keep", description = "keep the scratch database " + DATABASE + " afterwards")
    boolean keep;

    @Mixin
    JsonOption json;

    /** {@code cpuMs}: the evaluator's process CPU per pass (all its threads, the JIT and GC included; not the database's). */
    record Timing(long snapshotsPerModel, long totalSnapshots, double generationSeconds, Repetitions passMs, Repetitions cpuMs,
                  int evaluated, Map<String, Long> medianPhases) {
        double medianMs() {
            return passMs.median();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (models < 1 || models > MAX_MODELS) throw new UsageException("--models must be from 1 to " + MAX_MODELS);
        if (snapshots < 1 || snapshots > MAX_SNAPSHOTS) throw new UsageException("--snapshots must be from 1 to " + MAX_SNAPSHOTS);
        if (factor < 1 || factor > 100) throw new UsageException("--history-factor must be from 1 to 100");
        if (repetitions < Repetitions.MIN_REPETITIONS || repetitions > MAX_REPETITIONS) {
            throw new UsageException("--repetitions must be from " + Repetitions.MIN_REPETITIONS + " to " + MAX_REPETITIONS);
        }
        Instant newest = Instant.now().truncatedTo(ChronoUnit.HOURS);
        OrchestratorConfig cfg = config.load();
        try (Database server = DatabaseConnector.open(cfg);
             ScratchDatabase scratch = ScratchDatabase.create(server, DATABASE, WORKERS + 2, keep);
             ConditionPool sqlConditions = new ConditionPool(scratch.jdbi(), scratch.url(), cfg.policySqlPassword())) {
            say("bench policies: %d models x %d hourly snapshots%s; one policy per model: %s (scratch database %s on %s)%n",
                    models, snapshots, factor > 1 ? ", then x" + factor + " history" : "", CONDITION.describe(), DATABASE,
                    server.description());
            Jdbi jdbi = scratch.jdbi();
            MachineFacts machine = MachineFacts.measuredOnScratch(jdbi, Repetitions.MIN_REPETITIONS);
            say("%s", machine.text());
            BenchData data = new BenchData(jdbi, newest);
            long t0 = System.nanoTime();
            data.createModelsAndPolicies(models, policySpecs());
            data.createSnapshots(0, snapshots, WORKERS);
            Timing base = measure(jdbi, sqlConditions, snapshots, seconds(t0));
            report("1x", base);

            Timing longer = null;
            if (factor > 1) {
                long t1 = System.nanoTime();
                data.createSnapshots(snapshots, (long) snapshots * factor, WORKERS);
                longer = measure(jdbi, sqlConditions, (long) snapshots * factor, seconds(t1));
                report(factor + "x", longer);
            }

            // the baseline of the longer history is the base history's pass, measured in the same run
            Repetitions ratio = longer == null ? null : longer.passMs().over(base.passMs());
            if (json.enabled()) {
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("bench", "policies");
                out.put("models", models);
                out.put("policy", CONDITION.describe());
                out.set("machine", machine.toJson());
                out.set("base", timingJson(base));
                out.put("history_factor", factor);
                if (longer != null) {
                    out.set("longer_history", timingJson(longer));
                    out.put("ratio", Repetitions.round(ratio.median()));
                    out.set("ratio_spread", ratio.toJson());
                }
                out.putObject("goals").put("pass_ms_under", GOAL_MS).put("ratio_at_most", GOAL_RATIO);
                System.out.println(Json.MAPPER.writeValueAsString(out));
            } else {
                System.out.printf("one pass over %d policies with %d snapshots/model: %s (goal: under %.0f ms)%n",
                        base.evaluated(), base.snapshotsPerModel(), base.passMs().text(), GOAL_MS);
                if (longer != null) {
                    System.out.printf("with %d snapshots/model: %s; ratio to the base history %s (goal at most %.1f)%n",
                            longer.snapshotsPerModel(), longer.passMs().text(), ratio.text(), GOAL_RATIO);
                }
            }
        }
        return ExitCode.OK;
    }

    /** A valid experiment spec (the built-in sphere objective), as a breach would enqueue. */
    static com.fasterxml.jackson.databind.node.ObjectNode benchExperiment(String model) {
        com.fasterxml.jackson.databind.node.ObjectNode spec = Json.MAPPER.createObjectNode().put("model", model);
        spec.putObject("objective").put("metric", "loss").put("direction", "minimize");
        spec.putObject("strategy").put("name", "random");
        spec.putObject("budget").put("trials", 2);
        spec.putObject("space").putObject("x").put("type", "float").put("low", -1.0).put("high", 1.0);
        spec.putObject("trainer").put("type", "function").put("function", "sphere");
        return spec;
    }

    private List<PolicySpec> policySpecs() {
        List<PolicySpec> specs = new ArrayList<>(models);
        for (int i = 1; i <= models; i++) {
            String model = String.format("bench-%06d", i);
            specs.add(new PolicySpec("bench-accuracy-floor-" + i, model, List.of(CONDITION), Duration.ofMinutes(30),
                    Duration.ofHours(24), benchExperiment(model)));
        }
        return specs;
    }

    private Timing measure(Jdbi jdbi, ConditionPool sqlConditions, long perModel, double generationSeconds) {
        PolicyEvaluator evaluator = new PolicyEvaluator(jdbi, sqlConditions, Clock.systemUTC(), PolicyObserver.NONE);
        List<PolicyEvaluator.PassResult> results = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        // the warm-up creates the states, parses the specs, warms the JIT and the caches: reported apart
        Repetitions passes = Repetitions.measure("ms", repetitions, () -> {
            long c = processCpuNanos();
            long t = System.nanoTime();
            results.add(evaluator.evaluateOnce());
            double ms = (System.nanoTime() - t) / 1e6;
            cpu.add((processCpuNanos() - c) / 1e6);
            return ms;
        });
        Repetitions cpuMs = new Repetitions("ms", cpu.get(0), cpu.subList(1, cpu.size()).stream().mapToDouble(Double::doubleValue).toArray());
        double[] timed = passes.values();
        int median = java.util.stream.IntStream.range(0, timed.length).boxed()
                .sorted((x, y) -> Double.compare(timed[x], timed[y])).toList().get(timed.length / 2);
        PolicyEvaluator.PassResult medianPass = results.get(median + 1);
        return new Timing(perModel, perModel * models, generationSeconds, passes, cpuMs, medianPass.evaluated(), medianPass.phaseMillis());
    }

    /** CPU time of this JVM so far; a pass's share is what it adds (the machine's other work does not count, waiting for a core neither). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void report(String label, Timing t) {
        say("%s history: %d snapshots/model (%,d snapshots, generated in %.1f s): one pass %s; the median pass's phases %s ms;"
                        + " the evaluator's CPU per pass %s%n",
                label, t.snapshotsPerModel(), t.totalSnapshots(), t.generationSeconds(), t.passMs().text(), t.medianPhases(),
                t.cpuMs().text());
    }

    private ObjectNode timingJson(Timing t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("snapshots_per_model", t.snapshotsPerModel());
        n.put("snapshots", t.totalSnapshots());
        n.put("generation_seconds", t.generationSeconds());
        n.put("pass_ms_median", Repetitions.round(t.medianMs()));
        n.set("pass_ms", t.passMs().toJson());
        n.set("evaluator_cpu_ms", t.cpuMs().toJson());
        n.put("policies_evaluated", t.evaluated());
        ObjectNode phases = n.putObject("phase_ms");
        t.medianPhases().forEach(phases::put);
        return n;
    }

    private void say(String format, Object... args) {
        (json.enabled() ? System.err : System.out).printf(format, args);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Writes the generated fleet with INSERT ... SELECT over generate_series, in parallel by model. */
    private record BenchData(Jdbi jdbi, Instant newest) {
        private static final String MODELS = SqlFiles.load(PolicyBenchCommand.class, "CreateModels");
        private static final String POLICIES = SqlFiles.load(PolicyBenchCommand.class, "CreatePolicies");
        private static final String SNAPSHOTS = SqlFiles.load(PolicyBenchCommand.class, "CreateSnapshots");
        private static final String PARTITIONS = SqlFiles.load(PolicyBenchCommand.class, "EnsurePartitions");

        void createModelsAndPolicies(int count, List<PolicySpec> specs) {
            jdbi.useTransaction(h -> {
                h.createUpdate(MODELS).bind("models", count).execute();
                h.createUpdate(POLICIES)
                        .bindArray("names", String.class, specs.stream().map(PolicySpec::name).toList())
                        .bindArray("models", String.class, specs.stream().map(PolicySpec::model).toList())
                        .bindArray("specs", String.class, specs.stream().map(s -> s.toJson().toString()).toList())
                        .bindArray("shas", String.class, specs.stream().map(PolicySpec::sha256).toList())
                        .execute();
            });
        }

        /** Hours {@code fromHour} (inclusive) to {@code toHour} (exclusive) before the newest, for every model. */
        void createSnapshots(long fromHour, long toHour, int workers) throws Exception {
            jdbi.useHandle(h -> h.createQuery(PARTITIONS)
                    .bind("oldest", SqlValues.utc(newest.minus(Duration.ofHours(toHour - 1))))
                    .bind("newest", SqlValues.utc(newest.minus(Duration.ofHours(fromHour))))
                    .mapTo(Long.class).one());
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<?>> parts = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    parts.add(pool.submit(() -> jdbi.useHandle(h -> h.createUpdate(SNAPSHOTS)
                            .bind("newest", SqlValues.utc(newest)).bind("samples", SAMPLES_PER_SNAPSHOT)
                            .bind("from_hour", fromHour).bind("to_hour", toHour)
                            .bind("workers", workers).bind("worker", worker)
                            .execute())));
                }
                for (Future<?> f : parts) f.get();
            } finally {
                pool.shutdown();
            }
            // as a settled production database would be: autovacuum has set the visibility map (so the
            // evaluation's index-only scans skip the heap) and the generation's writes are checkpointed
            jdbi.useHandle(h -> {
                h.execute("VACUUM ANALYZE orchestrator.metric_snapshot");
                h.execute("VACUUM ANALYZE orchestrator.metric_value");
                h.execute("CHECKPOINT");
            });
        }
    }
}
