package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.ServerOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code experiments cancel ID}: a queued experiment never starts; a running one is stopped by its
 * node at its next heartbeat (its trainers killed, its open trials failed). With {@code --server}
 * the node's control API cancels it.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running experiment; its node stops its trainers.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "ID", description = "the experiment's id")
    long id;

    @Mixin
    ServerOption server;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) return overHttp(client.get());
        try (Database db = MigratedDatabase.open(cfg)) {
            ExperimentCancellation.Outcome outcome = ExperimentCancellation.cancel(db.jdbi(), id, "cancelled by experiments cancel")
                    .orElseThrow(() -> new UsageException("no experiment " + id));
            System.out.println(json.enabled() ? outcome.toJson().toString() : outcome.text());
            return outcome.holds() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    private int overHttp(ControlClient client) {
        ControlClient.Answer answer = client.post(ExperimentControlRoutes.CANCEL.replace("{id}", Long.toString(id)), "application/json", "{}");
        JsonNode outcome = answer.ok() ? answer.body() : answer.body().path("experiment");
        System.out.println(json.enabled() ? outcome.toString() : answer.ok() ? text(outcome) : answer.error());
        return answer.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    private static String text(JsonNode outcome) {
        return new ExperimentCancellation.Outcome(outcome.path("id").asLong(), ExperimentStatus.of(outcome.path("was").asText()),
                outcome.path("cancelled").asBoolean(), ExperimentStatus.of(outcome.path("status").asText())).text();
    }
}
