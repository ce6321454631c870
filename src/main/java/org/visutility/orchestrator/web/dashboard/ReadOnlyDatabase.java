package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.List;
import java.util.function.Function;

/**
 * The dashboard's only way into the database: read-only transactions (one consistent snapshot per
 * request, REPEATABLE READ) with a statement timeout, running the .sql files beside this class.
 */
final class ReadOnlyDatabase {
    /** A dashboard query that runs longer than this is cancelled rather than left to load the database. */
    static final int QUERY_TIMEOUT_SECONDS = 10;

    private final Jdbi jdbi;

    ReadOnlyDatabase(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    <T> T read(Function<Handle, T> work) {
        return jdbi.withHandle(h -> {
            h.setReadOnly(true);
            h.getConfig(SqlStatements.class).setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            return h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, work::apply);
        });
    }

    /** The query in {@code <Name>.sql} beside this class, its rows mapped to JSON objects by column label. */
    static Query query(Handle h, String name) {
        return h.createQuery(SqlFiles.load(ReadOnlyDatabase.class, name));
    }

    static List<ObjectNode> rows(Query query) {
        return query.map(JsonRowMapper.INSTANCE).list();
    }
}
