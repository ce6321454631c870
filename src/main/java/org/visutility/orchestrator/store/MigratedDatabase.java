package org.visutility.orchestrator.store;

import org.visutility.orchestrator.config.OrchestratorConfig;

/** For commands that read or write the tables: the configured database, its schema brought up to date first. */
public final class MigratedDatabase {
    private MigratedDatabase() {
    }

    public static Database open(OrchestratorConfig config) {
        Database db = DatabaseConnector.open(config);
        try {
            new Migrations(db.dataSource()).migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
