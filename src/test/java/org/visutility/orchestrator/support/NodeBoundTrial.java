package org.visutility.orchestrator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An experiment whose trial {@code held} (first attempt) signals the test and then trains for as
 * long as the node that started it exists (killed: the trial fails there; frozen: it waits). Every
 * other trial, and the held one's next attempt, reports {@code loss = 0.NUMBER} at once. For the
 * tests that kill or freeze the node running an experiment.
 */
public final class NodeBoundTrial {
    /** Short intervals: a gone node is noticed in about two seconds. */
    public static final Map<String, String> FAST = Map.of(
            "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s",
            "ORCHESTRATOR_HEARTBEAT_INTERVAL", "300ms",
            "ORCHESTRATOR_RESCUE_AFTER", "2s",
            "ORCHESTRATOR_RESCUE_INTERVAL", "500ms",
            "ORCHESTRATOR_DISPATCH_INTERVAL", "300ms");
    /** max(3 x heartbeat_interval, rescue_after) with {@link #FAST}. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(2);

    private final long experimentId;
    private final Path started;

    private NodeBoundTrial(long experimentId, Path started) {
        this.experimentId = experimentId;
        this.started = started;
    }

    /** Queues the experiment ({@code trials} trials, random search, seed {@code seed}); scripts go to {@code dir}. */
    public static NodeBoundTrial queue(TestDatabase db, Path dir, int held, int trials, int seed) throws IOException {
        Path started = dir.resolve("trial-" + held + "-attempt-1.started");
        Path script = Files.writeString(dir.resolve("train.sh"), """
                if [ "$ORCH_TRIAL_NUMBER" = %d ] && [ "$ORCH_TRIAL_ATTEMPT" = 1 ]; then
                  touch "%s"
                  while kill -0 $PPID 2>/dev/null; do sleep 0.1; done
                  exit 1
                fi
                echo "{\\"loss\\": 0.$ORCH_TRIAL_NUMBER}"
                """.formatted(held, started));
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: %d}
                budget: {trials: %d}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(seed, trials, script));
        return new NodeBoundTrial(id, started);
    }

    public long id() {
        return experimentId;
    }

    /** Waits until the held trial runs on {@code node}. */
    public void awaitHeldTrial(ChildNode node) throws InterruptedException {
        Await.until("the held trial to start", Duration.ofSeconds(90), () -> Files.exists(started), () -> ":\n" + node.outputOrError());
    }
}
