package org.visutility.orchestrator.store;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

import java.sql.SQLException;
import java.util.Arrays;

/**
 * The schema could not be brought up to date. The message is one line naming what failed and
 * why, e.g. {@code migration V40 (create lineage views) failed and was rolled back: permission
 * denied to create role (Only roles with the CREATEROLE attribute may create roles.) [SQL state
 * 42501]}, without Flyway's report (its separators, paths and advice to run with -X).
 */
public final class MigrationFailedException extends RuntimeException {
    MigrationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    static MigrationFailedException of(FlywayException e) {
        SQLException sql = DatabaseErrors.sqlCause(e);
        String why = sql != null ? DatabaseErrors.describe(sql) : lines(e.getMessage());
        String state = sql == null ? null : sql.getSQLState();
        String what;
        if (e instanceof FlywayMigrateException m && m.getMigration() != null) {
            MigrationInfo info = m.getMigration();
            what = "migration V" + info.getVersion() + " (" + info.getDescription() + ") failed"
                    + (m.isExecutableInTransaction() ? " and was rolled back" : "");
        } else {
            String step = firstLine(e.getMessage());
            what = "migrating failed" + (sql == null || step.contains(why) ? "" : ": " + step);
        }
        return new MigrationFailedException(what + ": " + why + (state == null ? "" : " [SQL state " + state + "]"), e);
    }

    /** The first line that says something: Flyway's reports open with a title and a rule of dashes. */
    private static String firstLine(String text) {
        return lines(text).split(" \\| ")[0];
    }

    /**
     * Flyway's own findings (no database error behind them) on one line: what is wrong and where,
     * e.g. "Found more than one migration with version 40 | Offenders: | -> ... | -> ...".
     */
    private static String lines(String text) {
        if (text == null) return "no reason given";
        String joined = Arrays.stream(text.split("\\R")).map(String::strip)
                .filter(l -> !l.isEmpty() && !l.matches("-+"))
                .collect(java.util.stream.Collectors.joining(" | "));
        return joined.isEmpty() ? "no reason given" : joined;
    }
}
