package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.spec.DriftMethod;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code orchestrator bench drift}: M models with F numeric features of B bins each, a reference per
 * feature and one hourly histogram per feature (scored by the database's trigger as it is written,
 * as ingest would), one drift policy per model ({@code psi} of all features over the last hour).
 * Times one evaluation pass; then adds (factor - 1) older hours of histograms and times a pass
 * again; prints both and their ratio, with the warm-up apart and the machine facts.
 */
@Command(name = "drift", description = "Time one policy pass with a drift condition on every model (M models x F features x B bins),"
        + " then again with history-factor x the histograms.")
public final class DriftBenchCommand implements Callable<Integer> {
    static final String DATABASE = "orchestrator_bench_drift";
    static final double GOAL_MS = 1000;
    static final double GOAL_RATIO = 1.5;
    static final int MAX_MODELS = 100_000;
    static final int MAX_REPETITIONS = 50;
    /** Every DRIFT_EVERY-th model drifts in the newest hour, so the pass fires for a tenth of the fleet. */
    static final int DRIFT_EVERY = 10;
    static final int WORKERS = 2;
    static final DriftCondition CONDITION = new DriftCondition(null, DriftMethod.PSI, 0.2, null, Duration.ofHours(1), 0, null);
    private static final String MODELS = SqlFiles.load(PolicyBenchCommand.class, "CreateModels");
    private static final String POLICIES = SqlFiles.load(PolicyBenchCommand.class, "CreatePolicies");
    private static final String REFERENCES = SqlFiles.load(DriftBenchCommand.class, "BenchDriftReferences");
    private static final String HISTOGRAMS = SqlFiles.load(DriftBenchCommand.class, "BenchDriftHistograms");

    @Mixin
    ConfigOption config;

    @Option(names = "--models", paramLabel = "M", defaultValue = "10000", description = "models, one drift policy each (default ${DEFAULT-VALUE})")
    int models;

    @Option(names = "--features", paramLabel = "F", defaultValue = "50", description = "features per model (default ${DEFAULT-VALUE})")
    int features;

    @Option(names = "--bins", paramLabel = "B", defaultValue = "20", description = "bins per histogram (default ${DEFAULT-VALUE})")
    int bins;

    @Option(names = "--history-factor", paramLabel = "X", defaultValue = "10",
            description = "hours of histograms in the second run; 1 skips it (default ${DEFAULT-VALUE})")
    int factor;

    @Option(names = "--repetitions", paramLabel = "R", defaultValue = "5",
            description = "timed passes after the warm-up pass, per history (default ${DEFAULT-VALUE}, at least 3)")
    int repetitions;

    @Option(names = "--keep", description = "keep the scratch database " + DATABASE + " afterwards")
    boolean keep;

    @Mixin
    JsonOption json;

    /** jvmCpuMs and serverCpuMs: the CPU each timed pass cost this JVM and the database server (null: not on this machine). */
    record Timing(long hours, long histograms, double generationSeconds, Repetitions passMs, int evaluated, int fired,
                  Map<String, Long> medianPhases, Repetitions jvmCpuMs, Repetitions serverCpuMs) {
    }

    @Override
    public Integer call() throws Exception {
        if (models < 1 || models > MAX_MODELS) throw new UsageException("--models must be from 1 to " + MAX_MODELS);
        if (features < 1 || features > 99) throw new UsageException("--features must be from 1 to 99");
        if (bins < 2 || bins > 1000) throw new UsageException("--bins must be from 2 to 1000");
        if (factor < 1 || factor > 100) throw new UsageException("--history-factor must be from 1 to 100");
        if (repetitions < Repetitions.MIN_REPETITIONS || repetitions > MAX_REPETITIONS) {
            throw new UsageException("--repetitions must be from " + Repetitions.MIN_REPETITIONS + " to " + MAX_REPETITIONS);
        }
        Instant newest = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant at = newest.plus(Duration.ofMinutes(30));
        OrchestratorConfig cfg = config.load();
        try (Database server = DatabaseConnector.open(cfg);
             ScratchDatabase scratch = ScratchDatabase.create(server, DATABASE, WORKERS + 2, keep);
             ConditionPool sqlConditions = new ConditionPool(scratch.jdbi(), scratch.url(), cfg.policySqlPassword())) {
            say("bench drift: %d models x %d features x %d bins, hourly histograms%s; one policy per model: %s (scratch database %s on %s)%n",
                    models, features, bins, factor > 1 ? ", then x" + factor + " history" : "", CONDITION.describe(), DATABASE,
                    server.description());
            Jdbi jdbi = scratch.jdbi();
            MachineFacts machine = MachineFacts.measuredOnScratch(jdbi, Repetitions.MIN_REPETITIONS);
            say("%s", machine.text());
            long t0 = System.nanoTime();
            createModelsPoliciesAndReferences(jdbi);
            createHistograms(jdbi, newest, 0, 1);
            Timing base = measure(jdbi, sqlConditions, at, 1, seconds(t0));
            report("1x", base);
            Timing longer = null;
            if (factor > 1) {
                long t1 = System.nanoTime();
                createHistograms(jdbi, newest, 1, factor);
                longer = measure(jdbi, sqlConditions, at, factor, seconds(t1));
                report(factor + "x", longer);
            }
            Repetitions ratio = longer == null ? null : longer.passMs().over(base.passMs());
            if (json.enabled()) {
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("bench", "drift");
                out.put("models", models);
                out.put("features", features);
                out.put("bins", bins);
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
                System.out.printf("one pass over %d drift policies (%,d histograms in their windows): %s (goal: under %.0f ms)%n",
                        base.evaluated(), (long) models * features, base.passMs().text(), GOAL_MS);
                if (longer != null) {
                    System.out.printf("with %d hours of histograms (%,d): %s; ratio to the base history %s (goal at most %.1f)%n",
                            longer.hours(), longer.histograms(), longer.passMs().text(), ratio.text(), GOAL_RATIO);
                }
            }
        }
        return ExitCode.OK;
    }

    private void createModelsPoliciesAndReferences(Jdbi jdbi) {
        List<PolicySpec> specs = new ArrayList<>(models);
        for (int i = 1; i <= models; i++) {
            String model = String.format("bench-%06d", i);
            specs.add(new PolicySpec("bench-drift-" + i, model, List.of(CONDITION), Duration.ZERO, Duration.ofHours(24),
                    PolicyBenchCommand.benchExperiment(model)));
        }
        jdbi.useTransaction(h -> {
            h.createUpdate(MODELS).bind("models", models).execute();
            h.createUpdate(POLICIES)
                    .bindArray("names", String.class, specs.stream().map(PolicySpec::name).toList())
                    .bindArray("models", String.class, specs.stream().map(PolicySpec::model).toList())
                    .bindArray("specs", String.class, specs.stream().map(s -> s.toJson().toString()).toList())
                    .bindArray("shas", String.class, specs.stream().map(PolicySpec::sha256).toList())
                    .execute();
            h.createUpdate(REFERENCES).bind("features", features).bind("bins", bins).execute();
        });
    }

    /** Hours {@code fromHour} (inclusive) to {@code toHour} (exclusive) before the newest, an hour per statement and worker. */
    private void createHistograms(Jdbi jdbi, Instant newest, int fromHour, int toHour) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            for (int hour = fromHour; hour < toHour; hour++) {
                List<Future<?>> parts = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    int h = hour;
                    parts.add(pool.submit(() -> jdbi.useHandle(handle -> handle.createUpdate(HISTOGRAMS)
                            .bind("newest", newest.atOffset(ZoneOffset.UTC)).bind("from_hour", h).bind("to_hour", h + 1)
                            .bind("features", features).bind("bins", bins).bind("drift_every", DRIFT_EVERY)
                            .bind("workers", WORKERS).bind("worker", worker)
                            .execute())));
                }
                for (Future<?> f : parts) f.get();
            }
        } finally {
            pool.shutdown();
        }
        // as a settled production database would be: vacuumed, analysed and checkpointed
        jdbi.useHandle(h -> {
            h.execute("VACUUM ANALYZE orchestrator.distribution_snapshot");
            h.execute("VACUUM ANALYZE orchestrator.distribution_score");
            h.execute("VACUUM ANALYZE orchestrator.reference_distribution");
            h.execute("CHECKPOINT");
        });
    }

    private Timing measure(Jdbi jdbi, ConditionPool sqlConditions, Instant at, int hours, double generationSeconds) {
        PolicyEvaluator evaluator = new PolicyEvaluator(jdbi, sqlConditions, Clock.fixed(at, ZoneOffset.UTC), PolicyObserver.NONE);
        List<PolicyEvaluator.PassResult> results = new ArrayList<>();
        List<PassCpu.Spent> cpu = new ArrayList<>();
        PassCpu cpuClock = PassCpu.of(jdbi);
        // the warm-up creates the states, records the firings with their evidence and parses the specs: reported apart
        Repetitions passes = Repetitions.measure("ms", repetitions, () -> {
            PassCpu.Sample before = cpuClock.sample();
            long t = System.nanoTime();
            results.add(evaluator.evaluateOnce());
            double ms = (System.nanoTime() - t) / 1e6;
            cpu.add(PassCpu.between(before, cpuClock.sample()));
            return ms;
        });
        double[] timed = passes.values();
        int median = java.util.stream.IntStream.range(0, timed.length).boxed()
                .sorted((x, y) -> Double.compare(timed[x], timed[y])).toList().get(timed.length / 2);
        PolicyEvaluator.PassResult medianPass = results.get(median + 1);
        long fired = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.policy_state WHERE state = 'firing'")
                .mapTo(Long.class).one());
        List<PassCpu.Spent> timedCpu = cpu.subList(1, cpu.size());
        Repetitions jvmCpu = new Repetitions("ms", cpu.get(0).jvmMs(), timedCpu.stream().mapToDouble(PassCpu.Spent::jvmMs).toArray());
        Repetitions serverCpu = cpu.stream().anyMatch(c -> c.serverMs() == null) ? null
                : new Repetitions("ms", cpu.get(0).serverMs(), timedCpu.stream().mapToDouble(PassCpu.Spent::serverMs).toArray());
        return new Timing(hours, (long) hours * models * features, generationSeconds, passes, medianPass.evaluated(), (int) fired,
                medianPass.phaseMillis(), jvmCpu, serverCpu);
    }

    private void report(String label, Timing t) {
        say("%s history: %d hour(s) of histograms (%,d, generated and scored in %.1f s): one pass %s; %d policies firing;"
                + " the median pass's phases %s ms; CPU per pass: this JVM %s, database server %s%n", label, t.hours(), t.histograms(),
                t.generationSeconds(), t.passMs().text(), t.fired(), t.medianPhases(), t.jvmCpuMs().text(),
                t.serverCpuMs() == null ? "not measurable (not a local Linux server)" : t.serverCpuMs().text());
    }

    private ObjectNode timingJson(Timing t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("hours", t.hours());
        n.put("histograms", t.histograms());
        n.put("generation_seconds", t.generationSeconds());
        n.put("pass_ms_median", Repetitions.round(t.passMs().median()));
        n.set("pass_ms", t.passMs().toJson());
        n.put("policies_evaluated", t.evaluated());
        n.put("policies_firing", t.fired());
        ObjectNode phases = n.putObject("phase_ms");
        t.medianPhases().forEach(phases::put);
        n.set("jvm_cpu_ms", t.jvmCpuMs().toJson());
        if (t.serverCpuMs() != null) n.set("server_cpu_ms", t.serverCpuMs().toJson());
        return n;
    }

    private void say(String format, Object... args) {
        (json.enabled() ? System.err : System.out).printf(format, args);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
