package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.NodeBoundTrial;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed with SIGKILL cannot stop its trainer, and another node will run the trial again:
 * the trainer process must not train on beside it. Here the trainer ignores its parent entirely
 * (it records its pid, then sleeps for ten minutes in the same process).
 */
@Slow
@ExtendWith(PostgresExtension.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "setpriv --pdeathsig is Linux only")
class TrainerDiesWithItsKilledNodeTest {
    @TempDir
    Path dir;

    @Test
    void theTrainerOfANodeKilledOutrightIsKilledToo(TestDatabase db) throws Exception {
        Path pidFile = dir.resolve("trainer.pid");
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random}
                budget: {trials: 1}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, -c, 'echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 600']}
                """.formatted(pidFile, pidFile, pidFile));
        Map<String, String> env = new HashMap<>(db.environment(NodeBoundTrial.FAST));
        env.put("ORCHESTRATOR_HOME", dir.resolve("node").toString());
        long trainer;
        try (ChildNode node = ChildNode.start(env, dir.resolve("node.log"), "serve")) {
            node.awaitServing(Duration.ofSeconds(60));
            Await.until("the trainer to start", Duration.ofSeconds(60), () -> Files.exists(pidFile), () -> ":\n" + node.outputOrError());
            trainer = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(ProcessHandle.of(trainer)).as("the trainer runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.RUNNING);
            node.kill();
        }
        try {
            Await.processGone(trainer);
        } finally {
            ProcessHandle.of(trainer).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
