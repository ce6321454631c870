package org.visutility.orchestrator.app;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
        if (!json.enabled()) {
            try (Database db = DatabaseConnector.open(config.load())) {
                Migrations migrations = new Migrations(db.dataSource());
                int applied = migrations.migrate();
                System.out.printf("schema at version %s (%d migrations applied) on %s%n",
                        migrations.currentVersion().orElse("none"), applied, db.description());
            }
            return ExitCode.OK;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try (Database db = DatabaseConnector.open(config.load())) {
            out.put("database", db.description());
            Migrations migrations = new Migrations(db.dataSource());
            int applied = migrations.migrate();
            out.put("status", "ok");
            out.put("schema_version", migrations.currentVersion().orElse("none"));
            out.put("migrations_applied", applied);
            System.out.println(Json.MAPPER.writeValueAsString(out));
            return ExitCode.OK;
        } catch (RuntimeException e) {
            // A script reads stdout: it gets a result on failure too, and people still get the line on stderr.
            String message = Main.messageFor(e);
            out.put("status", "failed");
            out.put("error", message);
            out.put("exit_code", Main.exitCodeFor(e));
            System.out.println(Json.MAPPER.writeValueAsString(out));
            System.err.println("orchestrator: " + message);
            return Main.exitCodeFor(e);
        }
    }
}
