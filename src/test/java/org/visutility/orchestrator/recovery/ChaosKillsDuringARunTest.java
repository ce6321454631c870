package org.visutility.orchestrator.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.support.ExperimentAssert.assertThatExperiment;

/**
 * Chaos: an experiment of 30 trials runs on two serve nodes (child JVMs, one test database) while 20
 * kill points, chosen at random from a printed seed, strike the node that owns it with kill -9: in
 * the prepare step, after trial k is committed (the next trial in flight, or the step restarting),
 * and in the finalize step. After each kill a fresh node takes the dead one's place; the survivor's
 * rescuer (or Quartz's recovery) takes the run over once the owner is provably gone. At the end the
 * experiment succeeded with trial numbers 0..29 each recorded once, one hyperparameter set, one
 * model version, finalized once, no job execution left running, and one takeover per orphaning kill.
 *
 * Each takeover must come within {@link #RECOVERY_BOUND}: a launch lost until the dispatcher's 30 s
 * check fails it (the rescuer did lose one so, see RescueKeepsTheLaunchOfTheRequeuedRunTest).
 *
 * <p>Re-run a failure with its seed: {@code mvn verify -Dit.test=ChaosKillsDuringARunTest -Dchaos.seed=N}
 * (the seed is printed and is in every assertion's message; the nodes' logs stay in
 * {@code target/chaos-logs/SEED}). The gate step does not exist yet; once it does, add its phase.
 */
@Slow
@ExtendWith(PostgresExtension.class)
class ChaosKillsDuringARunTest {
    private static final int TRIALS = 30;
    private static final int KILLS = 20;
    /** Short enough for 20 takeovers in a few minutes; the stale window is max(3 x heartbeat, rescue_after) = 2 s. */
    private static final Map<String, String> SETTINGS = Map.of(
            "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s",
            "ORCHESTRATOR_HEARTBEAT_INTERVAL", "300ms",
            "ORCHESTRATOR_RESCUE_AFTER", "2s",
            "ORCHESTRATOR_RESCUE_INTERVAL", "500ms",
            "ORCHESTRATOR_DISPATCH_INTERVAL", "300ms",
            // every kill is a rescue: the default (3) would mark the run failed after the third
            "ORCHESTRATOR_RESCUE_MAX_ATTEMPTS", "100");
    /** Twenty JVM starts on two cores: compiling with C1 only and one GC thread make each start cheaper. */
    private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final Duration WAIT_FOR_POINT = Duration.ofSeconds(60);
    /**
     * From a kill to the run's next claim on a live node: the stale window (2 s), a rescue round, a
     * dispatch round, and a replacement node that may still be starting. A launch lost until the
     * dispatcher's check of runs dispatched long ago (30 s) shows as a failure here.
     */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(25);

    private enum Phase { PREPARE, TRIALS, FINALIZE }

    /** A moment to kill the owner at: in a step, or once trials 0..afterTrial are committed. */
    private record KillPoint(Phase phase, int afterTrial) {
        @Override
        public String toString() {
            return phase == Phase.TRIALS ? "after trial " + afterTrial + " committed" : "in " + phase.name().toLowerCase();
        }
    }

    /** A serve node in a child JVM; its Quartz instance id (what experiment.owner names) once its log says it. */
    private static final class Serving {
        private static final Pattern INSTANCE = Pattern.compile("Quartz scheduler orchestrator started as instance (\\S+) ");
        private final ChildNode node;
        private String instanceId;

        Serving(ChildNode node) {
            this.node = node;
        }

        Optional<String> instanceId() {
            if (instanceId == null) {
                Matcher m = INSTANCE.matcher(node.outputOrError());
                if (m.find()) instanceId = m.group(1);
            }
            return Optional.ofNullable(instanceId);
        }
    }

    @TempDir
    Path dir;

    /** The nodes alive, oldest first. */
    private final List<Serving> nodes = new ArrayList<>();
    private int started;
    private Path logs;

    @Test
    void twentyKillsAcrossPrepareTrialsAndFinalizeLoseNoTrialAndFinalizeOnce(TestDatabase db) throws Exception {
        long seed = Long.getLong("chaos.seed", System.currentTimeMillis());
        System.out.println("chaos seed: " + seed);
        String chaos = "chaos seed " + seed;
        List<KillPoint> points = killPoints(new Random(seed));
        System.out.println("chaos kill points: " + points);
        slowDownPrepareAndFinalize(db);
        // the nodes' logs stay in the build folder, so that a failure on CI can be read afterwards
        logs = Files.createDirectories(Path.of("target", "chaos-logs", Long.toString(seed)));
        System.out.println("chaos node logs: " + logs.toAbsolutePath());

        long id;
        List<String> orphanedFrom = new ArrayList<>();
        int kills = 0;
        long start = System.nanoTime();
        try {
            startNode(db).node.awaitServing(Duration.ofSeconds(60));
            startNode(db).node.awaitServing(Duration.ofSeconds(60));
            id = Experiments.queue(db, spec());
            for (int i = 0; i < points.size(); i++) {
                KillPoint point = points.get(i);
                Optional<Serving> owner = awaitOwnerAt(db, id, point, chaos);
                if (owner.isEmpty()) {
                    // a step's window (1.5 s) passed between two polls of a starved test thread: no product fault
                    System.out.printf("chaos kill point %d/%d %s passed before a poll saw it; skipped%n", i + 1, points.size(), point);
                    continue;
                }
                Serving victim = owner.get();
                String instance = victim.instanceId().orElseThrow();
                kills++;
                victim.node.kill();
                nodes.remove(victim);
                long killedAt = System.nanoTime();
                Map<String, Object> after = row(db, id);
                boolean orphaned = "running".equals(after.get("status")) && instance.equals(after.get("owner"));
                if (orphaned) orphanedFrom.add(instance);
                System.out.printf("chaos kill %d/%d at %.1f s, %s: node %s (pid %d); %d trials committed; run %s%n", i + 1, points.size(),
                        (killedAt - start) / 1e9, point, instance, victim.node.process().pid(), finishedTrials(db, id),
                        orphaned ? "orphaned" : "not owned by it any more (" + after.get("status") + ")");
                // a fresh node in the dead one's place, starting while the survivor takes the run over
                startNode(db);
                if (orphaned) {
                    awaitRecovery(db, id, (Integer) after.get("attempt"), "kill " + (i + 1), chaos);
                    System.out.printf("chaos: run claimed again %.1f s after kill %d%n", (System.nanoTime() - killedAt) / 1e9, i + 1);
                }
            }
            // its job execution too: Spring Batch records the end after the experiment's last commit
            Await.until("the experiment and its job to end after the last kill", Duration.ofSeconds(90),
                    () -> Experiments.row(db, id).isFinished() && runningExecutions(db, id) == 0, () -> " (" + chaos + ")" + logs());
            System.out.printf("chaos: the experiment ended at %.1f s%n", (System.nanoTime() - start) / 1e9);
        } finally {
            for (Serving s : nodes) s.node.close();
        }

        assertThat(kills).as(chaos + ": kills done").isGreaterThanOrEqualTo(KILLS - 2);
        assertThatExperiment(db, id).as(chaos).hasStatus(ExperimentStatus.SUCCEEDED).recordedEachTrialOnce(TRIALS);
        assertThat(Experiments.trialRows(db, id)).as(chaos).allSatisfy(t -> assertThat(t.status()).isEqualTo("complete"));
        assertThat(count(db, "SELECT count(*) FROM orchestrator.hyperparameter_set WHERE experiment_id = :id", id)).as(chaos).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id", id)).as(chaos).isEqualTo(1);
        // finalized once: one finalize step ever completed, and it is the last execution's, which completed
        List<String> finalizes = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.status FROM batch.batch_step_execution s
                  JOIN batch.batch_job_execution_params p ON p.job_execution_id = s.job_execution_id
                 WHERE p.parameter_name = 'experiment_id' AND p.parameter_value = CAST(:id AS text) AND s.step_name = 'finalize'
                 ORDER BY s.step_execution_id""").bind("id", id).mapTo(String.class).list());
        assertThat(finalizes).as(chaos + ": finalize steps").filteredOn("COMPLETED"::equals).hasSize(1);
        assertThat(finalizes).as(chaos + ": finalize steps").last().isEqualTo("COMPLETED");
        List<String> executions = Experiments.executions(db, id);
        assertThat(executions).as(chaos + ": job executions").last().isEqualTo("COMPLETED");
        assertThat(executions).as(chaos + ": job executions").filteredOn("COMPLETED"::equals).hasSize(1);
        assertThat(executions).as(chaos + ": no job execution left running").doesNotContain("STARTING", "STARTED", "STOPPING", "UNKNOWN");
        // each kill that left the run orphaned was recovered exactly once, from the node that was killed
        List<Map<String, Object>> recoveries = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action || ':' || outcome AS what, previous_owner FROM orchestrator.experiment_intervention
                 WHERE experiment_id = :id ORDER BY id""").bind("id", id).mapToMap().list());
        assertThat(recoveries).as(chaos + ": interventions").extracting(r -> r.get("previous_owner")).containsExactlyElementsOf(orphanedFrom);
        assertThat(recoveries).as(chaos + ": interventions").extracting(r -> r.get("what"))
                .allSatisfy(what -> assertThat(what).isIn("rescue:requeued", "takeover:taken_over"));
        assertThat(Experiments.row(db, id).error()).as(chaos).isEmpty();
    }

    /**
     * {@value KILLS} kill points in the order a run meets them: one to three in prepare, one to three in
     * finalize, the rest after a random committed trial (repeats kill the next owner as soon as it runs).
     */
    private static List<KillPoint> killPoints(Random random) {
        int prepare = 1 + random.nextInt(3);
        int finalize = 1 + random.nextInt(3);
        List<KillPoint> points = new ArrayList<>();
        IntStream.range(0, prepare).forEach(i -> points.add(new KillPoint(Phase.PREPARE, -1)));
        IntStream.range(0, KILLS - prepare - finalize).mapToObj(i -> new KillPoint(Phase.TRIALS, random.nextInt(TRIALS)))
                .sorted(Comparator.comparingInt(KillPoint::afterTrial)).forEach(points::add);
        IntStream.range(0, finalize).forEach(i -> points.add(new KillPoint(Phase.FINALIZE, -1)));
        return points;
    }

    /** Thirty trials of about 0.3 s each, one at a time: a kill after trial k strikes trial k + 1 in flight. */
    private String spec() throws Exception {
        Path trainer = Files.writeString(dir.resolve("train.sh"), """
                sleep 0.3
                echo "{\\"loss\\": $ORCH_TRIAL_NUMBER}"
                """);
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: {trials: %d}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(TRIALS, trainer);
    }

    /**
     * Prepare and finalize each commit in a few milliseconds: too short for a poll to see them. A
     * second and a half of pg_sleep inside their transactions (when prepare records the run's
     * provenance, when finalize inserts the hyperparameter set) leaves a window to kill the node in
     * them, which rolls their transaction back.
     */
    private static void slowDownPrepareAndFinalize(TestDatabase db) {
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION public.chaos_hold_the_step() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$;
                CREATE TRIGGER chaos_hold_prepare BEFORE UPDATE OF prepared_at ON orchestrator.experiment FOR EACH ROW
                  WHEN (NEW.prepared_at IS DISTINCT FROM OLD.prepared_at) EXECUTE FUNCTION public.chaos_hold_the_step();
                CREATE TRIGGER chaos_hold_finalize BEFORE INSERT ON orchestrator.hyperparameter_set FOR EACH ROW
                  EXECUTE FUNCTION public.chaos_hold_the_step();
                """));
    }

    /**
     * Waits until the run is at {@code point} on a live node that owns it, and returns that node;
     * empty when the run went past the point unseen (prepare done, or the run ended, between polls).
     */
    private Optional<Serving> awaitOwnerAt(TestDatabase db, long id, KillPoint point, String chaos) throws InterruptedException {
        AtomicReference<Serving> owner = new AtomicReference<>();
        AtomicBoolean passed = new AtomicBoolean();
        Await.until("the run to be " + point + " on a live node", WAIT_FOR_POINT, () -> {
            ownerAt(db, id, point).flatMap(this::node).ifPresent(owner::set);
            if (owner.get() == null) passed.set(passed(db, id, point));
            return owner.get() != null || passed.get();
        }, () -> " (" + chaos + "; experiment " + row(db, id) + ", " + finishedTrials(db, id) + " trials committed)" + logs());
        return Optional.ofNullable(owner.get());
    }

    /** Whether the run is beyond a step's kill point: past prepare once a trial is recorded, past finalize once it ended. */
    private static boolean passed(TestDatabase db, long id, KillPoint point) {
        return switch (point.phase()) {
            case PREPARE -> count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id", id) > 0;
            case FINALIZE -> Experiments.row(db, id).isFinished();
            case TRIALS -> false;
        };
    }

    /** Waits until a live node claimed the run again after a kill (its attempt rose), or the run ended. */
    private void awaitRecovery(TestDatabase db, long id, int attemptAtKill, String kill, String chaos) throws InterruptedException {
        Await.until("a live node to take the run over after " + kill, RECOVERY_BOUND, () -> {
            Map<String, Object> now = row(db, id);
            if (!"running".equals(now.get("status"))) return !"queued".equals(now.get("status"));
            return (Integer) now.get("attempt") > attemptAtKill && now.get("owner") != null && node((String) now.get("owner")).isPresent();
        }, () -> " (" + chaos + "; experiment " + row(db, id) + ")" + logs());
    }

    private static Optional<String> ownerAt(TestDatabase db, long id, KillPoint point) {
        String sql = switch (point.phase()) {
            // the owner must be one of the live nodes (the caller checks): a dead one's run waits for its rescue
            case PREPARE, FINALIZE -> """
                    SELECT e.owner FROM orchestrator.experiment e
                      JOIN batch.batch_step_execution s ON s.job_execution_id = e.job_execution_id
                     WHERE e.id = :id AND e.status = 'running' AND s.step_name = :step AND s.status = 'STARTED'""";
            case TRIALS -> """
                    SELECT e.owner FROM orchestrator.experiment e
                     WHERE e.id = :id AND e.status = 'running'
                       AND (SELECT count(*) FROM orchestrator.trial t WHERE t.experiment_id = e.id AND t.status <> 'running') > :k""";
        };
        return db.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).bind("step", point.phase().name().toLowerCase())
                .bind("k", point.afterTrial()).mapTo(String.class).findOne());
    }

    /** Starts a serve node on the test database (it joins the cluster on its own time). */
    private Serving startNode(TestDatabase db) throws Exception {
        int n = ++started;
        Map<String, String> env = new HashMap<>(db.environment(SETTINGS));
        env.put("ORCHESTRATOR_HOME", dir.resolve("node-" + n).toString());
        Serving node = new Serving(ChildNode.start(QUICK_JVM, env, logs.resolve("node-" + n + ".log"), "serve"));
        nodes.add(node);
        return node;
    }

    /** The live node whose Quartz instance id is {@code instance}. */
    private Optional<Serving> node(String instance) {
        return nodes.stream().filter(s -> s.instanceId().filter(instance::equals).isPresent()).findFirst();
    }

    private String logs() {
        StringBuilder out = new StringBuilder();
        nodes.forEach(s -> out.append("\n--- node ").append(s.instanceId().orElse("(starting)")).append(" ---\n")
                .append(tail(s.node.outputOrError())));
        return out.toString();
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }

    private static Map<String, Object> row(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status, owner, attempt, version, rescues, error FROM orchestrator.experiment WHERE id = :id")
                .bind("id", id).mapToMap().one());
    }

    private static long finishedTrials(TestDatabase db, long id) {
        return count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id AND status <> 'running'", id);
    }

    private static long runningExecutions(TestDatabase db, long id) {
        return count(db, """
                SELECT count(*) FROM batch.batch_job_execution je
                  JOIN batch.batch_job_execution_params p ON p.job_execution_id = je.job_execution_id
                 WHERE p.parameter_name = 'experiment_id' AND p.parameter_value = CAST(:id AS text)
                   AND je.status IN ('STARTING', 'STARTED', 'STOPPING')""", id);
    }

    private static long count(TestDatabase db, String sql, long id) {
        return Experiments.count(db, sql, id);
    }
}
