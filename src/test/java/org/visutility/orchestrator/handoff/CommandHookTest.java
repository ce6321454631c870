package org.visutility.orchestrator.handoff;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.outbox.Pass;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command hook: the JSON on stdin, ORCH_PROMOTION_* variables and none of the node's settings; exit 0 delivers, anything else retries. */
@ExtendWith(PostgresExtension.class)
class CommandHookTest {
    @TempDir
    Path home;

    /** Each test starts from an empty outbox: a row another test left pending would be sent to this test's receiver. */
    @BeforeEach
    void emptyOutbox(TestDatabase db) {
        Notifications.empty(db);
    }

    /** A node whose environment holds its secrets, as a real one does. */
    private static Map<String, String> nodeEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("ORCHESTRATOR_DB_PASSWORD", "the-database-password");
        env.put("ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", "the-webhook-secret-of-the-node");
        env.put("ORCHESTRATOR_INGEST_TOKENS", "an-ingest-token-0123456789");
        env.put("AWS_SECRET_ACCESS_KEY", "not-for-hooks-either");
        return env;
    }

    private static int promote(TestDatabase db, String model, String version) {
        return Cli.run(db.environment(Map.of()), "models", "promote", model, version, "--actor", "ops").status();
    }

    @Test
    void theHookGetsTheJsonOnStdinAndItsVariablesButNoneOfTheNodesSettings(TestDatabase db) throws Exception {
        Path out = Files.createDirectories(home.resolve("hook-out"));
        Path fail = Files.createFile(out.resolve("fail"));
        Path hook = Scripts.write(home, "deploy.sh", """
                if [ -f '%1$s' ]; then echo 'deploy refused: cluster busy' >&2; exit 3; fi
                echo "$@" > '%2$s'
                cat > '%3$s'
                env > '%4$s'
                """.formatted(fail, out.resolve("args.txt"), out.resolve("stdin.json"), out.resolve("env.txt")));
        Lifecycles.version(db.jdbi(), "hooked", "v1", "active");
        Lifecycles.version(db.jdbi(), "hooked", "v2", "candidate");
        db.jdbi().useHandle(h -> h.execute("""
                UPDATE orchestrator.model_version SET artifact_uri = 's3://models/hooked/v2.bin'
                 WHERE version = 'v2' AND model_id = (SELECT id FROM orchestrator.model WHERE name = 'hooked')"""));
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_COMMAND", hook + " --cluster eu"));
        try (PromotionDelivery delivery = Notifications.delivery(config, db, "node-a", nodeEnvironment())) {
            assertThat(promote(db, "hooked", "v2")).isZero();
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 0));
            Notifications.Row failed = Notifications.rows(db, "hooked").get(0);
            assertThat(failed.lastError()).contains("exit status 3").contains("deploy refused: cluster busy");
            assertThat(failed.delivered()).isFalse();

            Files.delete(fail);
            Await.until("the hook, ready now, took the notification", Duration.ofSeconds(30), () -> {
                delivery.deliverDue();
                return Notifications.rows(db, "hooked").get(0).delivered();
            });
        }
        Notifications.Row row = Notifications.rows(db, "hooked").get(0);
        assertThat(row.attempts()).isEqualTo(2);
        JsonNode stdin = Json.MAPPER.readTree(Files.readString(out.resolve("stdin.json")));
        assertThat(stdin).isEqualTo(row.payload());
        assertThat(stdin.path("artifact_uri").asText()).isEqualTo("s3://models/hooked/v2.bin");
        assertThat(Files.readString(out.resolve("args.txt")).strip()).isEqualTo("--cluster eu");
        List<String> env = Files.readAllLines(out.resolve("env.txt"));
        assertThat(env).contains("ORCH_PROMOTION_EVENT=approved", "ORCH_PROMOTION_MODEL=hooked", "ORCH_PROMOTION_VERSION=v2",
                "ORCH_PROMOTION_ARTIFACT_URI=s3://models/hooked/v2.bin", "ORCH_PROMOTION_DELIVERY_ID=" + row.deliveryId());
        assertThat(env).noneMatch(line -> line.startsWith("ORCHESTRATOR_"))
                .noneMatch(line -> line.contains("the-database-password") || line.contains("the-webhook-secret-of-the-node"))
                .noneMatch(line -> line.startsWith("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void aHookThatOutlivesTheTimeoutIsKilledAndTheAttemptFails(TestDatabase db) throws Exception {
        Path hook = Scripts.write(home, "slow.sh", "exec sleep 60\n");
        Lifecycles.version(db.jdbi(), "slow", "v1", "candidate");
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_COMMAND", hook.toString(),
                "ORCHESTRATOR_PROMOTION_TIMEOUT", "300ms"));
        try (PromotionDelivery delivery = Notifications.delivery(config, db, "node-a", nodeEnvironment())) {
            assertThat(promote(db, "slow", "v1")).isZero();
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 0));
        }
        assertThat(Notifications.rows(db, "slow")).extracting(Notifications.Row::attempts, Notifications.Row::delivered)
                .containsExactly(org.assertj.core.api.Assertions.tuple(1, false));
        assertThat(Notifications.rows(db, "slow").get(0).lastError()).contains("timed out after 300ms");
    }
}
