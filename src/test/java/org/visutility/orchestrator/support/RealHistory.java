package org.visutility.orchestrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.collect.CollectModule;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.handoff.PromotionModule;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.ops.OpsModule;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.PolicyObserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small but complete history made only by the real interfaces, for the tests of what analysts
 * read (docs/lineage.md): snapshots through {@code POST /api/v1/snapshots} of a running node and a
 * CSV through {@code ingest}; {@code policies apply} twice (a threshold change makes version 2);
 * the policy evaluator on a test clock, so that firings, resolutions and the guards that hold a
 * firing back (an open experiment, a cooldown) happen at chosen instants; experiments with real
 * trainers (command scripts, the built-in trainer on shipped data, a failing trainer) searched by
 * random, grid and TPE; {@code experiments submit} and {@code cancel}; a run whose engine failed,
 * restarted by {@code ops restart}; a node killed with SIGKILL in a trial and its run rescued by
 * another node; the challenger gate, the serving stack's first snapshots of the approved version
 * and the verification that judges the retrain.
 *
 * <p>The policy timeline runs on the test clock, hours before the moment the fixture is built
 * ({@link #origin}): the snapshots are observed then. Experiments run and versions change in real
 * time, after it; the last evaluations happen after them (the cooldown, the verification, the
 * enqueue the cooldown let through). What it builds, by model:
 * <ul>
 * <li>{@code ranker}: experiments submitted by hand, no policy: {@link #killed} (random search,
 * command trainer; its node was killed in trial {@value #HELD_TRIAL}, another node rescued it),
 * {@link #restarted} (random search; the engine failed in trial 2, {@code ops restart} finished
 * it), {@link #cancelled} ({@code experiments cancel} while its first trial ran), {@link #retried}
 * (a trainer failed trial 1 until fixed: max_failed failed the run, {@code ops restart
 * --retry-failed} finished it), {@link #abandoned} (its engine failed at once; {@code ops abandon}),
 * {@link #next} (submitted last with {@code --supersedes} the abandoned run, left queued); snapshots over HTTP from
 * source {@code shadow}.</li>
 * <li>{@code legacy}: snapshots that stopped two days before.</li>
 * <li>{@code pricing}: {@link #pareto}: two objectives (accuracy maximised, latency_ms minimised), NSGA-II, a command
 * trainer; the best set is chosen from the Pareto front under {@code latency_ms <= 20}; no gate (approved, never served).</li>
 * <li>{@code screening}: {@link #builtin}: grid search of the built-in trainer on the shipped
 * breast cancer data, no gate (approved, never served).</li>
 * <li>{@code churn}: snapshots over HTTP in segments {@code eu} and {@code us}, source
 * {@code serving}; v1 serves (registered by its first snapshots, its artifact by
 * {@code models register}). Policy {@value #CHURN_POLICY} (version 1: below 0.78; version 2: below
 * 0.85) fires, enqueues {@link #churnRetrain}, resolves, fires again while that experiment is
 * still queued (held back by {@code open_experiment}); the experiment (TPE, command trainer, gated
 * by a command evaluator on the loss) produces a version the gate approves; the promotion hand-off
 * tells the serving stack (a command hook); the version's first snapshots make it active; the
 * verification judges it {@code recovered}.</li>
 * <li>{@code fraud}: snapshots by a CSV file ({@code ingest --on-changed-value revise}), source
 * {@code batch-eval}. Policy {@value #FRAUD_POLICY} fires and enqueues {@link #fraudRetrain}, whose
 * trainer fails every trial (max_failed: the run fails); fires again within the cooldown after it
 * (held back by {@code cooldown}); a corrected CSV then revises the window the first firing read
 * (late chargebacks: above the line after all), and the pass that ends the cooldown reviews that
 * firing ({@code still_holds} false) and enqueues {@link #fraudRequeued} (superseding the failed
 * run), which succeeds.</li>
 * <li>{@code credit}: hourly histograms of three inputs and the score through {@code POST /api/v1/distributions}
 * ({@link CreditDrift}); the first hours register c1 before {@code references set} gives it a reference and a
 * calibration. Policy {@value CreditDrift#DRIFT_POLICY} (PSI on the listed inputs, reconciled with accuracy below
 * 0.85) fires when the inputs and scores move ({@link #creditFired}), resolves, fires again when only the inputs move
 * ({@link #creditFiredAgain}, held back by its queued experiment); policy {@value CreditDrift#ESTIMATED_POLICY}
 * (CBPE accuracy below 0.8) fires with the first. The labels of the older hours land late (snapshots over HTTP,
 * before the last pass): the first firing of the drift rule is {@code confirmed}, the estimate's {@code revised}
 * (0.82 is not below 0.8), the second drift firing {@code pending} (no label yet).</li>
 * </ul>
 */
public final class RealHistory {
    public static final String CHURN_POLICY = "churn-accuracy-floor";
    public static final String FRAUD_POLICY = "fraud-accuracy-floor";
    public static final int HELD_TRIAL = 2;
    /** The fraud window (hours before {@link #origin}) that the first fraud firing read, revised later by late chargebacks. */
    public static final int FRAUD_REVISED_HOURS_AGO = 18;
    /** Short, so that the fixture waits for it to pass in real time (the enqueue it lets through runs at once). */
    public static final Duration FRAUD_COOLDOWN = Duration.ofSeconds(5);
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    public final TestDatabase db;
    /** The fixture's "now" when it started: snapshots are observed before it, the policy timeline runs before it. */
    public final Instant origin;
    public final MutableClock clock;
    public long killed;
    public long restarted;
    public long builtin;
    public long cancelled;
    public long retried;
    public long abandoned;
    public long churnRetrain;
    public long fraudRetrain;
    public long fraudRequeued;
    /** Submitted last, left queued. */
    public long next;
    /** pricing: two objectives (accuracy, latency_ms), NSGA-II, the best set chosen under latency_ms <= 20. */
    public long pareto;
    /** When the churn policy fired, and fired again while its experiment was queued. */
    public Instant churnFired;
    public Instant churnFiredAgain;
    public Instant fraudFired;
    public Instant fraudFiredAgain;
    /** When both credit rules fired (inputs and scores moved), and when the drift rule fired again (inputs only). */
    public Instant creditFired;
    public Instant creditFiredAgain;
    /** How long building took. */
    public Duration took;

    private final Path dir;
    private final Map<String, String> settings;
    private final CreditDrift credit;
    private ConditionPool sqlConditions;
    private PolicyEvaluator evaluator;

    private RealHistory(TestDatabase db, Path dir) {
        this.db = db;
        this.dir = dir;
        this.origin = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        this.clock = new MutableClock(origin.minus(Duration.ofHours(30)));
        this.credit = new CreditDrift(origin);
        Map<String, String> s = new HashMap<>(NodeBoundTrial.FAST);
        // the policy timeline is the test clock's: no clustered pass may evaluate at the wall clock meanwhile
        s.put("ORCHESTRATOR_POLICY_INTERVAL", "1d");
        this.settings = Map.copyOf(s);
    }

    /**
     * Builds the history in {@code db} (a fresh migrated database of the caller's; its roles are created here), with
     * {@code dir} for scripts, specs, data and the nodes' folders. About 25 s on a quiet machine: a child JVM is started
     * and killed, two nodes run in this JVM.
     */
    public static RealHistory build(TestDatabase db, Path dir) throws Exception {
        Instant start = Instant.now();
        RealHistory h = new RealHistory(db, dir);
        db.createRoles();
        h.sqlConditions = new ConditionPool(db.jdbi(), db.url(), Optional.of(TestDatabase.POLICY_SQL_PASSWORD));
        h.evaluator = new PolicyEvaluator(db.jdbi(), h.sqlConditions, h.clock, PolicyObserver.NONE);
        try {
            h.handSubmittedRuns();
            h.policyTimeline();
        } finally {
            h.sqlConditions.close();
        }
        h.took = Duration.between(start, Instant.now());
        return h;
    }

    // ---------------------------------------------------------------- ranker and screening: runs submitted by hand

    private void handSubmittedRuns() throws Exception {
        Path trainer = script("train_ranker.sh", """
                set -eu
                if [ "$ORCH_EXPERIMENT_ID" = "$(cat %s 2>/dev/null || echo none)" ] && [ "$ORCH_TRIAL_NUMBER" = %d ] \\
                   && [ "$ORCH_TRIAL_ATTEMPT" = 1 ]; then
                  touch "%s"
                  while kill -0 $PPID 2>/dev/null; do sleep 0.1; done
                  exit 1
                fi
                x=0; n=1
                for a in "$@"; do case "$a" in --x=*) x="${a#--x=}" ;; --n=*) n="${a#--n=}" ;; esac; done
                awk -v x="$x" -v n="$n" 'BEGIN { printf "{\\"loss\\": %%.6f, \\"ndcg\\": %%.6f}\\n", x * x + n / 10, 1 / (1 + x * x) }'
                """.formatted(dir.resolve("held-experiment"), HELD_TRIAL, dir.resolve("held.started")));
        killed = submit("ranker-killed.yaml", """
                name: ranker, random search
                model: ranker
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 5}
                budget: {trials: 5}
                space:
                  x: {type: float, low: -1.0, high: 1.0}
                  n: {type: int, low: 1, high: 9}
                trainer: {type: command, command: [sh, %s], timeout: 1m}
                """.formatted(trainer));
        Files.writeString(dir.resolve("held-experiment"), Long.toString(killed));

        // node A takes the run and is killed with SIGKILL while trial 2 runs
        Map<String, String> envA = new HashMap<>(db.environment(settings));
        envA.put("ORCHESTRATOR_HOME", dir.resolve("node-a").toString());
        // a quick-starting JVM: node A lives for a few trials only
        try (ChildNode a = ChildNode.start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), envA, dir.resolve("node-a.log"), "serve")) {
            a.awaitServing(PATIENCE);
            Await.until("trial " + HELD_TRIAL + " to run on node A", PATIENCE, () -> Files.exists(dir.resolve("held.started")),
                    () -> ":\n" + a.outputOrError());
            a.kill();
        }

        // node B rescues it, then runs what is submitted while it serves
        try (Node b = Node.start(Experiments.config(db, dir.resolve("node-b"), settings).withHttpPort(0),
                List.of(new CollectModule(), new ExperimentModule(), new OpsModule()))) {
            awaitFinished(killed, ExperimentStatus.SUCCEEDED);

            restarted = submit("ranker-crash.yaml", """
                    name: ranker, a run whose engine fails
                    model: ranker
                    objective: {metric: loss, direction: minimize}
                    strategy: {name: random, seed: 11}
                    budget: {trials: 4}
                    space:
                      x: {type: float, low: 0.0, high: 1.0}
                    trainer: {type: test-fault, crash_at: 2}
                    """);
            awaitFinished(restarted, ExperimentStatus.FAILED);
            awaitJobEnded(restarted);
            Cli.Run restart = cli("ops", "restart", Long.toString(restarted), "--wait");
            check(restart, "ops restart");
            awaitFinished(restarted, ExperimentStatus.SUCCEEDED);

            builtin = submit("screening-grid.yaml", """
                    name: screening, grid over epochs
                    model: screening
                    objective: {metric: log_loss, direction: minimize}
                    strategy: {name: grid}
                    budget: {trials: 2}
                    space:
                      epochs: {type: int, low: 2, high: 3}
                    trainer: {type: builtin, algorithm: logistic_regression, dataset: breast_cancer, positive_label: malignant}
                    """);
            awaitFinished(builtin, ExperimentStatus.SUCCEEDED);

            Path slow = script("train_slowly.sh", """
                    touch "%s"
                    sleep 30
                    echo '{"loss": 1}'
                    """.formatted(dir.resolve("slow.started")));
            cancelled = submit("ranker-slow.yaml", """
                    name: ranker, cancelled
                    model: ranker
                    objective: {metric: loss, direction: minimize}
                    strategy: {name: random, seed: 3}
                    budget: {trials: 3}
                    space:
                      x: {type: float, low: 0.0, high: 1.0}
                    trainer: {type: command, command: [sh, %s], timeout: 1m}
                    """.formatted(slow));
            Await.until("the slow trial to start", PATIENCE, () -> Files.exists(dir.resolve("slow.started")));
            check(cli("experiments", "cancel", Long.toString(cancelled)), "experiments cancel");
            awaitFinished(cancelled, ExperimentStatus.CANCELLED);

            // a trainer that fails trial 1 until its cause is fixed: max_failed fails the run; fixed, a retry round finishes it
            Path flaky = script("train_flaky.sh", """
                    if [ "$ORCH_TRIAL_NUMBER" = 1 ] && [ ! -e "%s" ]; then
                      echo "CUDA error: out of memory" >&2
                      exit 1
                    fi
                    x=0
                    for a in "$@"; do case "$a" in --x=*) x="${a#--x=}" ;; esac; done
                    awk -v x="$x" 'BEGIN { printf "{\\"loss\\": %%.6f}\\n", (x - 0.3) * (x - 0.3) }'
                    """.formatted(dir.resolve("flaky.fixed")));
            retried = submit("ranker-flaky.yaml", """
                    name: ranker, retried
                    model: ranker
                    objective: {metric: loss, direction: minimize}
                    strategy: {name: random, seed: 2}
                    budget: {trials: 3, max_failed: 1}
                    space:
                      x: {type: float, low: 0.0, high: 1.0}
                    trainer: {type: command, command: [sh, %s], timeout: 1m}
                    """.formatted(flaky));
            awaitFinished(retried, ExperimentStatus.FAILED);
            awaitJobEnded(retried);
            Files.writeString(dir.resolve("flaky.fixed"), "fixed");
            check(cli("ops", "restart", Long.toString(retried), "--retry-failed", "--wait"), "ops restart --retry-failed");
            awaitFinished(retried, ExperimentStatus.SUCCEEDED);

            // a run whose engine fails at once, given up by ops
            abandoned = submit("ranker-abandoned.yaml", """
                    name: ranker, abandoned
                    model: ranker
                    objective: {metric: loss, direction: minimize}
                    strategy: {name: random, seed: 4}
                    budget: {trials: 2}
                    space:
                      x: {type: float, low: 0.0, high: 1.0}
                    trainer: {type: test-fault, crash_at: 0}
                    """);
            awaitFinished(abandoned, ExperimentStatus.FAILED);
            awaitJobEnded(abandoned);
            check(cli("ops", "abandon", Long.toString(abandoned)), "ops abandon");
            expectStatus(abandoned, ExperimentStatus.ABANDONED);

            // the ranker's own production numbers, from a shadow deployment
            SnapshotApi api = new SnapshotApi(b.httpPort());
            List<Map<String, Object>> shadow = new ArrayList<>();
            for (int i = 6; i >= 1; i--) {
                shadow.add(snapshot("ranker", "r1", origin.minus(Duration.ofHours(i)), 500, "", "shadow",
                        Map.of("ndcg", 0.70 + i / 100.0)));
            }
            post(api, shadow);
            // a model that stopped reporting two days ago
            List<Map<String, Object>> legacy = new ArrayList<>();
            for (int i = 72; i >= 48; i -= 6) {
                legacy.add(snapshot("legacy", "l1", origin.minus(Duration.ofHours(i)), 300, "", "serving", Map.of("accuracy", 0.88)));
            }
            post(api, legacy);
        }
    }

    // ---------------------------------------------------------------- churn and fraud: policies on the test clock

    private void policyTimeline() throws Exception {
        // node C ingests and hands approvals to the serving stack (a command hook that keeps what it was told). Quartz hands
        // it the cluster's other jobs (dispatch, rescue), which it refuses with a warning: nothing dispatches the experiments
        // the policies enqueue; the fixture runs each when the timeline says so
        Path told = Files.createDirectories(dir.resolve("serving-stack"));
        Path hook = script("deploy.sh", "cat > \"" + told + "/$(date +%s%N).json\"\n");
        Map<String, String> withHook = new HashMap<>(settings);
        withHook.put("ORCHESTRATOR_PROMOTION_COMMAND", "sh " + hook);
        try (Node c = Node.start(db.config(withHook).withHttpPort(0), List.of(new CollectModule(), new PromotionModule()))) {
            SnapshotApi api = new SnapshotApi(c.httpPort());
            post(api, churnHistory());
            Path csv = dir.resolve("fraud-scores.csv");
            Files.writeString(csv, fraudHistoryCsv());
            // the batch job recomputes its scores when late chargebacks land: its windows are revised, not rejected
            check(cli("ingest", csv.toString(), "--on-changed-value", "revise", "--json"), "ingest");
            creditHistograms(c.httpPort());
            recordedAsObserved();
            Path v1 = dir.resolve("churn-v1/model.txt");
            Files.createDirectories(v1.getParent());
            Files.writeString(v1, "x=3 y=1\n");
            check(cli("models", "register", "churn", "v1", "--artifact", v1.toString()), "models register");

            Path policies = dir.resolve("policies.yaml");
            Files.writeString(dir.resolve("churn-tuning.yaml"), churnTuning());
            Files.writeString(dir.resolve("fraud-tuning.yaml"), fraudTuning());
            Files.writeString(dir.resolve("credit-tuning.yaml"), CreditDrift.tuning());
            Files.writeString(policies, policies(0.78));
            check(cli("policies", "apply", policies.toString()), "policies apply");
            evaluateAt(origin.minus(Duration.ofHours(22)));
            Files.writeString(policies, policies(0.85));
            check(cli("policies", "apply", policies.toString()), "policies apply (threshold change)");

            churnFired = fraudFired = creditFired = evaluateAt(origin.minus(Duration.ofHours(18)));
            churnRetrain = experimentOf(CHURN_POLICY);
            fraudRetrain = experimentOf(FRAUD_POLICY);
            evaluateAt(origin.minus(Duration.ofHours(14)));
            churnFiredAgain = creditFiredAgain = evaluateAt(origin.minus(Duration.ofHours(10)));
            evaluateAt(origin.minus(Duration.ofHours(6)));

            run(churnRetrain);
            expectStatus(churnRetrain, ExperimentStatus.SUCCEEDED);
            run(fraudRetrain);
            expectStatus(fraudRetrain, ExperimentStatus.FAILED);

            // fraud is still below its line: a new firing, within the cooldown after the failed run
            Instant fraudEnded = db.jdbi().withHandle(x -> x.createQuery("SELECT finished_at FROM orchestrator.experiment WHERE id = :id")
                    .bind("id", fraudRetrain).mapTo(Instant.class).one());
            fraudFiredAgain = evaluateAt(fraudEnded.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
            // late chargebacks land: the batch job recomputes the window the first firing read, and it was not below the line
            // after all. The pass that ends the cooldown reviews that firing on the revised value
            Path corrected = dir.resolve("fraud-scores-corrected.csv");
            Files.writeString(corrected, "model,version,observed_at,sample_count,segment,source,accuracy,recall\n"
                    + "fraud,f1," + origin.minus(Duration.ofHours(FRAUD_REVISED_HOURS_AGO)) + ",2100,,batch-eval,0.93,0.83\n");
            Cli.Run revise = cli("ingest", corrected.toString(), "--on-changed-value", "revise", "--json");
            check(revise, "ingest --on-changed-value revise");
            if (OpsCli.json(revise).path("revised").asInt() != 1) throw new AssertionError("the corrected window was not revised: " + revise.out());
            // the trainer is fixed; once the cooldown is over, the firing that is still on enqueues, and that run succeeds
            Files.writeString(dir.resolve("fraud-trainer.fixed"), "fixed");
            Instant cooledDown = fraudEnded.plus(FRAUD_COOLDOWN);
            Await.until("the fraud cooldown to pass", PATIENCE, () -> Instant.now().isAfter(cooledDown.plusMillis(100)));
            evaluateAt(later(cooledDown));
            fraudRequeued = db.jdbi().withHandle(x -> x.createQuery("""
                    SELECT max(e.id) FROM orchestrator.experiment e JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
                     WHERE p.name = :p""").bind("p", FRAUD_POLICY).mapTo(Long.class).one());
            if (fraudRequeued == fraudRetrain) throw new AssertionError("the fraud policy enqueued nothing after its cooldown");
            run(fraudRequeued);
            expectStatus(fraudRequeued, ExperimentStatus.SUCCEEDED);
            // the next batch score is good again: the fraud policy resolves at the next pass (and enqueues nothing more)
            Path recovered = dir.resolve("fraud-scores-2.csv");
            Files.writeString(recovered, "model,version,observed_at,sample_count,segment,source,accuracy,recall\n"
                    + "fraud,f1," + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ",2000,,batch-eval,0.94,0.84\n");
            check(cli("ingest", recovered.toString(), "--json"), "ingest");

            // the serving stack is told of the approval, deploys the version and reports under it: its first snapshots make it active
            String v2 = "experiment-" + churnRetrain;
            Await.until("the serving stack to be told of " + v2, PATIENCE, () -> toldOf(told, v2));
            Instant deployed = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            post(api, List.of(snapshot("churn", v2, deployed, 100, "eu", "serving", Map.of("accuracy", 0.93, "recall", 0.88)),
                    snapshot("churn", v2, deployed, 100, "us", "serving", Map.of("accuracy", 0.92, "recall", 0.86))));
            Instant activated = db.jdbi().withHandle(x -> x.createQuery("""
                    SELECT e.at FROM orchestrator.model_version_event e JOIN orchestrator.model_version v ON v.id = e.model_version_id
                     WHERE v.version = :v AND e.to_status = 'active'""").bind("v", v2).mapTo(Instant.class).one());
            List<Map<String, Object>> after = new ArrayList<>();
            for (int m = 1; m <= 8; m++) {
                Instant at = activated.plus(Duration.ofMinutes(m)).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
                after.add(snapshot("churn", v2, at, 100, "eu", "serving", Map.of("accuracy", 0.93, "recall", 0.88)));
                after.add(snapshot("churn", v2, at, 100, "us", "serving", Map.of("accuracy", 0.92, "recall", 0.86)));
            }
            post(api, after);
            // credit's labels land a day late: the older hours are reconciled by the next pass, the newest stay pending
            post(api, credit.lateLabels());
            evaluateAt(activated.plus(Duration.ofMinutes(9)).plusSeconds(30));
            String fraudVersion = "experiment-" + fraudRequeued;
            Await.until("the serving stack to be told of " + fraudVersion, PATIENCE, () -> toldOf(told, fraudVersion));
        }
        // two objectives at once: accuracy against latency, the best set chosen from the Pareto front under a latency bound
        Path pricingTrainer = script("train_pricing.sh", """
                x=0
                for a in "$@"; do case "$a" in --x=*) x="${a#--x=}" ;; esac; done
                awk -v x="$x" 'BEGIN { printf "{\\"accuracy\\": %.6f, \\"latency_ms\\": %.3f}\\n", 1 - x * x / 10, 10 + 5 * (x - 2) * (x - 2) }'
                """);
        pareto = submit("pricing-pareto.yaml", """
                name: pricing, accuracy against latency
                model: pricing
                objective: [{metric: accuracy, direction: maximize}, {metric: latency_ms, direction: minimize}]
                select: {metric: accuracy, constraint: "latency_ms <= 20"}
                strategy: {name: nsga2, seed: 3, population_size: 4}
                budget: {trials: 10}
                space:
                  x: {type: float, low: -1.0, high: 3.0}
                trainer: {type: command, command: [sh, %s], timeout: 1m}
                """.formatted(pricingTrainer));
        run(pareto);
        expectStatus(pareto, ExperimentStatus.SUCCEEDED);
        // the next search, queued while no node runs experiments: it replaces the abandoned run
        next = submit("ranker-next.yaml", List.of("--supersedes", Long.toString(abandoned)), """
                name: ranker, next search
                model: ranker
                objective: {metric: loss, direction: minimize}
                strategy: {name: grid}
                budget: {trials: 4}
                space:
                  n: {type: int, low: 1, high: 4}
                trainer: {type: function, function: sphere}
                """);
    }

    /** Whether the command hook received the approval of {@code version}. */
    private static boolean toldOf(Path folder, String version) {
        try (var files = Files.list(folder)) {
            for (Path f : files.toList()) {
                if (Files.readString(f).contains("\"version\": \"" + version + "\"")
                        || Files.readString(f).contains("\"version\":\"" + version + "\"")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** A second after {@code at}, or now when that is earlier: evaluations never run before what they follow. */
    private static Instant later(Instant at) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant after = at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return after.isAfter(now) ? after : now;
    }

    /** churn v1, every 30 minutes for 30 hours, in two segments: good, a breach, good, a second breach, then just below the line. */
    private List<Map<String, Object>> churnHistory() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int half = 60; half >= 1; half--) {
            Instant at = origin.minus(Duration.ofMinutes(30L * half));
            double hours = half / 2.0;
            double eu;
            double us;
            if (hours > 20) { eu = 0.91; us = 0.90; }
            else if (hours > 16) { eu = 0.80; us = 0.82; }
            else if (hours > 12) { eu = 0.92; us = 0.91; }
            else if (hours > 8) { eu = 0.79; us = 0.81; }
            else { eu = 0.83; us = 0.84; }
            out.add(snapshot("churn", "v1", at, 1000, "eu", "serving", Map.of("accuracy", eu, "recall", eu - 0.05)));
            out.add(snapshot("churn", "v1", at, 800, "us", "serving", Map.of("accuracy", us, "recall", us - 0.04)));
        }
        return out;
    }

    /** fraud f1, hourly for 30 hours, scored by a batch job: good, a breach 19-17 hours ago, good, below again for the last 2 hours. */
    private String fraudHistoryCsv() {
        StringBuilder b = new StringBuilder("model,version,observed_at,sample_count,segment,source,accuracy,recall\n");
        for (int h = 30; h >= 1; h--) {
            double accuracy = (h >= 17 && h <= 19) ? 0.86 : h <= 2 ? 0.87 : 0.95;
            b.append("fraud,f1,").append(origin.minus(Duration.ofHours(h))).append(",2000,,batch-eval,")
                    .append(accuracy).append(',').append(accuracy - 0.1).append('\n');
        }
        return b.toString();
    }

    private String policies(double churnFloor) {
        return """
                policies:
                  - name: %s
                    model: churn
                    when: {metric: accuracy, aggregate: mean, window: 2h, below: %s}
                    cooldown: 1h
                    verify: {metric: accuracy, window: 5m, min_samples: 100, within: 1d}
                    experiment: churn-tuning.yaml
                  - name: %s
                    model: fraud
                    when: {metric: accuracy, aggregate: last, window: 24h, below: 0.9}
                    cooldown: %ds
                    experiment: fraud-tuning.yaml
                """.formatted(CHURN_POLICY, churnFloor, FRAUD_POLICY, FRAUD_COOLDOWN.toSeconds()) + CreditDrift.policies();
    }

    /**
     * credit's histograms through POST /api/v1/distributions: its first hours register c1 (the serving version, never
     * seen before) with no reference to compare with; {@code references set} then gives c1 its reference and calibration,
     * and the later hours are scored against it as they are written.
     */
    private void creditHistograms(int port) throws Exception {
        SnapshotApi distributions = new SnapshotApi(port, "/api/v1/distributions");
        postJson(distributions, credit.distributions(30, CreditDrift.REFERENCE_SET_AT_HOUR + 1));
        Path references = Files.writeString(dir.resolve("credit-references.json"), Json.MAPPER.writeValueAsString(credit.references()));
        check(cli("references", "set", CreditDrift.MODEL, CreditDrift.VERSION, references.toString()), "references set");
        postJson(distributions, credit.distributions(CreditDrift.REFERENCE_SET_AT_HOUR, 1));
    }

    private static void postJson(SnapshotApi api, Object body) throws Exception {
        SnapshotApi.Answer answer = api.postJson(Json.MAPPER.writeValueAsString(body));
        if (answer.status() / 100 != 2) throw new AssertionError("POST answered " + answer.status() + ": " + answer.body());
    }

    private String churnTuning() throws IOException {
        Path train = copyExample("train_quadratic.sh");
        Path evaluate = copyExample("evaluate_quadratic.sh");
        Path dataset = Files.writeString(dir.resolve("churn-train.csv"), "tenure,plan,churned\n3,basic,1\n40,premium,0\n12,basic,0\n");
        return """
                name: churn retrain, TPE
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: tpe, seed: 7, startup_trials: 3}
                budget: {trials: 6}
                space:
                  x: {type: float, low: -2.0, high: 3.0}
                  y: {type: float, low: -4.0, high: 1.0}
                trainer: {type: command, command: [sh, %s], timeout: 1m, dataset: %s}
                gate:
                  metric: loss
                  direction: minimize
                  min_gain: 0.01
                  evaluator: {command: [sh, %s], timeout: 1m}
                """.formatted(train, dataset, evaluate);
    }

    private String fraudTuning() throws IOException {
        Path failing = script("train_fraud.sh", """
                if [ ! -e "%s" ]; then
                  echo "epoch 1: loss 0.41" >&2
                  echo "epoch 2: loss diverged (nan)" >&2
                  exit 1
                fi
                depth=2
                for a in "$@"; do case "$a" in --depth=*) depth="${a#--depth=}" ;; esac; done
                awk -v d="$depth" 'BEGIN { printf "{\\"auc\\": %%.4f}\\n", 0.9 - (d - 5) * (d - 5) / 100 }'
                """.formatted(dir.resolve("fraud-trainer.fixed")));
        return """
                name: fraud retrain
                model: fraud
                objective: {metric: auc, direction: maximize}
                strategy: {name: random, seed: 1}
                budget: {trials: 4, max_failed: 2}
                space:
                  depth: {type: int, low: 2, high: 8}
                trainer: {type: command, command: [sh, %s], timeout: 1m}
                """.formatted(failing);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The history was sent just now, but the policy timeline replays its days on the test clock, and a pass at an instant
     * reads only the values recorded by then (docs/policies.md, "Revised values"). The database's clock cannot be set back,
     * so the backfill's recording instants are set to when each window was observed, as a source that sent each window as
     * it closed would have recorded it; a window that was settled when recorded is settled then too. Revisions are recorded
     * later, in real time, by the ingest paths themselves.
     */
    private void recordedAsObserved() {
        db.jdbi().useTransaction(h -> {
            h.execute("""
                    UPDATE orchestrator.metric_value
                       SET recorded_at = observed_at, settled_at = CASE WHEN settled_at IS NULL THEN NULL ELSE observed_at END
                     WHERE recorded_at > observed_at AND superseded_at IS NULL""");
            h.execute("""
                    UPDATE orchestrator.metric_snapshot
                       SET ingested_at = observed_at, settled_at = CASE WHEN settled_at IS NULL THEN NULL ELSE observed_at END
                     WHERE ingested_at > observed_at AND revision = 1 AND superseded_at IS NULL""");
            // written around the ingest path: the newest-snapshot table takes the recording instants again
            h.createQuery("SELECT orchestrator.rebuild_snapshot_latest()").mapTo(Long.class).one();
            // histograms likewise: a pass at an instant reads those stored by then (the stored scores carry the instant too)
            h.execute("UPDATE orchestrator.distribution_snapshot SET ingested_at = observed_at WHERE ingested_at > observed_at");
            h.execute("UPDATE orchestrator.distribution_score SET ingested_at = observed_at WHERE ingested_at > observed_at");
        });
    }

    private Instant evaluateAt(Instant at) {
        clock.set(at);
        evaluator.evaluateOnce();
        return at;
    }

    private long experimentOf(String policy) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT e.id FROM orchestrator.experiment e JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
                 WHERE p.name = :p""").bind("p", policy).mapTo(Long.class).one());
    }

    /** Runs a queued experiment's job in this JVM, as a node's dispatcher does. */
    private void run(long id) {
        Experiments.runner(db, Experiments.config(db, dir.resolve("node-c"), settings), ExperimentObserver.NONE).run(id, false);
    }

    private long submit(String file, String yaml) throws IOException {
        return submit(file, List.of(), yaml);
    }

    private long submit(String file, List<String> options, String yaml) throws IOException {
        Path spec = Files.writeString(dir.resolve(file), yaml);
        List<String> args = new ArrayList<>(List.of("experiments", "submit", spec.toString(), "--json"));
        args.addAll(options);
        Cli.Run run = cli(args.toArray(String[]::new));
        check(run, "experiments submit " + file);
        return OpsCli.json(run).path("id").asLong();
    }

    private Cli.Run cli(String... args) {
        Map<String, String> env = new HashMap<>(OpsCli.environment(db, dir.resolve("cli")));
        env.putAll(settings);
        return Cli.run(env, args);
    }

    private static void check(Cli.Run run, String what) {
        if (run.status() != ExitCode.OK) throw new AssertionError(what + " exited " + run.status() + ":\n" + run.out() + run.err());
    }

    private void awaitFinished(long id, ExperimentStatus expected) throws InterruptedException {
        Await.until("experiment " + id + " to end " + expected, PATIENCE, () -> Experiments.row(db, id).isFinished());
        expectStatus(id, expected);
    }

    /** The run's row can end before its Spring Batch job does (max_failed ends it in the trials step); ops commands wait for both. */
    private void awaitJobEnded(long id) throws InterruptedException {
        Await.until("the job of experiment " + id + " to end", PATIENCE, () -> Experiments.executions(db, id).stream()
                .noneMatch(s -> s.equals("STARTING") || s.equals("STARTED") || s.equals("STOPPING")));
    }

    private void expectStatus(long id, ExperimentStatus expected) {
        var row = Experiments.row(db, id);
        if (row.status() != expected) {
            throw new AssertionError("experiment " + id + " ended " + row.status() + ", not " + expected + ": " + row.error().orElse(""));
        }
    }

    private static Map<String, Object> snapshot(String model, String version, Instant at, int samples, String segment, String source,
                                                Map<String, Double> metrics) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model);
        s.put("version", version);
        s.put("observed_at", at.toString());
        s.put("sample_count", samples);
        s.put("segment", segment);
        s.put("source", source);
        s.put("metrics", new LinkedHashMap<>(metrics));
        return s;
    }

    private static void post(SnapshotApi api, List<Map<String, Object>> snapshots) throws Exception {
        SnapshotApi.Answer answer = api.post(snapshots);
        if (answer.status() / 100 != 2) throw new AssertionError("POST /api/v1/snapshots answered " + answer.status() + ": " + answer.body());
    }

    private Path script(String name, String body) throws IOException {
        return Files.writeString(dir.resolve(name), body);
    }

    private Path copyExample(String name) throws IOException {
        return Files.copy(Path.of("examples", name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The folder of the history's files (scripts, specs, data). */
    public Path dir() {
        return dir;
    }

    /** When an experiment ended. */
    public Instant ended(long experiment) {
        return db.jdbi().withHandle(x -> x.createQuery("SELECT finished_at FROM orchestrator.experiment WHERE id = :id")
                .bind("id", experiment).mapTo(Instant.class).one());
    }

    /** The JSON a command printed last (for callers that run more commands on this history). */
    public static JsonNode json(Cli.Run run) {
        return OpsCli.json(run);
    }
}
