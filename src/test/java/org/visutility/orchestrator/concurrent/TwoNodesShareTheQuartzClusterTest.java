package org.visutility.orchestrator.concurrent;

import org.visutility.orchestrator.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.ChildNode;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Slow
@ExtendWith(PostgresExtension.class)
class TwoNodesShareTheQuartzClusterTest {

    @Test
    void twoServeProcessesOnOneDatabaseBothJoinTheClusterAndStopCleanly(TestDatabase db, @TempDir Path dir) throws Exception {
        Map<String, String> env = db.environment(Map.of("ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s"));
        try (ChildNode a = ChildNode.start(env, dir.resolve("a.log"), "serve");
             ChildNode b = ChildNode.start(env, dir.resolve("b.log"), "serve")) {
            a.awaitServing(Duration.ofSeconds(60));
            b.awaitServing(Duration.ofSeconds(60));

            List<String> instances = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT instance_name FROM quartz.qrtz_scheduler_state WHERE sched_name = 'orchestrator'")
                    .mapTo(String.class).list());
            assertThat(instances).hasSize(2).doesNotHaveDuplicates();

            // SIGTERM: the JVM runs the shutdown hook, then exits 143 (128 + 15) as every JVM does
            assertThat(a.terminate(Duration.ofSeconds(30))).isIn(0, 143);
            assertThat(b.terminate(Duration.ofSeconds(30))).isIn(0, 143);
            assertThat(a.output()).contains("Stopped");
        }
    }
}
