package org.visutility.orchestrator.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.NodeBoundTrial;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TrialRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One experiment across nodes: this JVM is one node (the owner, when it is the only one alive as the
 * experiment is queued), child JVMs running serve are the others, all on one database. Killed with
 * SIGKILL: a worker (its trials run again elsewhere) or the manager (another node takes the run over
 * through the rescue and runs again the trials that were on the workers, each still recorded once).
 */
@Slow
@ExtendWith(PostgresExtension.class)
class TrialsAcrossNodesTest {
    /** Child JVMs start slowly on a busy machine. */
    private static final Duration SLOW_START = Duration.ofSeconds(300);
    private static final Duration LONG = Duration.ofSeconds(300);
    private static final Pattern WORKER = Pattern.compile("Trial worker (\\S+) takes up to");

    @TempDir
    Path dir;

    @Test
    void byDefaultTheTrialsOfOneExperimentSpreadOverThreeNodesEachRecordedOnce(TestDatabase db) throws Exception {
        int trials = 18;
        Path trainer = Files.writeString(dir.resolve("train.sh"), "sleep 0.5\necho \"{\\\"loss\\\": 0.$ORCH_TRIAL_NUMBER}\"\n");
        try (ChildNode b = child(db, "b", Map.of()); ChildNode c = child(db, "c", Map.of())) {
            b.awaitServing(SLOW_START);
            c.awaitServing(SLOW_START);
            try (Node a = node(db, "2")) {
                // no placement: three live nodes, so the trials go across the cluster; six at once, two a node at most
                long id = Experiments.queue(db, spec(trials, 6, trainer, ""));
                Await.until("the experiment to end", LONG, () -> Experiments.row(db, id).isFinished());
                assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
                assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt)
                        .containsExactlyElementsOf(IntStream.range(0, trials).mapToObj(n -> n + ":complete:1").toList());
                assertThat(workers(db, id)).containsExactlyInAnyOrder(a.scheduler().getSchedulerInstanceId(), workerId(b), workerId(c));
            }
        }
    }

    @Test
    void aWorkerKilledMidTrialGivesItsTrialToAnotherNodeAndItIsRecordedOnce(TestDatabase db) throws Exception {
        int trials = 8;
        Path held = dir.resolve("trial-3-attempt-1.pid");
        // trial 3's first attempt says which JVM runs it and lasts while that JVM lives
        Path trainer = Files.writeString(dir.resolve("train.sh"), """
                if [ "$ORCH_TRIAL_NUMBER" = 3 ] && [ "$ORCH_TRIAL_ATTEMPT" = 1 ]; then
                  echo $PPID > "%s.tmp" && mv "%s.tmp" "%s"
                  while kill -0 $PPID 2>/dev/null; do sleep 0.1; done
                  exit 1
                fi
                sleep 0.2
                echo "{\\"loss\\": 0.$ORCH_TRIAL_NUMBER}"
                """.formatted(held, held, held));
        try (Node owner = node(db, "0")) {
            // the owner runs no trials itself: trial 3 surely runs on a child
            long id = Experiments.queue(db, spec(trials, 4, trainer, "placement: cluster"));
            Await.until("this node to own the run", Duration.ofSeconds(60), () -> Experiments.row(db, id).owner().isPresent());
            try (ChildNode b = child(db, "b", Map.of()); ChildNode c = child(db, "c", Map.of())) {
                Await.until("trial 3 to start on a child", LONG, () -> Files.exists(held));
                long pid = Long.parseLong(Files.readString(held).trim());
                ChildNode victim = runs(b, pid) ? b : c;
                ChildNode survivor = victim == b ? c : b;
                String victimId = workerId(victim);
                victim.kill();
                Await.until("the experiment to end", LONG, () -> Experiments.row(db, id).isFinished(),
                        survivor::outputOrError);
                assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
                assertThat(Experiments.row(db, id).owner()).contains(owner.scheduler().getSchedulerInstanceId());
                // each trial recorded once and complete; trial 3 surely ran again (its first attempt was on the
                // victim), and so did any other trial the victim was running when it died (two at a time)
                assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::number)
                        .containsExactlyElementsOf(IntStream.range(0, trials).boxed().toList());
                assertThat(Experiments.trialRows(db, id)).allSatisfy(t -> assertThat(t.numberStatusAndAttempt()).contains(":complete:"));
                List<String> rerunFirstAttempts = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT a.outcome || ':' || a.worker FROM lineage.trial_attempts a
                         WHERE a.experiment_id = :id AND a.attempt = 1
                           AND a.trial_number IN (SELECT number FROM orchestrator.trial WHERE experiment_id = :id AND attempt > 1)""")
                        .bind("id", id).mapTo(String.class).list());
                assertThat(rerunFirstAttempts).as("only trials interrupted on the killed node run again")
                        .isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("interrupted:" + victimId));
                List<String> attempts = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT attempt || ':' || outcome || ':' || worker FROM lineage.trial_attempts
                         WHERE experiment_id = :id AND trial_number = 3 ORDER BY attempt""").bind("id", id).mapTo(String.class).list());
                assertThat(attempts).containsExactly("1:interrupted:" + victimId, "2:complete:" + workerId(survivor));
            }
        }
    }

    @Test
    void aTrainerMissingOnOneNodeFailsTheTrialsThereNamingTheNodeNotTheExperiment(TestDatabase db) throws Exception {
        int trials = 8;
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path program = bin.resolve("cluster-train");
        Files.writeString(program, "#!/bin/sh\nsleep 0.3\necho \"{\\\"loss\\\": 0.$ORCH_TRIAL_NUMBER}\"\n");
        assertThat(program.toFile().setExecutable(true)).isTrue();
        try (Node ignored = node(db, "0")) {
            // only node b has the program on its PATH
            try (ChildNode b = child(db, "b", Map.of("PATH", bin + ":" + System.getenv("PATH")));
                 ChildNode c = child(db, "c", Map.of())) {
                b.awaitServing(SLOW_START);
                c.awaitServing(SLOW_START);
                // queued once both serve: a node that fails its trials at once would otherwise take
                // every trial before the other had started
                long id = Experiments.queue(db, spec(trials, 4, "[cluster-train]", "placement: cluster"));
                Await.until("the experiment to end", LONG, () -> Experiments.row(db, id).isFinished());
                String withProgram = workerId(b);
                String without = workerId(c);
                assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
                List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT number, status, worker, error FROM orchestrator.trial WHERE experiment_id = :id ORDER BY number")
                        .bind("id", id).mapToMap().list());
                assertThat(rows).hasSize(trials);
                assertThat(rows).filteredOn(r -> without.equals(r.get("worker"))).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.get("status")).isEqualTo("failed");
                    assertThat((String) r.get("error")).startsWith("on node " + without + ": ");
                });
                assertThat(rows).filteredOn(r -> withProgram.equals(r.get("worker"))).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("complete"));
            }
        }
    }

    @Test
    void theManagerKilledMidRunHandsItToAnotherNodeWhichRunsTheUnfinishedTrialsAgainEachRecordedOnce(TestDatabase db)
            throws Exception {
        int trials = 8;
        Path marks = Files.createDirectories(dir.resolve("marks"));
        // trials 2-5 hold their first attempt: the even ones until released (they end after the manager died, and
        // reply to it late), the odd ones until their worker stops them; everything else is quick
        Path trainer = Files.writeString(dir.resolve("train.sh"), """
                m="%s"
                if [ "$ORCH_TRIAL_ATTEMPT" = 1 ] && [ "$ORCH_TRIAL_NUMBER" -ge 2 ] && [ "$ORCH_TRIAL_NUMBER" -le 5 ]; then
                  touch "$m/started-$ORCH_TRIAL_NUMBER"
                  i=0
                  if [ $((ORCH_TRIAL_NUMBER %% 2)) = 0 ]; then
                    while [ ! -e "$m/release" ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i + 1)); done
                    touch "$m/ended-$ORCH_TRIAL_NUMBER"
                  else
                    while [ $i -lt 2400 ]; do sleep 0.05; i=$((i + 1)); done
                  fi
                fi
                sleep 0.2
                echo "{\\"loss\\": 0.$ORCH_TRIAL_NUMBER}"
                """.formatted(marks));
        // the manager runs no trials itself: every trial runs on the other two nodes
        try (ChildNode manager = child(db, "m", Map.of("ORCHESTRATOR_TRIALS_PER_NODE", "0"))) {
            manager.awaitServing(SLOW_START);
            long id = Experiments.queue(db, spec(trials, 4, trainer, "placement: cluster"));
            Await.until("the manager to own the run", LONG, () -> Experiments.row(db, id).owner().isPresent(), manager::outputOrError);
            String managerId = Experiments.row(db, id).owner().orElseThrow();
            try (ChildNode w = child(db, "w", Map.of()); Node r = node(db, "2")) {
                String wId = workerId(w);
                String rId = r.scheduler().getSchedulerInstanceId();
                Await.until("trials 2-5 to run on the workers", LONG,
                        () -> IntStream.rangeClosed(2, 5).allMatch(n -> Files.exists(marks.resolve("started-" + n))), w::outputOrError);
                assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberAndStatus)
                        .containsExactly("0:complete", "1:complete", "2:running", "3:running", "4:running", "5:running");
                manager.kill();
                Files.createFile(marks.resolve("release"));
                Await.until("another node to finish the run", LONG, () -> Experiments.row(db, id).isFinished(), w::outputOrError);

                assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
                assertThat(Experiments.row(db, id).owner()).hasValueSatisfying(o -> assertThat(o).isIn(wId, rId));
                // trials 2-5 ran again under the new owner (attempt 2), even the two whose first attempt ended after the
                // kill: their replies, addressed to the dead manager's run, were dropped, not recorded
                assertThat(Files.exists(marks.resolve("ended-2")) && Files.exists(marks.resolve("ended-4"))).isTrue();
                assertThat(Experiments.trialRows(db, id)).extracting(TrialRow::numberStatusAndAttempt).containsExactly(
                        "0:complete:1", "1:complete:1", "2:complete:2", "3:complete:2", "4:complete:2", "5:complete:2",
                        "6:complete:1", "7:complete:1");
                List<String> firstAttempts = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT trial_number || ':' || outcome || ':' || worker FROM lineage.trial_attempts
                         WHERE experiment_id = :id AND attempt = 1 AND trial_number BETWEEN 2 AND 5 ORDER BY trial_number""")
                        .bind("id", id).mapTo(String.class).list());
                assertThat(firstAttempts).hasSize(4).allSatisfy(a -> assertThat(a).matches("\\d:interrupted:("
                        + Pattern.quote(wId) + "|" + Pattern.quote(rId) + ")"));
                assertThat(Experiments.count(db, "SELECT count(*) FROM lineage.trial_attempts WHERE experiment_id = :id", id))
                        .isEqualTo(trials + 4);
                assertThat(workers(db, id)).doesNotContain(managerId);
                long waiting = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM batch.int_channel_message WHERE region = 'TRIALS'")
                        .mapTo(Long.class).one());
                assertThat(waiting).as("no reply or request is left waiting").isZero();
            }
        }
    }

    private static String spec(int trials, int parallel, Object trainer, String placement) {
        String command = trainer instanceof Path p ? "[sh, " + p + "]" : trainer.toString();
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 3}
                budget: {trials: %d, parallel: %d}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: %s}
                %s
                """.formatted(trials, parallel, command, placement);
    }

    private static List<String> workers(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT worker FROM orchestrator.trial WHERE experiment_id = :id")
                .bind("id", id).mapTo(String.class).list());
    }

    /** A serve node in a child JVM, two trials at once. */
    private ChildNode child(TestDatabase db, String name, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(db.environment(NodeBoundTrial.FAST));
        env.put("ORCHESTRATOR_HOME", dir.resolve(name).toString());
        env.put("ORCHESTRATOR_HTTP_PORT", "0");
        env.put("ORCHESTRATOR_TRIALS_PER_NODE", "2");
        env.putAll(extra);
        return ChildNode.start(env, dir.resolve(name + ".log"), "serve");
    }

    private Node node(TestDatabase db, String trialsPerNode) {
        Map<String, String> settings = new HashMap<>(NodeBoundTrial.FAST);
        settings.put("ORCHESTRATOR_TRIALS_PER_NODE", trialsPerNode);
        return Node.start(Experiments.config(db, dir.resolve("a"), settings).withHttpPort(0), List.of(new ExperimentModule()));
    }

    /** The node id a child's trial worker announced. */
    private static String workerId(ChildNode node) throws Exception {
        Await.until("the child's trial worker to start", SLOW_START, () -> WORKER.matcher(node.outputOrError()).find(),
                node::outputOrError);
        Matcher m = WORKER.matcher(node.output());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Whether process {@code pid} is the child's JVM or runs under it. */
    private static boolean runs(ChildNode node, long pid) {
        long root = node.process().pid();
        for (var p = ProcessHandle.of(pid); p.isPresent(); p = p.get().parent()) {
            if (p.get().pid() == root) return true;
        }
        return false;
    }
}
