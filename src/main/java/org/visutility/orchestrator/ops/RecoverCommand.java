package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentReports;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ops recover [--wait]}: the runs a gone node left behind (their Spring Batch executions
 * STARTED) are marked FAILED with JobOperator.recover and put back in the queue, where they restart
 * from their last committed trial. A run whose node still checks in is never touched.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Recover the runs of nodes that are gone (heartbeat and Quartz check-in stale): mark their job executions FAILED and restart them.")
final class RecoverCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--wait", description = "follow the restarted runs until they end; exit 1 if one did not succeed")
    boolean waitForEnd;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws InterruptedException {
        OrchestratorConfig cfg = config.load();
        Duration staleAfter = StuckRuns.staleAfter(cfg);
        try (Database db = MigratedDatabase.open(cfg)) {
            // the dead nodes' Quartz jobs stay: Quartz's recovery on a live node (or on the node this command
            // starts when none is alive) fires them, and they claim the requeued runs
            StaleRunRescuer rescuer = new StaleRunRescuer(db.jdbi(), BatchInfrastructure.create(db.dataSource()), staleAfter,
                    OpsAnswer.actor(), StaleRunRescuer.RequeueListener.NONE);
            List<StaleRunRescuer.Rescue> recovered = rescuer.recoverAll();
            List<StaleRunRescuer.SettledExecution> settled = rescuer.settleLeftoverExecutions();
            StuckRuns.Count left = db.jdbi().withHandle(h -> StuckRuns.count(h, staleAfter));
            PrintStream progress = json.enabled() ? System.err : System.out;
            for (StaleRunRescuer.Rescue r : recovered) {
                progress.printf("experiment %d (model %s): %s%n", r.experimentId(), r.model(), r.note());
            }
            for (StaleRunRescuer.SettledExecution e : settled) {
                progress.printf("experiment %d (%s): job execution %d left running by a gone node, now %s%n", e.experimentId(),
                        e.experimentStatus(), e.jobExecutionId(), e.batchStatus());
            }
            if (recovered.isEmpty()) {
                progress.printf("no run left by a gone node (a run counts once its heartbeat is older than %s and its node's"
                        + " Quartz check-in is stale)%n", Durations.format(staleAfter));
            }
            if (left.stuck() > 0) {
                progress.printf("%d running experiments have a stale heartbeat but a node that still checks in; they are left"
                        + " alone (restart that node, or wait)%n", left.stuck());
            }
            List<Long> ids = recovered.stream().map(StaleRunRescuer.Rescue::experimentId).toList();
            List<ExperimentReports.Summary> ends = Relaunch.run(cfg, db, ids, waitForEnd, progress);
            if (json.enabled()) {
                ObjectNode out = Json.MAPPER.createObjectNode();
                ArrayNode list = out.putArray("recovered");
                recovered.forEach(r -> list.addObject().put("id", r.experimentId()).put("model", r.model())
                        .put("previous_owner", r.previousOwner().orElse(null)).put("outcome", r.outcome()).put("note", r.note()));
                ArrayNode settledList = out.putArray("settled_executions");
                settled.forEach(e -> settledList.addObject().put("id", e.experimentId()).put("status", e.experimentStatus())
                        .put("job_execution_id", e.jobExecutionId()).put("batch_status", e.batchStatus()));
                ArrayNode endList = out.putArray("ended");
                ends.forEach(s -> endList.add(s.toJson()));
                out.put("stuck_left", left.stuck());
                System.out.println(out);
            }
            boolean allSucceeded = ends.stream().allMatch(s -> ExperimentStatus.SUCCEEDED == s.status());
            return allSucceeded ? ExitCode.OK : ExitCode.FAILED;
        }
    }
}
