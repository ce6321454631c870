package org.visutility.orchestrator.schedule;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.node.CommandNodeModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.app.Modules;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.LocalNode;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, case 1: serve once, stop it, then a command that runs a node of its own (experiments
 * submit --wait, ops restart / recover) while no node serves. That node acquires the cluster-wide
 * triggers; it must run them (or at least leave them armed), never put them in ERROR, which
 * stopped policy evaluation for good while /health said up.
 */
@ExtendWith(PostgresExtension.class)
class CommandNodeKeepsTheClusterJobsArmedTest {
    private static final Map<String, String> FAST = Map.of("ORCHESTRATOR_POLICY_INTERVAL", "500ms",
            "ORCHESTRATOR_RESCUE_INTERVAL", "500ms", "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms");

    @TempDir
    Path home;

    @Test
    void theNodeOfExperimentsSubmitWaitLeavesNoClusterWideTriggerInError(TestDatabase db) throws Exception {
        CommandNodeModules.use(Modules::commandNode);
        OrchestratorConfig config = Experiments.config(db, home, FAST);
        try (Node serve = Node.start(config.withHttpPort(0), Modules.all())) {
            Await.until("the serve node's first policy pass", Duration.ofSeconds(20),
                    () -> prevFireTime(db, "evaluate-policies") > 0);
        }
        try (Database commandDb = DatabaseConnector.open(config)) {
            Await.until("the stopped serve node to count as gone", Duration.ofSeconds(20),
                    () -> !LocalNode.clusterAlive(config, commandDb));
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            try (LocalNode local = new LocalNode(config, commandDb)) {
                Instant startedInDb = dbNow(db);
                local.startIfNobodyRuns(new PrintStream(progress, true, StandardCharsets.UTF_8));
                long started = System.currentTimeMillis();
                assertThat(progress.toString(StandardCharsets.UTF_8)).contains("running the experiment in this process");
                // the command's node is the cluster's only node now: it acquires every due trigger, and a
                // trigger in ERROR fires no more, so "still firing a second later" tells them apart
                Await.until("policy evaluation and the rescuer to keep firing on the command's node, or go into ERROR",
                        Duration.ofSeconds(20), () -> (prevFireTime(db, "evaluate-policies") > started + 1000
                                && prevFireTime(db, "rescue-stale-runs") > started + 1000) || !triggersInError(db).isEmpty());
                assertThat(triggersInError(db)).as("cluster-wide triggers in state ERROR").isEmpty();
                // and it ran them: a command's node takes its turn like any other node
                Await.until("the command's node to record successful runs of both jobs", Duration.ofSeconds(10),
                        () -> lastSuccess(db, "policy.evaluate-policies").filter(t -> t.isAfter(startedInDb)).isPresent()
                                && lastSuccess(db, "ops.rescue-stale-runs").filter(t -> t.isAfter(startedInDb)).isPresent());
            }
        }
    }

    @Test
    void aNodeWithoutAJobsClassFailsThatFiringVisiblyAndLeavesTheTriggerArmed(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, FAST).withHttpPort(0);
        try (Node serve = Node.start(config, Modules.all())) {
            Await.until("the serve node's first policy pass", Duration.ofSeconds(20),
                    () -> prevFireTime(db, "evaluate-policies") > 0);
        }
        // a node with no capability at all (as a node of a release without some job would be)
        try (Node bare = Node.start(config, List.of())) {
            long started = System.currentTimeMillis();
            Await.until("policy evaluation to keep firing on the bare node", Duration.ofSeconds(20),
                    () -> prevFireTime(db, "evaluate-policies") > started + 1000,
                    () -> " (triggers in ERROR: " + triggersInError(db) + ")");
            assertThat(triggersInError(db)).isEmpty();
            Map<String, Object> run = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT last_failure_node, last_error FROM orchestrator.job_run WHERE job = 'policy.evaluate-policies'")
                    .mapToMap().one());
            assertThat(run.get("last_failure_node")).isEqualTo(bare.scheduler().getSchedulerInstanceId());
            assertThat((String) run.get("last_error")).contains("no job of type org.visutility.orchestrator.policy.PolicyEvaluationJob");
        }
    }

    private static Instant dbNow(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT now()").mapTo(OffsetDateTime.class).one()).toInstant();
    }

    static Optional<Instant> lastSuccess(TestDatabase db, String job) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT last_success_at FROM orchestrator.job_run WHERE job = :job")
                .bind("job", job).mapTo(OffsetDateTime.class).findOne()).map(OffsetDateTime::toInstant);
    }

    @Test
    void theCommandsNodeKeepsTheDispatchIntervalTheServeNodesSet(TestDatabase db) throws Exception {
        Map<String, String> serveSettings = new java.util.HashMap<>(FAST);
        serveSettings.put("ORCHESTRATOR_DISPATCH_INTERVAL", "300ms");
        try (Node serve = Node.start(Experiments.config(db, home, serveSettings).withHttpPort(0), Modules.all())) {
            assertThat(repeatInterval(db, "experiment-dispatch")).isEqualTo(300);
        }
        OrchestratorConfig command = Experiments.config(db, home, FAST); // dispatch_interval left at its default
        try (Database commandDb = DatabaseConnector.open(command)) {
            Await.until("the stopped serve node to count as gone", Duration.ofSeconds(20),
                    () -> !LocalNode.clusterAlive(command, commandDb));
            long id = Experiments.queue(db, Experiments.sphere(2, 0));
            try (LocalNode local = new LocalNode(command, commandDb)) {
                local.startIfNobodyRuns(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                Await.until("the command's node to run the experiment", Duration.ofSeconds(30),
                        () -> Experiments.row(db, id).status() == ExperimentStatus.SUCCEEDED);
                assertThat(repeatInterval(db, "experiment-dispatch")).as("the cluster's dispatch interval").isEqualTo(300);
            }
        }
    }

    @Test
    void serveReArmsTheTriggersItFindsInError(TestDatabase db) throws Exception {
        OrchestratorConfig config = Experiments.config(db, home, FAST).withHttpPort(0);
        try (Node serve = Node.start(config, Modules.all())) {
            Await.until("the serve node's first policy pass", Duration.ofSeconds(20),
                    () -> prevFireTime(db, "evaluate-policies") > 0);
        }
        // as a node that could not run them leaves them: a command's node of an older release, or any
        // node that cannot load a job class
        db.jdbi().useHandle(h -> h.execute("""
                UPDATE quartz.qrtz_triggers SET trigger_state = 'ERROR'
                 WHERE trigger_name IN ('evaluate-policies', 'rescue-stale-runs')"""));

        try (Node serve = Node.start(config, Modules.all())) {
            long started = System.currentTimeMillis();
            Await.until("policy evaluation and the rescuer to fire again", Duration.ofSeconds(20),
                    () -> prevFireTime(db, "evaluate-policies") > started + 1000 && prevFireTime(db, "rescue-stale-runs") > started + 1000,
                    () -> " (triggers in ERROR: " + triggersInError(db) + ")");
            assertThat(triggersInError(db)).isEmpty();
        }
    }

    /** When the trigger last fired (epoch ms; 0 before its first fire). */
    static long prevFireTime(TestDatabase db, String trigger) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT coalesce(max(prev_fire_time), 0) FROM quartz.qrtz_triggers WHERE trigger_name = :name")
                .bind("name", trigger).mapTo(Long.class).one());
    }

    private static long repeatInterval(TestDatabase db, String trigger) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT repeat_interval FROM quartz.qrtz_simple_triggers WHERE trigger_name = :name")
                .bind("name", trigger).mapTo(Long.class).one());
    }

    static List<String> triggersInError(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT trigger_group || '.' || trigger_name FROM quartz.qrtz_triggers WHERE trigger_state = 'ERROR' ORDER BY 1")
                .mapTo(String.class).list());
    }
}
