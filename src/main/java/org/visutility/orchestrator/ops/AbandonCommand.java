package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ServerOption;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ops abandon ID}: a failed (or orphaned) run is given up for good; nothing restarts it. */
@Command(name = "abandon", mixinStandardHelpOptions = true,
        description = "Abandon a failed experiment, or a running one whose node is gone: it is never restarted (its job execution becomes ABANDONED).")
final class AbandonCommand implements Callable<Integer> {
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
            ExperimentRow row = db.jdbi().withHandle(h -> ExperimentRows.find(h, id))
                    .orElseThrow(() -> new UsageException("no experiment " + id));
            RunRestarts restarts = new RunRestarts(db.jdbi(), BatchInfrastructure.create(db.dataSource()), cfg, OpsAnswer.actor());
            RunRestarts.Outcome outcome = restarts.abandon(row);
            if (!outcome.done()) return OpsAnswer.refuse(json.enabled(), id, "abandoned", outcome.status(), outcome.message());
            if (json.enabled()) {
                ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put("abandoned", true).put("was", row.status().sql())
                        .put("status", outcome.status());
                outcome.jobExecutionId().ifPresent(j -> out.put("job_execution_id", j));
                System.out.println(out);
            } else {
                System.out.printf("experiment %d (was %s) %s%n", id, row.status(), outcome.message());
            }
            return ExitCode.OK;
        }
    }

    private int overHttp(ControlClient client) {
        ControlClient.Answer answer = client.post(OpsControlRoutes.ABANDON.replace("{id}", Long.toString(id)), "application/json", "{}");
        if (!answer.ok()) {
            JsonNode said = answer.body().path("experiment");
            return OpsAnswer.refuse(json.enabled(), id, "abandoned", said.path("status").asText(), said.path("reason").asText(answer.error()));
        }
        JsonNode body = answer.body();
        if (json.enabled()) {
            ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put("abandoned", true).put("was", body.path("was").asText())
                    .put("status", body.path("status").asText());
            if (body.has("job_execution_id")) out.set("job_execution_id", body.get("job_execution_id"));
            System.out.println(out);
        } else {
            System.out.printf("experiment %d (was %s) %s%n", id, body.path("was").asText(), body.path("message").asText());
        }
        return ExitCode.OK;
    }
}
