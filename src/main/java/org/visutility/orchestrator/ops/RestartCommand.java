package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ServerOption;
import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentReports;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.RestartRoute;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ops restart ID [--retry-failed] [--wait]}: the failed experiment goes back to the queue and
 * its Spring Batch job restarts where it failed; with --retry-failed (a run that failed by its own
 * rules, its job completed) a new round runs its failed trials again and continues to its budget.
 * With no node alive this process runs it to the end.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Restart a failed experiment: its job resumes at the trial where it failed; finished trials never run again.",
                "A run that failed by its own rules (budget.max_failed, no trial completed) needs --retry-failed once the cause is fixed."})
final class RestartCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "ID", description = "the experiment's id")
    long id;

    @Option(names = "--wait", description = "follow the run until it ends; exit 1 if it did not succeed")
    boolean waitForEnd;

    @Option(names = RestartRoute.RETRY_FAILED_OPTION, description = "for a run that failed by its own rules (its job completed):"
            + " run its failed trials again (same numbers and params, attempt + 1), then continue to the budget;"
            + " complete trials stay as they are")
    boolean retryFailed;

    @Mixin
    ServerOption server;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws InterruptedException {
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) return overHttp(client.get());
        try (Database db = MigratedDatabase.open(cfg)) {
            ExperimentRow row = db.jdbi().withHandle(h -> ExperimentRows.find(h, id))
                    .orElseThrow(() -> new UsageException("no experiment " + id));
            RunRestarts restarts = new RunRestarts(db.jdbi(), BatchInfrastructure.create(db.dataSource()), cfg, OpsAnswer.actor());
            RunRestarts.Outcome outcome = retryFailed ? restarts.retryFailed(row) : restarts.restart(row);
            if (!outcome.done()) return OpsAnswer.refuse(json.enabled(), id, "restarted", outcome.status(), outcome.message());
            PrintStream progress = json.enabled() ? System.err : System.out;
            progress.printf("experiment %d restarted (was failed: %s): %s%n", id,
                    row.error().flatMap(e -> e.lines().findFirst()).orElse("no error recorded"), outcome.message());
            List<ExperimentReports.Summary> ends = Relaunch.run(cfg, db, List.of(id), waitForEnd, progress);
            ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put("restarted", true).put("retry_failed", retryFailed);
            outcome.jobExecutionId().ifPresent(j -> out.put("failed_job_execution_id", j));
            if (ends.isEmpty()) {
                out.put("status", outcome.status());
                if (json.enabled()) System.out.println(out);
                return ExitCode.OK;
            }
            ExperimentReports.Summary end = ends.get(0);
            out.put("status", end.status().sql()).set("experiment", end.toJson());
            if (json.enabled()) System.out.println(out);
            else System.out.printf("experiment %d %s%s%n", id, end.status(), end.error().map(e -> ": " + e).orElse(""));
            return ExperimentStatus.SUCCEEDED == end.status() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** The node requeues the run and its cluster runs it; --wait is for the database path only. */
    private int overHttp(ControlClient client) {
        if (waitForEnd) throw new UsageException("--wait cannot be used with --server; follow the run with experiments show ID");
        String body = Json.MAPPER.createObjectNode().put(OpsControlRoutes.RETRY_FAILED, retryFailed).toString();
        ControlClient.Answer answer = client.post(OpsControlRoutes.RESTART.replace("{id}", Long.toString(id)), "application/json", body);
        if (!answer.ok()) {
            JsonNode said = answer.body().path("experiment");
            return OpsAnswer.refuse(json.enabled(), id, "restarted", said.path("status").asText(), said.path("reason").asText(answer.error()));
        }
        JsonNode out = answer.body();
        PrintStream progress = json.enabled() ? System.err : System.out;
        progress.printf("experiment %d restarted (was failed: %s): %s%n", id, out.path("was_error").asText("no error recorded"),
                out.path("message").asText());
        progress.println("a node of the cluster will run it; follow with experiments show ID");
        if (json.enabled()) {
            ObjectNode printed = Json.MAPPER.createObjectNode().put("id", id).put("restarted", true).put("retry_failed", retryFailed);
            if (out.has("failed_job_execution_id")) printed.set("failed_job_execution_id", out.get("failed_job_execution_id"));
            printed.put("status", out.path("status").asText());
            System.out.println(printed);
        }
        return ExitCode.OK;
    }
}
