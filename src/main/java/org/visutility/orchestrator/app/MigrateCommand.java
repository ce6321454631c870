package org.visutility.orchestrator.app;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = "Bring the database schema up to date (serve does this too) and print its version.")
public final class MigrateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        try (Database db = DatabaseConnector.open(config.load())) {
            Migrations migrations = new Migrations(db.dataSource());
            int applied = migrations.migrate();
            String version = migrations.currentVersion().orElse("none");
            if (json.enabled()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("schema_version", version);
                out.put("migrations_applied", applied);
                out.put("database", db.description());
                System.out.println(Json.MAPPER.writeValueAsString(out));
            } else {
                System.out.printf("schema at version %s (%d migrations applied) on %s%n", version, applied, db.description());
            }
        }
        return ExitCode.OK;
    }
}
