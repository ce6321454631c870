package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code models list}: each model, the version serving now, and how many versions it has in each status. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the models: the active (serving) version, since when, and how many versions are in each status.")
final class ListModelsCommand implements Callable<Integer> {
    private static final int MAX_LIMIT = 10_000;

    @Mixin
    ConfigOption config;

    @Option(names = "--limit", defaultValue = "200", description = "at most this many models, by name (default ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) throw new UsageException("--limit must be between 1 and " + MAX_LIMIT + " (is " + limit + ")");
        try (Database db = MigratedDatabase.open(config.load())) {
            List<ModelReports.Summary> models = db.jdbi().withHandle(h -> ModelReports.list(h, limit));
            if (json.enabled()) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                models.forEach(m -> array.add(m.toJson()));
                System.out.println(array);
                return ExitCode.OK;
            }
            TextTable table = new TextTable("MODEL", "ACTIVE", "SINCE", "CANDIDATE", "APPROVED", "REJECTED", "RETIRED");
            for (ModelReports.Summary m : models) {
                table.row(m.model(), m.activeVersion().orElse(null), m.activeSince().map(Instant::toString).orElse(null),
                        m.counts().get(VersionStatus.CANDIDATE), m.counts().get(VersionStatus.APPROVED),
                        m.counts().get(VersionStatus.REJECTED), m.counts().get(VersionStatus.RETIRED));
            }
            System.out.print(table);
            return ExitCode.OK;
        }
    }
}
