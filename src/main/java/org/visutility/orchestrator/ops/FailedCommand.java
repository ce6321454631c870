package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.core.JsonOption;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ops failed}: failed and orphaned runs, most recent first, with what to type next. */
@Command(name = "failed", mixinStandardHelpOptions = true,
        description = "List failed experiments and running ones whose node is gone: the step and trial where they stopped, the error, when, on which node.")
final class FailedCommand implements Callable<Integer> {
    private static final int MAX_LIMIT = 10_000;

    @Mixin
    ConfigOption config;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) throw new UsageException("--limit must be from 1 to " + MAX_LIMIT + " (is " + limit + ")");
        OrchestratorConfig cfg = config.load();
        try (Database db = MigratedDatabase.open(cfg)) {
            List<FailedRuns.Run> runs = db.jdbi().withHandle(h -> FailedRuns.list(h, StuckRuns.staleAfter(cfg), limit));
            if (json.enabled()) {
                ObjectNode out = Json.MAPPER.createObjectNode();
                ArrayNode list = out.putArray("runs");
                runs.forEach(r -> list.add(r.toJson()));
                System.out.println(out);
                return ExitCode.OK;
            }
            if (runs.isEmpty()) {
                System.out.println("no failed or orphaned runs");
                return ExitCode.OK;
            }
            TextTable table = new TextTable("ID", "MODEL", "STATE", "STEP", "TRIAL", "DONE", "WHEN", "NODE", "NEXT", "ERROR");
            for (FailedRuns.Run r : runs) {
                table.row(r.id(), r.model(), r.state(), r.step().orElse(null), r.trial().orElse(null),
                        r.trialsDone() + "/" + r.budgetTrials(), r.at().orElse(null), r.node().orElse(null), r.next(),
                        r.errorLine().orElse(null));
            }
            System.out.print(table);
            System.out.print(FailedRunErrors.text(runs));
            return ExitCode.OK;
        }
    }
}
