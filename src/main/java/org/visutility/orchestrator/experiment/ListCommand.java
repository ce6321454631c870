package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.core.JsonOption;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code experiments list}: the latest experiments with their progress. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments, newest first, with their progress and best score.")
final class ListCommand implements Callable<Integer> {
    private static final List<String> STATUSES = ExperimentStatus.names();

    @Mixin
    ConfigOption config;

    @Option(names = "--status", description = "only experiments with this status (queued, running, succeeded, failed, cancelled, abandoned)")
    String status;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (status != null && !STATUSES.contains(status)) {
            throw new UsageException("--status must be one of " + String.join(", ", STATUSES) + " (is '" + status + "')");
        }
        try (Database db = MigratedDatabase.open(config.load())) {
            List<ExperimentReports.Summary> all = db.jdbi().withHandle(h -> ExperimentReports.list(h, Optional.ofNullable(status), limit));
            if (json.enabled()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                all.forEach(s -> array.add(s.toJson()));
                System.out.println(array);
                return ExitCode.OK;
            }
            TextTable table = new TextTable("ID", "MODEL", "STATUS", "TRIGGER", "TRIALS", "BEST", "QUEUED");
            for (ExperimentReports.Summary s : all) {
                table.row(s.id(), s.model(), s.status(), s.trigger(), s.ended() + "/" + s.budgetTrials(),
                        s.bestScore().isPresent() ? s.metric() + " " + ExperimentText.number(s.bestScore().getAsDouble()) : null,
                        s.queuedAt());
            }
            System.out.print(table);
            return ExitCode.OK;
        }
    }
}
