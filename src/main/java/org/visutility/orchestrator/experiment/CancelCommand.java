package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code experiments cancel ID}: a queued experiment never starts; a running one is stopped by its
 * node at its next heartbeat (its trainers killed, its open trials failed).
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running experiment; its node stops its trainers.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "ID", description = "the experiment's id")
    long id;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        try (Database db = MigratedDatabase.open(config.load())) {
            ExperimentRow before = db.jdbi().withHandle(h -> ExperimentRows.find(h, id))
                    .orElseThrow(() -> new UsageException("no experiment " + id));
            boolean cancelled = db.jdbi().withHandle(h -> ExperimentRows.cancel(h, id, "cancelled by experiments cancel"));
            ExperimentStatus status = cancelled ? ExperimentStatus.CANCELLED
                    : db.jdbi().withHandle(h -> ExperimentRows.find(h, id)).map(ExperimentRow::status).orElse(before.status());
            if (cancelled && ExperimentStatus.QUEUED == before.status()) {
                // nobody runs it, so nobody else will close its open trials (a requeued run may have some)
                db.jdbi().useHandle(h -> ExperimentRows.stopOpenTrialsOfCancelled(h, id, "stopped: the experiment was cancelled"));
            }
            if (json.enabled()) {
                System.out.println(Json.MAPPER.createObjectNode().put("id", id).put("cancelled", cancelled)
                        .put("was", before.status().sql()).put("status", status.sql()));
            } else if (cancelled) {
                System.out.printf("experiment %d cancelled (was %s)%s%n", id, before.status(),
                        ExperimentStatus.RUNNING == before.status() ? "; its node stops its trainers at its next heartbeat" : "");
            } else {
                System.out.printf("experiment %d already %s; nothing to cancel%n", id, status);
            }
            return cancelled || ExperimentStatus.CANCELLED == status ? ExitCode.OK : ExitCode.FAILED;
        }
    }
}
