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
import java.util.Arrays;
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
 * again; prints both and their ratio. A pass is timed {@link #TIMED_PASSES} times after one
 * warm-up pass (which creates the states and fills the spec cache) and the median is reported.
 */
@Command(name = "policies", description = "Time one evaluation pass of one threshold policy per model, with S and then history-factor x S snapshots per model.")
public final class PolicyBenchCommand implements Callable<Integer> {
    static final String DATABASE = "orchestrator_bench_policies";
    static final int TIMED_PASSES = 5;
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

    @Option(names = "--history-factor", paramLabel = "F", defaultValue = "10", description = "history multiple of the second run (default ${DEFAULT-VALUE})")
    int factor;

    @Option(names = "--keep", description = "keep the scratch database " + DATABASE + " afterwards")
    boolean keep;

    @Mixin
    JsonOption json;

    record Timing(long snapshotsPerModel, long totalSnapshots, double generationSeconds, double medianMs, double[] passesMs,
                  int evaluated, Map<String, Long> medianPhases) {
    }

    @Override
    public Integer call() throws Exception {
        if (models < 1 || models > 99_999) throw new UsageException("--models must be 1-99999");
        if (snapshots < 1) throw new UsageException("--snapshots must be at least 1");
        if (factor < 2) throw new UsageException("--history-factor must be at least 2");
        Instant newest = Instant.now().truncatedTo(ChronoUnit.HOURS);
        OrchestratorConfig cfg = config.load();
        try (Database server = DatabaseConnector.open(cfg);
             ScratchDatabase scratch = ScratchDatabase.create(server, DATABASE, WORKERS + 2, keep);
             ConditionPool sqlConditions = new ConditionPool(scratch.jdbi(), scratch.url(), cfg.policySqlPassword())) {
            say("bench policies: %d models x %d hourly snapshots, then x%d history; one policy per model: %s (scratch database %s on %s)%n",
                    models, snapshots, factor, CONDITION.describe(), DATABASE, server.description());
            Jdbi jdbi = scratch.jdbi();
            BenchData data = new BenchData(jdbi, newest);
            long t0 = System.nanoTime();
            data.createModelsAndPolicies(models, policySpecs());
            data.createSnapshots(0, snapshots, WORKERS);
            Timing base = measure(jdbi, sqlConditions, snapshots, seconds(t0));
            report("1x", base);

            long t1 = System.nanoTime();
            data.createSnapshots(snapshots, (long) snapshots * factor, WORKERS);
            Timing longer = measure(jdbi, sqlConditions, (long) snapshots * factor, seconds(t1));
            report(factor + "x", longer);

            double ratio = longer.medianMs() / base.medianMs();
            if (json.enabled()) {
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("models", models);
                out.put("policy", CONDITION.describe());
                out.set("base", timingJson(base));
                out.set("longer_history", timingJson(longer));
                out.put("history_factor", factor);
                out.put("ratio", ratio);
                System.out.println(Json.MAPPER.writeValueAsString(out));
            } else {
                System.out.printf("one pass over %d policies: %.0f ms with %d snapshots/model, %.0f ms with %d snapshots/model;"
                                + " ratio %.2f (goals: under 1000 ms, ratio at most 1.5)%n",
                        base.evaluated(), base.medianMs(), base.snapshotsPerModel(), longer.medianMs(), longer.snapshotsPerModel(), ratio);
            }
        }
        return ExitCode.OK;
    }

    /** A valid experiment spec (the built-in sphere objective), as a breach would enqueue. */
    private static com.fasterxml.jackson.databind.node.ObjectNode benchExperiment(String model) {
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
            String model = String.format("bench-%05d", i);
            specs.add(new PolicySpec("bench-accuracy-floor-" + i, model, List.of(CONDITION), Duration.ofMinutes(30),
                    Duration.ofHours(24), benchExperiment(model)));
        }
        return specs;
    }

    private Timing measure(Jdbi jdbi, ConditionPool sqlConditions, long perModel, double generationSeconds) {
        PolicyEvaluator evaluator = new PolicyEvaluator(jdbi, sqlConditions, Clock.systemUTC(), PolicyObserver.NONE);
        evaluator.evaluateOnce(); // warm-up: creates the states, parses the specs, warms the JIT and the caches
        double[] passes = new double[TIMED_PASSES];
        List<PolicyEvaluator.PassResult> results = new ArrayList<>();
        for (int i = 0; i < TIMED_PASSES; i++) {
            long t = System.nanoTime();
            results.add(evaluator.evaluateOnce());
            passes[i] = (System.nanoTime() - t) / 1e6;
        }
        int median = java.util.stream.IntStream.range(0, TIMED_PASSES).boxed()
                .sorted((x, y) -> Double.compare(passes[x], passes[y])).toList().get(TIMED_PASSES / 2);
        return new Timing(perModel, perModel * models, generationSeconds, passes[median], passes, results.get(median).evaluated(),
                results.get(median).phaseMillis());
    }

    private void report(String label, Timing t) {
        say("%s history: %d snapshots/model (%,d snapshots, generated in %.1f s): one pass %.0f ms (median of %s ms; phases %s ms)%n",
                label, t.snapshotsPerModel(), t.totalSnapshots(), t.generationSeconds(), t.medianMs(),
                Arrays.toString(Arrays.stream(t.passesMs()).map(Math::round).toArray()), t.medianPhases());
    }

    private ObjectNode timingJson(Timing t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("snapshots_per_model", t.snapshotsPerModel());
        n.put("snapshots", t.totalSnapshots());
        n.put("generation_seconds", t.generationSeconds());
        n.put("pass_ms_median", t.medianMs());
        var passes = n.putArray("pass_ms");
        for (double p : t.passesMs()) passes.add(p);
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
