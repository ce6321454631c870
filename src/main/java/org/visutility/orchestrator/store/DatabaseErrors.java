package org.visutility.orchestrator.store;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/** Database errors in one line for people: the server's message and detail, without "ERROR:", context lines or the statement. */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /** The first SQL exception among the causes, or null. */
    public static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) return s;
        }
        return null;
    }

    /** What went wrong: the database's own words when a database error is behind it, else the root cause's first line. */
    public static String describe(Throwable t) {
        SQLException sql = sqlCause(t);
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            String detail = m.getDetail();
            return m.getMessage() + (detail == null || detail.isBlank() ? "" : " (" + firstLine(detail) + ")");
        }
        Throwable root = sql != null ? sql : t;
        while (sql == null && root.getCause() != null && root.getCause() != root) root = root.getCause();
        return firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    static String firstLine(String text) {
        String s = text.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }
}
